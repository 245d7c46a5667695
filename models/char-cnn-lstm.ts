import * as tf from '@tensorflow/tfjs';
import type { Hyperparams, TfModelDef } from './types';
import { apply, context, finish, glorot, int, outputHead, sequencesInput } from './lib/build';
import { embedding } from './lib/embedding';
import { recurrent } from './lib/recurrent';

const defaults: Hyperparams = {
  epochs: 10,
  batchSize: 128,
  learningRate: 0.001,
  optimizer: 'adam',
  dropout: 0,
  embeddingDim: 32,
  filters: 256,
  kernelSize: 5,
  poolSize: 4,
  units: 32,
};

export default {
  id: 'char-cnn-lstm',
  family: 'sequences',
  kind: 'deep',
  engine: 'tfjs',
  description: 'Char CNN-LSTM: Embedding 32 → Conv1D 256×5 ELU → MaxPool 4 → LSTM 32 (Saxe & Berlin / Yu 2018 DGA comparison style); adam 1e-3, batch 128, 10 epochs',
  defaults,
  build(spec) {
    const ctx = context(spec, defaults);
    const { input, vocabSize, maxLen } = sequencesInput(spec);
    let x = apply(embedding(ctx, vocabSize, int(ctx.p, 'embeddingDim'), maxLen), input);
    x = apply(tf.layers.conv1d({ filters: int(ctx.p, 'filters'), kernelSize: int(ctx.p, 'kernelSize'), activation: 'elu', padding: 'same', kernelInitializer: glorot(ctx.seeds) }), x);
    x = apply(tf.layers.maxPooling1d({ poolSize: Math.min(int(ctx.p, 'poolSize'), maxLen), padding: 'valid' }), x);
    x = apply(recurrent(ctx, 'lstm', int(ctx.p, 'units')), x);
    return finish(input, outputHead(ctx, x), 'char-cnn-lstm');
  },
} satisfies TfModelDef;
