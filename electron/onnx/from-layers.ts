import * as tf from '@tensorflow/tfjs';
import { DataType } from './onnx-proto';
import { GraphBuilder } from './graph-builder';
import { OnnxExportError } from './errors';
import { recurrentToOnnx } from './recurrent';
import { activate } from './activations';
import { TRIM_CONSUMERS, trimPlan, trimmedConv } from './trim';
import { inputOf, samePads, weights, type Value } from './layer-values';

export { OnnxExportError };

/** What the caller must feed a graph: fixed [batch, steps], or trimmed columns packed as packTrimmed() does. */
export type OnnxInputLayout = { kind: 'fixed'; steps: number } | { kind: 'trimmed'; steps: number; left: number; right: number; outsideId: number };

export interface OnnxExport {
  bytes: Uint8Array;
  input: OnnxInputLayout;
}

export interface ExportOptions {
  /**
   * For Embedding → Conv1D('same') → SumOverTime models (char-cnn): a graph over only the columns a batch
   * needs. Positions whose whole window lies in the right padding give the same value for every row, so
   * their sum is a precomputed table indexed by where computing stopped; rows sorted by length then cost
   * what their characters cost, not the full padded length. Exact up to float summation order.
   */
  trimPadding?: boolean;
  /** Written into the file's metadata_props (class names, encoder JSON, run id...). */
  metadata?: Record<string, string>;
  docString?: string;
}

function toLayout(g: GraphBuilder, v: Value, want: 'nwc' | 'ncw'): string {
  if (v.layout === want) return v.name;
  if (v.layout !== 'nwc' && v.layout !== 'ncw') throw new OnnxExportError(`a ${v.layout} value cannot be used as a sequence`);
  return g.op('Transpose', [v.name], [{ name: 'perm', kind: 'ints', value: [0, 2, 1] }]);
}

function conv1d(g: GraphBuilder, layer: tf.layers.Layer, input: Value): Value {
  const cfg = layer.getConfig() as { padding: string; strides: number | number[]; dilationRate: number | number[]; kernelSize: number | number[]; useBias: boolean };
  const k = Array.isArray(cfg.kernelSize) ? cfg.kernelSize[0] : cfg.kernelSize;
  const stride = Array.isArray(cfg.strides) ? cfg.strides[0] : cfg.strides;
  const dilation = Array.isArray(cfg.dilationRate) ? cfg.dilationRate[0] : cfg.dilationRate;
  if (cfg.padding !== 'same' && cfg.padding !== 'valid') throw new OnnxExportError(`layer '${layer.name}': padding '${cfg.padding}' is not exportable`);
  const [kernel, bias] = weights(layer); // kernel [k, in, out]
  const [, inCh, out] = layer.getWeights()[0].shape as number[];
  const pads = cfg.padding === 'same' ? samePads(k, dilation) : [0, 0];

  if (input.trim) return trimmedConv(g, layer, input, k, pads, kernel, bias, inCh, out, stride, dilation);

  // ONNX Conv weights are [out, in, k]; Keras stores [k, in, out].
  const w = new Float32Array(out * inCh * k);
  for (let j = 0; j < k; j++) for (let c = 0; c < inCh; c++) for (let o = 0; o < out; o++) w[(o * inCh + c) * k + j] = kernel[(j * inCh + c) * out + o];
  const inputs = [toLayout(g, input, 'ncw'), g.floats(`${layer.name}/W`, [out, inCh, k], w)];
  if (bias) inputs.push(g.floats(`${layer.name}/B`, [out], bias));
  const y = g.op('Conv', inputs, [
    { name: 'kernel_shape', kind: 'ints', value: [k] },
    { name: 'strides', kind: 'ints', value: [stride] },
    { name: 'dilations', kind: 'ints', value: [dilation] },
    { name: 'pads', kind: 'ints', value: pads },
  ]);
  return { name: activate(g, layer, y), layout: 'ncw' };
}

function dense(g: GraphBuilder, layer: tf.layers.Layer, input: Value): Value {
  if (input.layout !== 'flat') throw new OnnxExportError(`layer '${layer.name}': Dense on a sequence is not exportable`);
  const [kernel, bias] = weights(layer);
  const shape = layer.getWeights()[0].shape as number[];
  const inputs = [input.name, g.floats(`${layer.name}/W`, shape, kernel)];
  if (bias) inputs.push(g.floats(`${layer.name}/B`, [shape[1]], bias));
  return { name: activate(g, layer, g.op('Gemm', inputs)), layout: 'flat' };
}

function outputOf(layer: tf.layers.Layer): tf.SymbolicTensor {
  const o = layer.output;
  if (Array.isArray(o)) throw new OnnxExportError(`layer '${layer.name}' has several outputs`);
  return o as tf.SymbolicTensor;
}

