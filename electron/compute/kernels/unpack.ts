import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, UnpackAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapKernels } from './heap-kernels';
import { heapOffset, replaceWasmKernel } from './wasm-kernel-utils';

/**
 * Unpack (an RNN layer splits its [batch, time, features] input into time steps) as strided block copies on
 * the wasm heap. The wasm kernel runs one general Slice per output: 7–10 ms of an 81 ms char-cnn-lstm step for
 * [128, 18, 256]. 4-byte types; others run the original kernel.
 */
export function makeUnpack(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { value } = args.inputs as unknown as { value: TensorInfo };
    const rank = value.shape.length;
    const axis = ((args.attrs as unknown as UnpackAttrs).axis + rank) % rank;
    const k = value.dtype === 'float32' || value.dtype === 'int32' ? HeapKernels.for(backend) : null;
    if (!k) return original.kernelFunc(args);
    const n = value.shape[axis];
    const outShape = value.shape.filter((_, i) => i !== axis);
    const outer = tf.util.sizeFromShape(value.shape.slice(0, axis));
    const blockBytes = tf.util.sizeFromShape(value.shape.slice(axis + 1)) * 4;
    const outs: TensorInfo[] = [];
    for (let i = 0; i < n; i++) {
      const out = backend.makeOutput(outShape, value.dtype);
      if (outer * blockBytes > 0) k.stridedBlocks(heapOffset(backend, value) + i * blockBytes, heapOffset(backend, out), outer, blockBytes, n * blockBytes);
      outs.push(out);
    }
    return outs;
  };
}

export function registerUnpackFix(): void {
  replaceWasmKernel('Unpack', (original) => {
    if (original == null) throw new Error("wasm 'Unpack' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeUnpack(original);
  });
}
