import * as tf from '@tensorflow/tfjs';
import type { ParamValue } from '../../models/types';
import { FusedAdamOptimizer } from '../compute/kernels/adam';

export function makeOptimizer(name: ParamValue, learningRate: number): tf.Optimizer {
  if (!(learningRate > 0)) throw new Error(`learningRate must be > 0, got ${learningRate}`);
  // On wasm, Adam as one pass per variable (compute/kernels/adam.ts); elsewhere tf.js' own.
  if (name === 'adam') return tf.getBackend() === 'wasm' ? new FusedAdamOptimizer(learningRate) : tf.train.adam(learningRate);
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  throw new Error(`optimizer must be 'adam', 'sgd' or 'rmsprop', got ${JSON.stringify(name)}`);
}