/**
 * Converts a tf.js LayersModel (one input, one output) to ONNX opset 17. The graph takes `input`
 * ([batch, features] float32, or [batch, steps] int32 character ids) and gives `probabilities`
 * ([batch, classes]; a single-sigmoid model yields the two columns [1 − p, p], as predictProba does).
 * Layers without an ONNX mapping raise OnnxExportError naming the layer.
 */
export function layersToOnnx(model: tf.LayersModel, opts: ExportOptions = {}): OnnxExport {
  const g = new GraphBuilder();
  const inputName = g.reserve('input');
  const outputName = 'probabilities';
  const plan = opts.trimPadding ? trimPlan(model) : null;
  const sub = layersIntoGraph(g, model, inputName, plan);
  g.nodes.push({ opType: 'Identity', name: g.unique('output_node'), inputs: [sub.proba], outputs: [g.reserve(outputName)], attributes: [] });
  const bytes = g.encode({
    name: model.name,
    doc: opts.docString ?? '',
    inputs: [{ name: inputName, dataType: sub.isIds ? DataType.INT32 : DataType.FLOAT, shape: ['batch', plan ? 'columns' : sub.steps] }],
    outputs: [{ name: outputName, dataType: DataType.FLOAT, shape: ['batch', sub.classes] }],
    metadata: opts.metadata,
  });
  const input: OnnxInputLayout = plan ? { kind: 'trimmed', steps: sub.steps, left: plan.left, right: plan.right, outsideId: sub.vocab } : { kind: 'fixed', steps: sub.steps };
  return { bytes, input };
}

/** One model's nodes inside a graph the caller owns (an ensemble puts several side by side on one input). */
export interface Subgraph {
  /** The value holding [batch, classes] probabilities. */
  proba: string;
  classes: number;
  isIds: boolean;
  /** Input columns (features or characters). */
  steps: number;
  /** Trimmed graphs: the embedding's vocabulary size, which is the outside id. */
  vocab: number;
}

/**
 * Adds a tf.js LayersModel's nodes to `g`, reading `inputName`, and returns the value holding its
 * probabilities. Names come from g.unique, so several models' layers (which may share names) coexist.
 */
