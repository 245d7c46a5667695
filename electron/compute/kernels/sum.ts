import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ortReduceSum } from './ort-native';
import { replaceWasmKernel } from './wasm-kernel-utils';

/** Large float sums on onnxruntime (sum over time, bias gradients); small ones and the rest stay on wasm. */
const MIN_ELEMENTS = 1 << 14;

export function makeSum(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as unknown as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) < MIN_ELEMENTS) return original.kernelFunc(args);
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return ortReduceSum(backend, x, axes, keepDims, outShape) ?? original.kernelFunc(args);
  };
}

export function registerSumFix(): void {
  replaceWasmKernel('Sum', (original) => {
    if (original == null) throw new Error("wasm 'Sum' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeSum(original);
  });
}
