import * as tf from '@tensorflow/tfjs';
import type { GatherV2Attrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { finalizeOutput, replaceWasmKernel } from './wasm-kernel-utils';

/**
 * Gather (every Embedding's forward pass). The wasm kernel moves one element at a time through stride
 * arithmetic (11 ms for a 128 × 75 batch of 32-wide rows); here each gathered slice is one
 * TypedArray.set on the heap. Same index check and error as the wasm kernel; any axis and batchDims.
 */
export const gatherV2: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, indices } = args.inputs as unknown as { x: TensorInfo; indices: TensorInfo };
  const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
  const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as tf.Tensor, indices as tf.Tensor, parsedAxis, batchDims);
  const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
  const out = backend.makeOutput(outputShape, x.dtype);
  if (tf.util.sizeFromShape(outputShape) === 0) return finalizeOutput(backend, out, outputShape);
  // Views after the allocation: it may have grown (and detached) the heap.
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < ids.length; i++) {
    const index = ids[i];
    tf.util.assert(index <= dimSize - 1 && index >= 0, () => `GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
  }
  const perBatch = ids.length / batchSize;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let outer = 0; outer < outerSize; outer++) {
      const base = (b * outerSize + outer) * dimSize;
      for (let i = 0; i < perBatch; i++) {
        const from = (base + ids[b * perBatch + i]) * sliceSize;
        if (sliceSize === 1) dst[o] = src[from];
        else dst.set(src.subarray(from, from + sliceSize), o);
        o += sliceSize;
      }
    }
  }
  return finalizeOutput(backend, out, outputShape);
};

export function registerGatherFix(): void {
  replaceWasmKernel('GatherV2', () => gatherV2);
}
