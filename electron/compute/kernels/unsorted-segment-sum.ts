import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { finalizeOutput, replaceWasmKernel } from './wasm-kernel-utils';

/**
 * Not registered on wasm at all, yet it is the gradient of Gather (so of every
 * Embedding layer). A direct scatter-add over the wasm heap: one pass, no copies.
 * Ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export const unsortedSegmentSum: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as unknown as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm fix): dtype ${x.dtype} not supported, expected float32 or int32`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm fix): segmentIds must be int32, got ${segmentIds.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  for (let i = 0; i < idsRank; i++) {
    if (segmentIds.shape[i] !== x.shape[i]) {
      throw new Error(`UnsortedSegmentSum (wasm fix): segmentIds shape ${segmentIds.shape} is not a prefix of x shape ${x.shape}`);
    }
  }
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const inner = tf.util.sizeFromShape(x.shape.slice(idsRank));
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const out = backend.makeOutput(outShape, x.dtype);
  // Views taken after the allocation above: a heap growth would detach older ones.
  const outV = backend.typedArrayFromHeap(out);
  const xV = backend.typedArrayFromHeap(x);
  const idsV = backend.typedArrayFromHeap(segmentIds);
  outV.fill(0);
  for (let i = 0; i < n; i++) {
    const s = idsV[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) outV[dst + j] += xV[src + j];
  }
  return finalizeOutput(backend, out, outShape);
};

export function registerUnsortedSegmentSumFix(): void {
  replaceWasmKernel('UnsortedSegmentSum', () => unsortedSegmentSum);
}
