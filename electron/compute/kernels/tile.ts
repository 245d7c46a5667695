import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, TileAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapKernels } from './heap-kernels';
import { ortTile } from './ort-native';
import { heapOffset, replaceWasmKernel } from './wasm-kernel-utils';

/** Large float tiles on onnxruntime; small ones and other types stay on wasm. */
const MIN_ELEMENTS = 1 << 14;

/**
 * A float tile along at most one axis (a sum over time's gradient: [b, 1, f] → [b, t, f]) as block copies on
 * the wasm heap by the step kernels. onnxruntime did it fast but its binding returns a fresh JavaScript copy of
 * every output: 4 × 10 MB of garbage per char-cnn step for the collector. Null when the case is not that.
 */
function heapTile(backend: BackendWasm, x: TensorInfo, reps: number[], outShape: number[]): TensorInfo | null {
  const tiled = reps.flatMap((r, i) => (r !== 1 ? [i] : []));
  if (tiled.length > 1) return null;
  const k = HeapKernels.for(backend);
  if (!k) return null;
  const axis = tiled[0] ?? 0;
  const out = backend.makeOutput(outShape, 'float32');
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const block = tf.util.sizeFromShape(x.shape.slice(axis)) * 4;
  if (outer * block > 0) k.repeatBlocks(heapOffset(backend, x), heapOffset(backend, out), outer, block, reps[axis] ?? 1);
  return out;
}

export function makeTile(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as unknown as { x: TensorInfo };
    const { reps } = args.attrs as unknown as TileAttrs;
    const outShape = x.shape.map((d, i) => d * reps[i]);
    if (x.dtype !== 'float32') return original.kernelFunc(args);
    const own = heapTile(backend, x, reps, outShape);
    if (own) return own;
    if (tf.util.sizeFromShape(outShape) < MIN_ELEMENTS) return original.kernelFunc(args);
    return ortTile(backend, x, reps, outShape) ?? original.kernelFunc(args);
  };
}

export function registerTileFix(): void {
  replaceWasmKernel('Tile', (original) => {
    if (original == null) throw new Error("wasm 'Tile' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeTile(original);
  });
}
