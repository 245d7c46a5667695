// What the converter tracks per graph value, and helpers the layer converters share.
import type * as tf from '@tensorflow/tfjs';

/**
 * How a value is laid out: 'flat' = [batch, features]; 'nwc' = Keras' [batch, steps, channels];
 * 'ncw' = ONNX Conv's [batch, channels, steps]. Converting only when a consumer needs the other layout keeps
 * a Conv1D stack free of transposes.
 */
export type Layout = 'flat' | 'nwc' | 'ncw' | 'ids';

/** The embedded characters of a trimmed graph (trim.ts): what each trimmed convolution needs to add back. */
export interface TrimState {
  embedded: Float32Array;
  vocab: number;
  dim: number;
  steps: number;
  /** How many leading/trailing outside columns the host adds (the widest 'same' padding of any branch). */
  left: number;
  right: number;
  /** Shape(input)[1] − left − right: the positions computed in this batch. */
  computed: string;
}

export interface Value {
  name: string;
  layout: Layout;
  /**
   * Set on the embedded characters in a trimmed graph (see ExportOptions.trimPadding): the sequence holds
   * only the columns a batch needs, so each convolution must be followed by a sum over time that adds back
   * the constant contribution of the padding positions it did not compute.
   */
  trim?: TrimState;
  /** A trimmed convolution's per-start-position tail sums, waiting for its SumOverTime. */
  tail?: string;
  /** Set below an Embedding with maskZero: each row's count of non-padding ids, ONNX's sequence_lens. */
  lengths?: string;
}

export function weights(layer: tf.layers.Layer): Float32Array[] {
  return layer.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** TF's 'same' padding for stride 1: the extra element goes to the end. */
export function samePads(kernel: number, dilation: number): [number, number] {
  const total = (kernel - 1) * dilation;
  const left = Math.floor(total / 2);
  return [left, total - left];
}

export function inputOf(layer: tf.layers.Layer): tf.SymbolicTensor[] {
  const node = (layer as unknown as { inboundNodes: { inputTensors: tf.SymbolicTensor[] }[] }).inboundNodes[0];
  return node.inputTensors;
}