export function layersIntoGraph(g: GraphBuilder, model: tf.LayersModel, inputName: string, plan: { left: number; right: number } | null = null): Subgraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new OnnxExportError('only single-input, single-output models are exportable');
  const values = new Map<number, Value>();
  const inShape = model.inputs[0].shape;
  const isIds = model.inputs[0].dtype === 'int32';

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') {
      values.set(outputOf(layer).id, { name: inputName, layout: isIds ? 'ids' : 'flat' });
      continue;
    }
    const ins = inputOf(layer).map((t) => {
      const v = values.get(t.id);
      if (!v) throw new OnnxExportError(`layer '${layer.name}': input ${t.name} was not converted`);
      return v;
    });
    const x = ins[0];
    if (x.lengths && !MASK_CONSUMERS.has(cls)) throw new OnnxExportError(`layer '${layer.name}' (${cls}) reads a masked sequence; only recurrences are exportable there`);
    const trimmedIn = ins.some((v) => v.trim || v.tail);
    if (trimmedIn && !TRIM_CONSUMERS.has(cls)) throw new OnnxExportError(`layer '${layer.name}' (${cls}) cannot consume a trimmed sequence`);
    if (x.tail && cls === 'Conv1D') throw new OnnxExportError(`layer '${layer.name}': stacked convolutions cannot be trimmed`);
    let y: Value;
    switch (cls) {
      case 'Embedding': {
        if (x.layout !== 'ids') throw new OnnxExportError(`layer '${layer.name}': Embedding needs the id input`);
        const [table] = weights(layer);
        const [vocab, dim] = layer.getWeights()[0].shape as number[];
        if (plan) {
          // One extra all-zero row: the id the host writes outside the sequence ('same' zero padding).
          const ext = new Float32Array((vocab + 1) * dim);
          ext.set(table);
          const embedded = g.op('Gather', [g.floats(`${layer.name}/embeddings`, [vocab + 1, dim], ext), x.name], [{ name: 'axis', kind: 'int', value: 0 }]);
          const width = g.op('Gather', [g.op('Shape', [x.name]), g.int64s('col_axis', [1])], [{ name: 'axis', kind: 'int', value: 0 }]);
          const computed = g.op('Squeeze', [g.op('Sub', [width, g.int64s('outside', [plan.left + plan.right])]), g.int64s('axes', [0])]);
          const ncw = g.op('Transpose', [embedded], [{ name: 'perm', kind: 'ints', value: [0, 2, 1] }]);
          y = { name: ncw, layout: 'ncw', trim: { embedded: table, vocab, dim, steps: inShape[1] as number, left: plan.left, right: plan.right, computed } };
          break;
        }
        const name = g.op('Gather', [g.floats(`${layer.name}/embeddings`, [vocab, dim], table), x.name], [{ name: 'axis', kind: 'int', value: 0 }]);
        y = { name, layout: 'nwc' };
        if ((layer.getConfig() as { maskZero?: boolean }).maskZero) {
          // Right padding only, so "not id 0" counts the real characters of each row.
          const real = g.op('Cast', [g.op('Greater', [x.name, g.int32Scalar('zero', 0)])], [{ name: 'to', kind: 'int', value: DataType.INT32 }]);
          y.lengths = g.op('ReduceSum', [real, g.int64s('axes', [1])], [{ name: 'keepdims', kind: 'int', value: 0 }]);
        }
        break;
      }
      case 'Conv1D':
        y = conv1d(g, layer, x);
        break;
      case 'SumOverTime': {
        const sum = g.op('ReduceSum', [x.name, g.int64s('axes', [x.layout === 'ncw' ? 2 : 1])], [{ name: 'keepdims', kind: 'int', value: 0 }]);
        y = { name: x.tail ? g.op('Add', [sum, x.tail]) : sum, layout: 'flat' };
        break;
      }
      case 'MaxPooling1D': {
        const cfg = layer.getConfig() as { poolSize: number | number[]; strides: number | number[] | null; padding: string };
        const p = Array.isArray(cfg.poolSize) ? cfg.poolSize[0] : cfg.poolSize;
        const s = cfg.strides === null ? p : Array.isArray(cfg.strides) ? cfg.strides[0] : cfg.strides;
        if (cfg.padding !== 'valid') throw new OnnxExportError(`layer '${layer.name}': pooling padding '${cfg.padding}' is not exportable`);
        y = { name: g.op('MaxPool', [toLayout(g, x, 'ncw')], [{ name: 'kernel_shape', kind: 'ints', value: [p] }, { name: 'strides', kind: 'ints', value: [s] }]), layout: 'ncw' };
        break;
      }
      case 'Flatten':
        // Keras flattens [steps, channels] step-major.
        y = { name: g.op('Flatten', [x.layout === 'flat' ? x.name : toLayout(g, x, 'nwc')], [{ name: 'axis', kind: 'int', value: 1 }]), layout: 'flat' };
        break;
      case 'Reshape': {
        const target = (layer.getConfig() as { targetShape: number[] }).targetShape;
        if (target.length > 2) throw new OnnxExportError(`layer '${layer.name}': reshape to rank ${target.length + 1} is not exportable`);
        const src = x.layout === 'flat' ? x.name : toLayout(g, x, 'nwc');
        y = { name: g.op('Reshape', [src, g.int64s('shape', [-1, ...target])]), layout: target.length === 2 ? 'nwc' : 'flat' };
        break;
      }
      case 'Concatenate': {
        const axis = (layer.getConfig() as { axis: number }).axis;
        if (!ins.every((v) => v.layout === 'flat') || (axis !== -1 && axis !== 1)) throw new OnnxExportError(`layer '${layer.name}': only concatenating flat features is exportable`);
        y = { name: g.op('Concat', ins.map((v) => v.name), [{ name: 'axis', kind: 'int', value: 1 }]), layout: 'flat' };
        break;
      }
      case 'Dense':
        y = dense(g, layer, x);
        break;
      case 'SimpleRNN':
      case 'LSTM':
      case 'GRU':
      case 'Bidirectional': {
        if (x.layout !== 'nwc' && x.layout !== 'ncw') throw new OnnxExportError(`layer '${layer.name}': a recurrence needs a sequence`);
        const timeMajor = g.op('Transpose', [x.name], [{ name: 'perm', kind: 'ints', value: x.layout === 'nwc' ? [1, 0, 2] : [2, 0, 1] }]);
        y = { name: recurrentToOnnx(g, layer, timeMajor, x.lengths), layout: 'flat' };
        break;
      }
      case 'Activation':
        y = { name: activate(g, layer, x.name), layout: x.layout };
        break;
      case 'Dropout':
      case 'SeededDropout':
      case 'SpatialDropout1D':
      case 'GaussianNoise':
        y = x; // inference-time identity
        break;
      default:
        throw new OnnxExportError(`layer '${layer.name}' (${cls}) has no ONNX mapping in this exporter`);
    }
    values.set(outputOf(layer).id, y);
  }

  const last = values.get(model.outputs[0].id);
  if (!last || last.layout !== 'flat') throw new OnnxExportError('the model output is not a flat score vector');
  const units = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  let proba = last.name;
  if (units === 1) proba = g.op('Concat', [g.op('Sub', [g.floatScalar('one', 1), last.name]), last.name], [{ name: 'axis', kind: 'int', value: 1 }]);
  let vocab = 0;
  for (const v of values.values()) if (v.trim) vocab = v.trim.vocab;
  return { proba, classes: units === 1 ? 2 : units, isIds, steps: inShape[1] as number, vocab };
}

/** Layers that may read a masked (maskZero) sequence: the recurrences use its lengths, dropout passes it on. */
const MASK_CONSUMERS = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'Dropout', 'SeededDropout']);
