import * as tf from '@tensorflow/tfjs';
import type { ParamValue } from '../../models/types';

export function makeOptimizer(name: ParamValue, learningRate: number): tf.Optimizer {
  if (!(learningRate > 0)) throw new Error(`learningRate must be > 0, got ${learningRate}`);
  if (name === 'adam') return tf.train.adam(learningRate);
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  throw new Error(`optimizer must be 'adam', 'sgd' or 'rmsprop', got ${JSON.stringify(name)}`);
}
