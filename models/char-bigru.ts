import type { Hyperparams, TfModelDef } from './types';
import { apply, context, dense, dropout, finish, int, outputHead, rate, sequencesInput } from './lib/build';
import { embedding } from './lib/embedding';
import { bidirectional, reseedBackwardLayers } from './lib/recurrent';

const defaults: Hyperparams = {
  epochs: 10,
  batchSize: 128,
  learningRate: 0.001,
  optimizer: 'adam',
  dropout: 0.5,
  embeddingDim: 16,
  units: 32,
  denseUnits: 32,
};

export default {
  id: 'char-bigru',
  family: 'sequences',
  kind: 'deep',
  engine: 'tfjs',
  description: 'Char BiGRU: Embedding 16 → Bidirectional GRU 32 → Dense 32 ReLU → dropout 0.5; adam 1e-3, batch 128, 10 epochs',
  defaults,
  build(spec) {
    const ctx = context(spec, defaults);
    const { input, vocabSize, maxLen } = sequencesInput(spec);
    let x = apply(embedding(ctx, vocabSize, int(ctx.p, 'embeddingDim'), maxLen, true), input);
    x = apply(bidirectional(ctx, 'gru', int(ctx.p, 'units')), x);
    x = apply(dense(ctx, int(ctx.p, 'denseUnits'), 'relu'), x);
    const d = rate(ctx.p, 'dropout');
    if (d > 0) x = apply(dropout(ctx, d), x);
    const model = finish(input, outputHead(ctx, x), 'char-bigru');
    reseedBackwardLayers(model, ctx.seeds);
    return model;
  },
} satisfies TfModelDef;
