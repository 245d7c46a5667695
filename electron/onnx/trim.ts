// Trimmed char-cnn graphs: convolutions over only the columns a chunk needs, plus the padding tails.
import type * as tf from '@tensorflow/tfjs';
import { activate, activationName, JS_ACTIVATIONS } from './activations';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph-builder';
import { inputOf, samePads, type Value } from './layer-values';

/**
 * A convolution over the trimmed columns, plus the table its SumOverTime adds: tail[m] = Σ_{t ≥ m} act(conv at t
 * of an all-padding row). Every row agrees with that from where the host stopped computing (m ≥ its length +
 * the widest left padding), since those windows hold only the padding id or the zero 'same' padding.
 */
export function trimmedConv(g: GraphBuilder, layer: tf.layers.Layer, input: Value, k: number, pads: number[], kernel: Float32Array, bias: Float32Array | undefined, inCh: number, out: number, stride: number, dilation: number): Value {
  const trim = input.trim!;
  if (stride !== 1 || dilation !== 1 || pads[0] + pads[1] !== k - 1) throw new OnnxExportError(`layer '${layer.name}': only stride-1 'same' convolutions can be trimmed`);
  const act = JS_ACTIVATIONS[activationName(layer)];
  if (!act) throw new OnnxExportError(`layer '${layer.name}': activation '${activationName(layer)}' cannot be trimmed`);
  const L = trim.steps;
  const padRow = trim.embedded.subarray(0, trim.dim); // id 0
  // What each kernel offset adds when it reads the padding id.
  const offsetTerm = Array.from({ length: k }, (_, j) => {
    const v = new Float64Array(out);
    for (let c = 0; c < inCh; c++) for (let o = 0; o < out; o++) v[o] += padRow[c] * kernel[(j * inCh + c) * out + o];
    return v;
  });
  const tail = new Float32Array((L + 1) * out);
  const acc = new Float64Array(out);
  for (let t = L - 1; t >= 0; t--) {
    for (let o = 0; o < out; o++) {
      let z = bias ? bias[o] : 0;
      for (let j = 0; j < k; j++) {
        const u = t - pads[0] + j;
        if (u >= 0 && u < L) z += offsetTerm[j][o];
      }
      acc[o] += act(z);
      tail[t * out + o] = acc[o];
    }
  }
  const w = new Float32Array(out * inCh * k);
  for (let j = 0; j < k; j++) for (let c = 0; c < inCh; c++) for (let o = 0; o < out; o++) w[(o * inCh + c) * k + j] = kernel[(j * inCh + c) * out + o];
  const skipRight = trim.right - pads[1];
  const cols = g.op('Slice', [input.name, g.int64s('starts', [trim.left - pads[0]]), g.int64s('ends', [skipRight > 0 ? -skipRight : 1_000_000_000]), g.int64s('axes', [2])]);
  const inputs = [cols, g.floats(`${layer.name}/W`, [out, inCh, k], w)];
  if (bias) inputs.push(g.floats(`${layer.name}/B`, [out], bias));
  const y = g.op('Conv', inputs, [{ name: 'kernel_shape', kind: 'ints', value: [k] }]);
  const tailAt = g.op('Gather', [g.floats(`${layer.name}/tail`, [L + 1, out], tail), trim.computed], [{ name: 'axis', kind: 'int', value: 0 }]);
  return { name: activate(g, layer, y), layout: 'ncw', tail: tailAt };
}

/** Layers that may read a trimmed sequence: the convolutions on it and what sums their output. */
export const TRIM_CONSUMERS = new Set(['Conv1D', 'SumOverTime', 'Dropout', 'SeededDropout']);

/** The widest 'same' padding among the convolutions reading the embedding: the outside columns the host adds. */
export function trimPlan(model: tf.LayersModel): { left: number; right: number } {
  let left = 0;
  let right = 0;
  let convs = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv1D') continue;
    const src = inputOf(layer)[0].sourceLayer;
    if (src.getClassName() !== 'Embedding') continue;
    const cfg = layer.getConfig() as { padding: string; kernelSize: number | number[] };
    if (cfg.padding !== 'same') throw new OnnxExportError(`layer '${layer.name}': only 'same' convolutions can be trimmed`);
    const [l, r] = samePads(Array.isArray(cfg.kernelSize) ? cfg.kernelSize[0] : cfg.kernelSize, 1);
    left = Math.max(left, l);
    right = Math.max(right, r);
    convs++;
  }
  if (convs === 0) throw new OnnxExportError('trimming needs convolutions reading the embedding');
  return { left, right };
}
