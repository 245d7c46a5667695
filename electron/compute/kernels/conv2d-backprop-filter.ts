import * as tf from '@tensorflow/tfjs';
import type { backend_util, Conv2DBackpropFilterAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  disposeIntermediate,
  finalizeOutput,
  replaceWasmKernel,
  requireWasmKernel,
  reshapeView,
  runWasmKernel,
} from './wasm-kernel-utils';

type Conv2DInfo = backend_util.Conv2DInfo;

/** Bounds the im2col buffer (in floats); larger batches are processed in chunks. Mutable for tests. */
export const conv2DBackpropFilterOptions = { maxPatchFloats: 1 << 24 };

/**
 * Not registered on wasm, so no conv layer (Conv1D included: it is a conv2d with
 * height 1) can train. dW = patches^T . dy: the transposed im2col matrix is built
 * straight on the wasm heap from a channels-first copy of x, then one plain
 * (XNNPACK) matmul. Any stride and padding; NHWC and dilation 1 only (tfjs never
 * asks for a dilated conv gradient).
 */
export const conv2DBackpropFilter: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as unknown as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter (wasm fix): dataFormat '${dataFormat}' not supported, only 'NHWC'`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm fix): float32 only, got x ${x.dtype} and dy ${dy.dtype}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight: fh, filterWidth: fw } = info;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error('Conv2DBackpropFilter (wasm fix): dilation > 1 not supported');
  }
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels) {
    throw new Error(`Conv2DBackpropFilter (wasm fix): dy shape ${dy.shape} does not match conv output ${info.outShape}`);
  }
  const K = fh * fw * inChannels;
  const perSample = outHeight * outWidth;
  const chunk = Math.max(1, Math.min(batchSize, Math.floor(conv2DBackpropFilterOptions.maxPatchFloats / Math.max(1, perSample * K))));
  const matMul = requireWasmKernel('BatchMatMul');
  const slice = requireWasmKernel('Slice');

  // Channels-first copy of x: each im2col row (kh, kw, c) is then a set of
  // contiguous runs of one channel plane, copied with TypedArray.set.
  const xT = runWasmKernel(requireWasmKernel('Transpose'), backend, { x }, { perm: [3, 0, 1, 2] });
  let acc: Float32Array | null = null;
  let result: TensorInfo | null = null;
  try {
    for (let n0 = 0; n0 < batchSize; n0 += chunk) {
      const nb = Math.min(chunk, batchSize - n0);
      const M = nb * perSample;
      const patchesT = backend.makeOutput([K, M], 'float32');
      const PT = backend.typedArrayFromHeap(patchesT) as Float32Array;
      const XT = backend.typedArrayFromHeap(xT) as Float32Array;
      fillPatchesT(PT, XT, M, n0, nb, info);
      const dyChunk = nb === batchSize ? null
        : runWasmKernel(slice, backend, { x: dy }, { begin: [n0, 0, 0, 0], size: [nb, outHeight, outWidth, outChannels] });
      const a = reshapeView(patchesT, [1, K, M]);
      const b = reshapeView(dyChunk ?? dy, [1, M, outChannels]);
      const dw = runWasmKernel(matMul, backend, { a, b }, { transposeA: false, transposeB: false });
      disposeIntermediate(backend, patchesT, dyChunk);
      if (nb === batchSize) {
        result = dw;
      } else {
        const part = backend.typedArrayFromHeap(dw) as Float32Array;
        if (acc == null) acc = new Float32Array(part);
        else for (let i = 0; i < acc.length; i++) acc[i] += part[i];
        disposeIntermediate(backend, dw);
      }
    }
  } finally {
    disposeIntermediate(backend, xT);
  }
  if (result == null) {
    result = backend.makeOutput(filterShape, 'float32');
    (backend.typedArrayFromHeap(result) as Float32Array).set(acc!);
  }
  return finalizeOutput(backend, result, [...filterShape]);
};

/**
 * Writes the transposed im2col matrix: row (kh, kw, c), column (n - n0, oh, ow),
 * from x laid out as [C, N, H, W]. Padding cells are written as zeros.
 */
function fillPatchesT(
  PT: Float32Array, XT: Float32Array, M: number, n0: number, nb: number, info: Conv2DInfo,
): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      // Output columns whose input column lies inside x: iw = ow * sw + kw - left in [0, W).
      const owLo = Math.min(oW, Math.max(0, Math.ceil((left - kw) / sw)));
      const owHi = Math.max(owLo, Math.min(oW, Math.floor((W - 1 + left - kw) / sw) + 1));
      for (let c = 0; c < C; c++) {
        const row = ((kh * fw + kw) * C + c) * M;
        for (let n = n0; n < n0 + nb; n++) {
          const plane = (c * batchSize + n) * H * W;
          for (let oh = 0; oh < oH; oh++) {
            const dst = row + ((n - n0) * oH + oh) * oW;
            const ih = oh * sh + kh - top;
            if (ih < 0 || ih >= H) {
              PT.fill(0, dst, dst + oW);
              continue;
            }
            if (owLo > 0) PT.fill(0, dst, dst + owLo);
            if (owHi < oW) PT.fill(0, dst + owHi, dst + oW);
            const src = plane + ih * W + kw - left;
            if (sw === 1) {
              PT.set(XT.subarray(src + owLo, src + owHi), dst + owLo);
            } else {
              for (let ow = owLo; ow < owHi; ow++) PT[dst + ow] = XT[src + ow * sw];
            }
          }
        }
      }
    }
  }
}

export function registerConv2DBackpropFilterFix(): void {
  replaceWasmKernel('Conv2DBackpropFilter', () => conv2DBackpropFilter);
}
