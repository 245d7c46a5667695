import type * as tf from '@tensorflow/tfjs';
import type { GraphBuilder } from './graph-builder';
import { OnnxExportError } from './errors';

/**
 * ONNX names of the activations tf.js recurrent layers use. HardSigmoid's ONNX defaults (alpha 0.2, beta 0.5)
 * are tf.js' hardSigmoid, so no activation_alpha/beta is written: runtimes disagree on how those lists are
 * indexed (onnxruntime consumes them only for functions that take them), which would skew a bidirectional pair.
 */
const ACT: Record<string, { name: string }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  hardSigmoid: { name: 'HardSigmoid' },
  relu: { name: 'Relu' },
};

interface CellSpec {
  op: 'RNN' | 'LSTM' | 'GRU';
  gates: number;
  /** Keras gate blocks in ONNX order: LSTM keeps [i, f, c, o] and ONNX wants [i, o, f, c]; GRU's z, r, h agree. */
  order: number[];
  /** Which config keys give ONNX's activation list, in its order (f, g, h). */
  acts: ('activation' | 'recurrentActivation')[];
}

const CELLS: Record<string, CellSpec> = {
  SimpleRNN: { op: 'RNN', gates: 1, order: [0], acts: ['activation'] },
  LSTM: { op: 'LSTM', gates: 4, order: [0, 3, 1, 2], acts: ['recurrentActivation', 'activation', 'activation'] },
  GRU: { op: 'GRU', gates: 3, order: [0, 1, 2], acts: ['recurrentActivation', 'activation'] },
};

/** Keras [in, gates·units] (column blocks per gate) → ONNX [gates·units, in] with the gate blocks reordered. */
function gateMajor(w: Float32Array, rowsIn: number, units: number, order: number[]): Float32Array {
  const cols = order.length * units;
  const out = new Float32Array(cols * rowsIn);
  order.forEach((kerasGate, onnxGate) => {
    for (let u = 0; u < units; u++) for (let r = 0; r < rowsIn; r++) out[(onnxGate * units + u) * rowsIn + r] = w[r * cols + kerasGate * units + u];
  });
  return out;
}

function directionWeights(layer: tf.layers.Layer, spec: CellSpec): { W: Float32Array; R: Float32Array; B: Float32Array; units: number; inDim: number } {
  const ws = layer.getWeights();
  const [kernel, recurrent] = ws;
  const [inDim, width] = kernel.shape as number[];
  const units = width / spec.gates;
  const W = gateMajor(kernel.dataSync() as Float32Array, inDim, units, spec.order);
  const R = gateMajor(recurrent.dataSync() as Float32Array, units, units, spec.order);
  // Keras has one bias per gate; ONNX adds an input and a recurrent bias, so the recurrent half stays zero.
  const B = new Float32Array(2 * width);
  if (ws[2]) {
    const b = ws[2].dataSync() as Float32Array;
    spec.order.forEach((kerasGate, onnxGate) => B.set(b.subarray(kerasGate * units, (kerasGate + 1) * units), onnxGate * units));
  }
  return { W, R, B, units, inDim };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A SimpleRNN / LSTM / GRU layer, or a Bidirectional (concat) of one, on a time-major input [steps, batch, ch],
 * giving its final state [batch, units (× 2)]. tf.js GRU applies the reset gate before the recurrent product,
 * which is ONNX's linear_before_reset = 0.
 */
export function recurrentToOnnx(g: GraphBuilder, layer: tf.layers.Layer, timeMajor: string, lengths?: string): string {
  const bidir = layer.getClassName() === 'Bidirectional';
  const dirs: tf.layers.Layer[] = bidir
    ? [(layer as unknown as { forwardLayer: tf.layers.Layer }).forwardLayer, (layer as unknown as { backwardLayer: tf.layers.Layer }).backwardLayer]
    : [layer];
  if (bidir && (layer.getConfig() as { mergeMode?: string }).mergeMode !== 'concat') throw new OnnxExportError(`layer '${layer.name}': only the concat merge is exportable`);
  const spec = CELLS[dirs[0].getClassName()];
  if (!spec) throw new OnnxExportError(`layer '${layer.name}' (${dirs[0].getClassName()}) has no ONNX mapping in this exporter`);
  const cfg = dirs[0].getConfig() as { returnSequences?: boolean; goBackwards?: boolean; stateful?: boolean; activation?: string; recurrentActivation?: string };
  if (cfg.returnSequences || cfg.goBackwards || cfg.stateful) throw new OnnxExportError(`layer '${layer.name}': only final-state, forward, stateless recurrences are exportable`);
  const acts = spec.acts.map((k) => {
    const name = (cfg[k] ?? 'linear') as string;
    const a = ACT[name];
    if (!a) throw new OnnxExportError(`layer '${layer.name}': recurrent activation '${name}' is not exportable`);
    return a;
  });
  const per = dirs.map((d) => directionWeights(d, spec));
  const { units, inDim } = per[0];
  const nd = dirs.length;
  const gates = spec.gates;
  const W = g.floats(`${layer.name}/W`, [nd, gates * units, inDim], concat(per.map((p) => p.W)));
  const R = g.floats(`${layer.name}/R`, [nd, gates * units, units], concat(per.map((p) => p.R)));
  const B = g.floats(`${layer.name}/B`, [nd, 2 * gates * units], concat(per.map((p) => p.B)));
  const allActs = Array.from({ length: nd }, () => acts).flat();
  const attrs = [
    { name: 'hidden_size', kind: 'int' as const, value: units },
    { name: 'direction', kind: 'string' as const, value: bidir ? 'bidirectional' : 'forward' },
    { name: 'activations', kind: 'strings' as const, value: allActs.map((a) => a.name) },
    ...(spec.op === 'GRU' ? [{ name: 'linear_before_reset', kind: 'int' as const, value: 0 }] : []),
  ];
  // Outputs Y (unused, left unnamed) and Y_h [directions, batch, units].
  const yh = g.unique(`${layer.name}/Y_h`);
  // With a mask, sequence_lens makes each direction stop (or start, in reverse) at the row's last real step,
  // as tf.js' masked recurrence does.
  const inputs = lengths ? [timeMajor, W, R, B, lengths] : [timeMajor, W, R, B];
  g.nodes.push({ opType: spec.op, name: g.unique(`${spec.op}_node`), inputs, outputs: ['', yh], attributes: attrs });
  if (!bidir) return g.op('Squeeze', [yh, g.int64s('axes', [0])]);
  // [2, batch, units] → [batch, 2 · units], forward first: Keras' concat order.
  const batchMajor = g.op('Transpose', [yh], [{ name: 'perm', kind: 'ints', value: [1, 0, 2] }]);
  return g.op('Reshape', [batchMajor, g.int64s('shape', [0, -1])]);
}
