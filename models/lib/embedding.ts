import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from './build';

/**
 * `maskZero` marks id 0 (right padding) as absent, so a recurrent layer reading the embedding keeps its state
 * over the padding and ends on the last real character — otherwise its final state has just read up to
 * dozens of padding steps, which is what left char-LSTMs near chance on short domains. Convolutions do not
 * take masks, so only models whose embedding feeds a recurrence directly set it.
 */
export function embedding(ctx: BuildContext, vocabSize: number, dim: number, maxLen: number, maskZero = false): tf.layers.Layer {
  return tf.layers.embedding({
    inputDim: vocabSize,
    outputDim: dim,
    inputLength: maxLen,
    maskZero,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: ctx.seeds.next() }),
  });
}
