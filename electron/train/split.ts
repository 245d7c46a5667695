import type { Dataset } from '../../models/types';
import { stratifiedSplit, takeLabels, takeRows } from '../../models/lib/sampling';

export { stratifiedSplit };

/** Seeded stratified train / validation split; fraction 0 → no validation set. */
export function splitDataset(data: Dataset, fraction: number, seed: number): { train: Dataset; val: Dataset | null } {
  if (fraction === 0) return { train: data, val: null };
  const { rest, picked } = stratifiedSplit(data.y, fraction, seed);
  const part = (rows: Int32Array): Dataset => ({ x: takeRows(data.x, data.cols, rows), y: takeLabels(data.y, rows), rows: rows.length, cols: data.cols });
  return { train: part(rest), val: picked.length > 0 ? part(picked) : null };
}
