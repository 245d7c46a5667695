import * as tf from '@tensorflow/tfjs';
import type { Hyperparams, TfModelDef } from './types';
import { apply, context, dense, dropout, finish, glorot, int, outputHead, rate, recordsInput } from './lib/build';

const defaults: Hyperparams = {
  epochs: 100,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: 'adam',
  dropout: 0.1,
  filters: 64,
  kernelSize: 3,
  poolSize: 2,
  units: 128,
};

/** Vinayakumar 2017 CNN-IDS: the features as a 1-channel signal. */
export default {
  id: 'cnn1d',
  family: 'records',
  kind: 'deep',
  engine: 'tfjs',
  description: 'CNN over the feature vector as a 1-channel signal: Conv1D 64×3 ReLU → MaxPool 2 → Dense 128 ReLU → dropout 0.1 (Vinayakumar 2017); adam 1e-3, batch 64, 100 epochs',
  defaults,
  build(spec) {
    const ctx = context(spec, defaults);
    const input = recordsInput(spec);
    const n = spec.numFeatures as number;
    let x = apply(tf.layers.reshape({ targetShape: [n, 1] }), input);
    x = apply(
      tf.layers.conv1d({ filters: int(ctx.p, 'filters'), kernelSize: int(ctx.p, 'kernelSize'), activation: 'relu', padding: 'same', kernelInitializer: glorot(ctx.seeds) }),
      x,
    );
    x = apply(tf.layers.maxPooling1d({ poolSize: Math.min(int(ctx.p, 'poolSize'), n), padding: 'valid' }), x);
    x = apply(tf.layers.flatten(), x);
    x = apply(dense(ctx, int(ctx.p, 'units'), 'relu'), x);
    const d = rate(ctx.p, 'dropout');
    if (d > 0) x = apply(dropout(ctx, d), x);
    return finish(input, outputHead(ctx, x), 'cnn1d');
  },
} satisfies TfModelDef;
