import type { Hyperparams, TfModelDef } from './types';
import { context, finish, outputHead, recordsInput } from './lib/build';

const defaults: Hyperparams = { epochs: 50, batchSize: 256, learningRate: 0.01, optimizer: 'adam' };

/**
 * Multinomial logistic regression as one tf.js Dense layer (sigmoid / softmax) trained by the shared loop.
 * ml-logistic-regression was rejected: no intercept, a summed (not averaged) full-batch gradient at a fixed
 * 5e-4 step that diverges or crawls on large sets, 50 000 pure-JS epochs by default, one-vs-all scores that
 * are not probabilities, and no class weights, early stopping or cancel.
 */
export default {
  id: 'logreg',
  family: 'records',
  kind: 'baseline',
  engine: 'tfjs',
  description: 'Logistic regression (one Dense sigmoid/softmax layer, cross-entropy); adam 1e-2, batch 256, 50 epochs with early stopping',
  defaults,
  build(spec) {
    const ctx = context(spec, defaults);
    const input = recordsInput(spec);
    return finish(input, outputHead(ctx, input), 'logreg');
  },
} satisfies TfModelDef;
