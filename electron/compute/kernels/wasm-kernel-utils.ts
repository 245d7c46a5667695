import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM = 'wasm';

/** A wasm tensor's byte offset on the backend's heap (where its floats start). */
export function heapOffset(backend: BackendWasm, t: TensorInfo): number {
  return (backend.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
}

// Marks configs we registered, so a second registration (or a second copy of
// this module) leaves the current kernel alone instead of wrapping a wrapper.
const FIX_MARK = Symbol.for('deeptriage.wasmKernelFix');

type Marked = KernelFunc & { [FIX_MARK]?: true };

export function getWasmKernel(name: string): KernelConfig | undefined {
  try {
    return tf.getKernel(name, WASM);
  } catch {
    return undefined;
  }
}

export function isFixed(name: string): boolean {
  const k = getWasmKernel(name);
  return k != null && (k.kernelFunc as Marked)[FIX_MARK] === true;
}

/**
 * Replaces (or adds) the wasm kernel `name`. `make` receives the kernel that was
 * registered before, if any, so the fix can fall back to it.
 * The original setupFunc is kept: it is what binds the C++ entry point when the
 * backend is (re)initialised, and our fallbacks still call the original.
 */
export function replaceWasmKernel(
  name: string,
  make: (original: KernelConfig | undefined) => KernelFunc,
): void {
  if (isFixed(name)) return;
  const original = getWasmKernel(name);
  const kernelFunc = make(original) as Marked;
  kernelFunc[FIX_MARK] = true;
  if (original != null) tf.unregisterKernel(name, WASM);
  tf.registerKernel({
    kernelName: name,
    backendName: WASM,
    kernelFunc,
    setupFunc: original?.setupFunc,
    disposeFunc: original?.disposeFunc,
  });
}

/** Runs a wasm kernel directly (no engine, no tape), the way wasm kernels compose. */
export function runWasmKernel(
  kernel: KernelConfig,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`kernel ${kernel.kernelName} returned several outputs, expected one`);
  return out;
}

/** Looks up a kernel that must exist on wasm; registration order does not matter. */
export function requireWasmKernel(name: string): KernelConfig {
  const k = getWasmKernel(name);
  if (k == null) throw new Error(`wasm kernel fixes need the wasm '${name}' kernel; is @tensorflow/tfjs-backend-wasm imported?`);
  return k;
}

/** Same data, different shape; no copy and no refcount change (do not dispose separately). */
export function reshapeView(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * Gives a tensor we made the shape the caller expects. The wasm backend also keeps
 * a shape per dataId, which some kernels (the fused matmul bias check) read.
 */
export function finalizeOutput(backend: BackendWasm, info: TensorInfo, shape: number[]): TensorInfo {
  const data = backend.dataIdMap.get(info.dataId) as { shape: number[] } | undefined;
  if (data != null) data.shape = shape;
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function disposeIntermediate(backend: BackendWasm, ...infos: (TensorInfo | null | undefined)[]): void {
  for (const info of infos) if (info != null) backend.disposeData(info.dataId);
}

/** Swaps the two innermost axes with the wasm Transpose kernel (XNNPACK-free but vectorised). */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return runWasmKernel(requireWasmKernel('Transpose'), backend, { x }, { perm });
}

/**
 * Registers one of our own ops on wasm: its forward kernel, the kernel its gradient runs, and its (lazy,
 * per-input) gradient. Once per name; whether it is registered is `getWasmKernel(name) != null`.
 */
export function registerWasmOp(op: { name: string; forward: KernelFunc; gradName: string; backward: KernelFunc; gradient: Omit<GradConfig, 'kernelName'> }): void {
  if (getWasmKernel(op.name)) return;
  tf.registerKernel({ kernelName: op.name, backendName: WASM, kernelFunc: op.forward });
  tf.registerKernel({ kernelName: op.gradName, backendName: WASM, kernelFunc: op.backward });
  tf.registerGradient({ kernelName: op.name, ...op.gradient });
}
