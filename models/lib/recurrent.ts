import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from './build';
import { glorot, orthogonal } from './build';
import type { Seeder } from './random';
import { OneStepGRU, OneStepLSTM, OneStepSimpleRNN } from './one-step-rnn';

export type CellType = 'simplernn' | 'lstm' | 'gru';

export function recurrent(ctx: BuildContext, cell: CellType, units: number, returnSequences = false): tf.layers.Layer {
  const args = {
    units,
    returnSequences,
    kernelInitializer: glorot(ctx.seeds),
    recurrentInitializer: orthogonal(ctx.seeds),
  };
  // tf.js' layers with a fast path for the one-time-step records models (one-step-rnn.ts).
  if (cell === 'lstm') return new OneStepLSTM(args);
  if (cell === 'gru') return new OneStepGRU(args);
  return new OneStepSimpleRNN(args);
}

/** Bidirectional that concatenates both directions (Keras' default merge). */
export function bidirectional(ctx: BuildContext, cell: CellType, units: number): tf.layers.Layer {
  return tf.layers.bidirectional({ layer: recurrent(ctx, cell, units) as tf.RNN, mergeMode: 'concat' });
}

/**
 * tf.js builds a Bidirectional's backward layer from the forward layer's config, seeds included, so both
 * directions start identical; on one-time-step records they would then stay identical for ever.
 * Re-draw the backward kernels from fresh seeds (biases keep their initial values).
 */
export function reseedBackwardLayers(model: tf.LayersModel, seeds: Seeder): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Bidirectional') continue;
    const back = (layer as unknown as { backwardLayer: tf.layers.Layer }).backwardLayer;
    const fresh = back.weights.map((w) => {
      const name = w.originalName;
      if (name.endsWith('recurrent_kernel')) return orthogonal(seeds).apply(w.shape);
      if (name.endsWith('kernel')) return glorot(seeds).apply(w.shape);
      return w.read().clone();
    });
    back.setWeights(fresh);
    tf.dispose(fresh);
  }
}
