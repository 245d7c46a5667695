import type { Hyperparams, TfModelDef } from './types';
import { apply, context, finish, int, outputHead, sequencesInput } from './lib/build';
import { embedding } from './lib/embedding';
import { recurrent } from './lib/recurrent';

const defaults: Hyperparams = { epochs: 10, batchSize: 128, learningRate: 0.001, optimizer: 'adam', dropout: 0, embeddingDim: 32, units: 32 };

export default {
  id: 'char-lstm',
  family: 'sequences',
  kind: 'deep',
  engine: 'tfjs',
  description: 'Char LSTM (Woodbridge 2016 DGA style): Embedding 32 → LSTM 32; adam 1e-3, batch 128, 10 epochs',
  defaults,
  build(spec) {
    const ctx = context(spec, defaults);
    const { input, vocabSize, maxLen } = sequencesInput(spec);
    let x = apply(embedding(ctx, vocabSize, int(ctx.p, 'embeddingDim'), maxLen, true), input);
    x = apply(recurrent(ctx, 'lstm', int(ctx.p, 'units')), x);
    return finish(input, outputHead(ctx, x), 'char-lstm');
  },
} satisfies TfModelDef;
