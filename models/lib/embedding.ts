import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from './build';

export function embedding(ctx: BuildContext, vocabSize: number, dim: number, maxLen: number): tf.layers.Layer {
  return tf.layers.embedding({
    inputDim: vocabSize,
    outputDim: dim,
    inputLength: maxLen,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: ctx.seeds.next() }),
  });
}
