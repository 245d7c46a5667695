import type { Hyperparams, TfModelDef } from '../types';
import { apply, context, dense, dropout, finish, intList, outputHead, rate, recordsInput } from './build';

const WIDTHS = [1024, 768, 512, 256, 128];

/** Vinayakumar et al. 2019 DNN family: dnnN keeps the first N hidden widths of 1024-768-512-256-128. */
export function dnnDef(depth: 1 | 2 | 3 | 4 | 5): TfModelDef {
  const units = WIDTHS.slice(0, depth);
  const defaults: Hyperparams = { epochs: 100, batchSize: 64, learningRate: 0.001, optimizer: 'adam', dropout: 0.01, units };
  const id = `dnn${depth}`;
  return {
    id,
    family: 'records',
    kind: 'deep',
    engine: 'tfjs',
    description: `DNN, ${depth} hidden ReLU layer${depth > 1 ? 's' : ''} [${units.join('-')}] each + dropout 0.01 (Vinayakumar 2019); adam 1e-3, batch 64, 100 epochs`,
    defaults,
    build(spec) {
      const ctx = context(spec, defaults);
      const input = recordsInput(spec);
      const d = rate(ctx.p, 'dropout');
      let x = input;
      for (const u of intList(ctx.p, 'units')) {
        x = apply(dense(ctx, u, 'relu'), x);
        if (d > 0) x = apply(dropout(ctx, d), x);
      }
      return finish(input, outputHead(ctx, x), id);
    },
  };
}
