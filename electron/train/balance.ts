import type { Dataset, ParamValue } from '../../models/types';
import { mulberry32 } from '../../models/lib/random';
import { takeLabels, takeRows } from '../../models/lib/sampling';

/**
 * Random oversampling of the training split: every class is topped up to the largest class's count with
 * rows drawn (seeded, with replacement) from its own rows. Applied after the validation split, so the
 * validation rows stay the data's own distribution and no duplicate of a validation row is trained on.
 */
export function oversample(train: Dataset, seed: number): Dataset {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < train.rows; i++) {
    const list = byClass.get(train.y[i]);
    if (list) list.push(i);
    else byClass.set(train.y[i], [i]);
  }
  const target = Math.max(0, ...[...byClass.values()].map((l) => l.length));
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const order: number[] = Array.from({ length: train.rows }, (_, i) => i);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    for (let n = rows.length; n < target; n++) order.push(rows[Math.floor(rand() * rows.length)]);
  }
  if (order.length === train.rows) return train;
  const picked = Int32Array.from(order);
  return { x: takeRows(train.x, train.cols, picked), y: takeLabels(train.y, picked), rows: picked.length, cols: train.cols };
}

/** The `balance` training option: 'none' (default) or 'oversample'. */
export function checkBalance(setting: ParamValue | undefined): 'none' | 'oversample' {
  if (setting === undefined || setting === 'none') return 'none';
  if (setting === 'oversample') return 'oversample';
  throw new Error(`parameter 'balance' must be 'none' or 'oversample', got ${JSON.stringify(setting)}`);
}
