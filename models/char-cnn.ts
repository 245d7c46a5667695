import * as tf from '@tensorflow/tfjs';
import type { Hyperparams, TfModelDef } from './types';
import { apply, context, dense, dropout, finish, glorot, int, intList, outputHead, rate, sequencesInput } from './lib/build';
import { embedding } from './lib/embedding';
import { SumOverTime } from './lib/layers';

const defaults: Hyperparams = {
  epochs: 10,
  batchSize: 128,
  learningRate: 0.001,
  optimizer: 'adam',
  dropout: 0.5,
  embeddingDim: 32,
  filters: 256,
  kernelSizes: [2, 3, 4, 5],
  units: 1024,
};

/** Saxe & Berlin 2017 (eXpose): parallel n-gram convolutions, each summed over the whole string. */
export default {
  id: 'char-cnn',
  family: 'sequences',
  kind: 'deep',
  engine: 'tfjs',
  description: 'Char CNN (Saxe & Berlin 2017 eXpose): Embedding 32 → Conv1D 256 ELU kernels 2,3,4,5 each summed over time → Dense 1024 ELU ×2 with dropout 0.5; adam 1e-3, batch 128, 10 epochs',
  defaults,
  build(spec) {
    const ctx = context(spec, defaults);
    const { input, vocabSize, maxLen } = sequencesInput(spec);
    const emb = apply(embedding(ctx, vocabSize, int(ctx.p, 'embeddingDim'), maxLen), input);
    const filters = int(ctx.p, 'filters');
    const branches = intList(ctx.p, 'kernelSizes').map((k) => {
      const conv = apply(tf.layers.conv1d({ filters, kernelSize: k, activation: 'elu', padding: 'same', kernelInitializer: glorot(ctx.seeds) }), emb);
      return apply(new SumOverTime({}), conv);
    });
    let x = branches.length > 1 ? apply(tf.layers.concatenate(), branches) : branches[0];
    const units = int(ctx.p, 'units');
    const d = rate(ctx.p, 'dropout');
    for (let i = 0; i < 2; i++) {
      x = apply(dense(ctx, units, 'elu'), x);
      if (d > 0) x = apply(dropout(ctx, d), x);
    }
    return finish(input, outputHead(ctx, x), 'char-cnn');
  },
} satisfies TfModelDef;
