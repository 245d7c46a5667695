import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, TileAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ortTile } from './ort-native';
import { replaceWasmKernel } from './wasm-kernel-utils';

/** Large float tiles on onnxruntime (a broadcast gradient over time); small ones and other types stay on wasm. */
const MIN_ELEMENTS = 1 << 14;

export function makeTile(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as unknown as { x: TensorInfo };
    const { reps } = args.attrs as unknown as TileAttrs;
    const outShape = x.shape.map((d, i) => d * reps[i]);
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(outShape) < MIN_ELEMENTS) return original.kernelFunc(args);
    return ortTile(backend, x, reps, outShape) ?? original.kernelFunc(args);
  };
}

export function registerTileFix(): void {
  replaceWasmKernel('Tile', (original) => {
    if (original == null) throw new Error("wasm 'Tile' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeTile(original);
  });
}
