import type * as tf from '@tensorflow/tfjs';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph-builder';

/** tf.js activation names → the ONNX node that computes them (null: identity). */
const ACTIVATIONS: Record<string, ((g: GraphBuilder, x: string) => string) | null> = {
  linear: null,
  relu: (g, x) => g.op('Relu', [x]),
  elu: (g, x) => g.op('Elu', [x], [{ name: 'alpha', kind: 'float', value: 1 }]),
  sigmoid: (g, x) => g.op('Sigmoid', [x]),
  tanh: (g, x) => g.op('Tanh', [x]),
  softmax: (g, x) => g.op('Softmax', [x], [{ name: 'axis', kind: 'int', value: -1 }]),
};

export function activationName(layer: tf.layers.Layer): string {
  const a = (layer.getConfig() as { activation?: unknown }).activation;
  if (a === undefined || a === null) return 'linear';
  if (typeof a === 'string') return a;
  throw new OnnxExportError(`layer '${layer.name}': activation ${JSON.stringify(a)} is not exportable`);
}

export function activate(g: GraphBuilder, layer: tf.layers.Layer, x: string): string {
  const name = activationName(layer);
  const f = ACTIVATIONS[name];
  if (f === undefined) throw new OnnxExportError(`layer '${layer.name}': activation '${name}' is not exportable`);
  return f === null ? x : f(g, x);
}

/** The same activations in JS, for constants the exporter precomputes (trimmed padding tails). */
export const JS_ACTIVATIONS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};
