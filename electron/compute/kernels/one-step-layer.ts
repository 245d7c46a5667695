import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { OneStepSpec } from '../../../models/lib/one-step-cell';
import { CELL_ACTIVATIONS, CELL_GATES, CELL_PLANES, HeapKernels, type HeapCellKind } from './heap-kernels';
import { ortGemm } from './ort-native';
import { disposeIntermediate, getWasmKernel, heapOffset, registerWasmOp, requireWasmKernel, reshapeView, runWasmKernel } from './wasm-kernel-utils';

/**
 * A whole one-step recurrent layer (models/lib/one-step-rnn.ts) as ONE wasm kernel with a registered
 * gradient: z = x·W + b by onnxruntime's GEMM into the heap, then step-kernels.wat's gate arithmetic, which
 * writes h and the planes its backward pass multiplies dh by, four units at a time.
 *
 * Why a kernel and not tf.fused.matMul + a customGrad cell: the step of a records LSTM is ~1 ms of some 50
 * small kernels, and each costs its dispatch, its tape node and a clone of every tensor it saves (the fused
 * matMul alone: 2 reshapes, 4 saved clones, its own scope). A customGrad also computes every input's gradient
 * eagerly, so each step paid a [rows, gates·units] × [gates·units, features] product for the gradient of the
 * input data, which nothing reads. A registered gradient is lazy per input: the engine asks for dx only where
 * something upstream needs it (the explanations' input gradients do; training does not).
 * The JavaScript loop the gate arithmetic replaces was 262 µs of a ~900 µs lstm step (64 rows × 80 units).
 */
export const ONE_STEP_LAYER = 'DeepTriageOneStepLayer';
const ONE_STEP_LAYER_GRAD = 'DeepTriageOneStepLayerGrad';

interface LayerAttrs {
  kind: HeapCellKind;
  units: number;
  act: number;
  rec: number;
}

const attrsOf = (a: NamedAttrMap) => a as unknown as LayerAttrs;

/** x [rows, features] or [rows, 1, features] as a 2-D view (same data). */
const rows2d = (x: TensorInfo) => reshapeView(x, [x.shape[0], x.shape[x.shape.length - 1]]);

/** z = x·W (+ b): onnxruntime's GEMM where it loads, else the wasm backend's fused product (batch 1). */
function gatesInput(backend: BackendWasm, x: TensorInfo, w: TensorInfo, bias: TensorInfo | undefined): TensorInfo {
  const z = ortGemm(backend, x, w, false, false, bias);
  if (z) return z;
  const [rows, features] = x.shape;
  const width = w.shape[1];
  const z3 = runWasmKernel(requireWasmKernel('_FusedMatMul'), backend,
    { a: reshapeView(x, [1, rows, features]), b: reshapeView(w, [1, features, width]), ...(bias ? { bias } : {}) },
    { transposeA: false, transposeB: false, activation: 'linear' });
  return reshapeView(z3, [rows, width]);
}

const forward: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as BackendWasm;
  const { kind, units, act, rec } = attrsOf(attrs!);
  const k = HeapKernels.for(backend)!;
  const x = rows2d(inputs.x as TensorInfo);
  const rows = x.shape[0];
  const z = gatesInput(backend, x, inputs.kernel as TensorInfo, inputs.bias as TensorInfo | undefined);
  const h = backend.makeOutput([rows, units], 'float32');
  const keep = backend.makeOutput([CELL_PLANES[kind], rows * units], 'float32');
  k.cellForward(kind, heapOffset(backend, z), heapOffset(backend, h), heapOffset(backend, keep), rows, units, act, rec);
  disposeIntermediate(backend, z);
  return [h, keep];
};

/** dz [rows, gates·units] from dh and the forward pass's planes. */
const backwardGates: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as BackendWasm;
  const { kind, units } = attrsOf(attrs!);
  const dh = inputs.dh as TensorInfo;
  const rows = dh.shape[0];
  const dz = backend.makeOutput([rows, CELL_GATES[kind] * units], 'float32');
  HeapKernels.for(backend)!.cellBackward(kind, heapOffset(backend, dh), heapOffset(backend, inputs.keep as TensorInfo), heapOffset(backend, dz), rows, units);
  return dz;
};

/** Registers the two kernels on wasm and the layer's gradient (once). */
export function registerOneStepLayer(): void {
  registerWasmOp({ name: ONE_STEP_LAYER, forward, gradName: ONE_STEP_LAYER_GRAD, backward: backwardGates, gradient: {
    inputsToSave: ['x', 'kernel'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, kernel, keep] = saved;
      const dh = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const dz = tf.engine().runKernel(ONE_STEP_LAYER_GRAD, { dh, keep }, attrs as unknown as NamedAttrMap) as tf.Tensor2D;
      const x2 = () => tf.reshape(x, [x.shape[0], x.shape[x.shape.length - 1]]) as tf.Tensor2D;
      return {
        x: () => tf.reshape(tf.matMul(dz, kernel as tf.Tensor2D, false, true), x.shape),
        kernel: () => tf.matMul(x2(), dz, true, false),
        bias: () => tf.sum(dz, 0),
      };
    },
  } });
}

/**
 * h [rows, units] of a one-step layer from x [rows, features] or [rows, 1, features], its kernel and bias, as
 * the registered kernel; null (the caller's ops run) off wasm, without the step kernels, or where units is
 * not a multiple of 4.
 */
export function wasmOneStepLayer(x: tf.Tensor, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, spec: OneStepSpec): tf.Tensor2D | null {
  const act = CELL_ACTIVATIONS[spec.activation];
  const rec = CELL_ACTIVATIONS[spec.recurrentActivation];
  if (!getWasmKernel(ONE_STEP_LAYER) || spec.units % 4 !== 0 || act === undefined || rec === undefined) return null;
  if (x.dtype !== 'float32' || kernel.shape[1] !== CELL_GATES[spec.kind] * spec.units || (x.rank === 3 && x.shape[1] !== 1)) return null;
  if (!HeapKernels.current()) return null;
  const attrs: LayerAttrs = { kind: spec.kind, units: spec.units, act, rec };
  const [h, keep] = tf.engine().runKernel(ONE_STEP_LAYER, { x, kernel, ...(bias ? { bias } : {}) }, attrs as unknown as NamedAttrMap) as tf.Tensor[];
  // Saved by the engine for the backward pass while a tape records; not an output of the layer.
  keep.dispose();
  return h as tf.Tensor2D;
}
