import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapKernels } from './heap-kernels';
import { heapOffset, replaceWasmKernel } from './wasm-kernel-utils';

/**
 * MaxPooling1D's gradient (a max pool along one axis, windows that neither overlap nor pad: Keras' default
 * stride = pool size, 'valid') by the SIMD step kernels, four channels at a time. The wasm backend's
 * MaxPoolGrad walked every window for every input position: 48 ms of a 131 ms char-cnn-lstm training step
 * ([128, 75, 256], pool 4). Every other float pooling is a JavaScript scatter (scatterToMaxima); other
 * dtypes run the original kernel.
 */
export function makeMaxPoolGrad(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, input } = args.inputs as unknown as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    const k = input.dtype === 'float32' && dy.dtype === 'float32' ? HeapKernels.for(backend) : null;
    if (!k) return original.kernelFunc(args);
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    // One axis of length 1 (MaxPooling1D pools [batch, time, 1, channels] over height): a row of `steps`.
    const alongHeight = info.inWidth === 1 && info.filterWidth === 1 && info.strideWidth === 1;
    const alongWidth = info.inHeight === 1 && info.filterHeight === 1 && info.strideHeight === 1;
    const [steps, outSteps, pool, stride, padStart, dilation] = alongHeight
      ? [info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, info.padInfo.top, info.dilationHeight]
      : [info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.padInfo.left, info.dilationWidth];
    const tiled = stride === pool && padStart === 0 && dilation === 1 && outSteps * pool <= steps;
    const dx = backend.makeOutput(input.shape, 'float32');
    if (tf.util.sizeFromShape(input.shape) === 0) return dx;
    if ((alongHeight || alongWidth) && tiled && info.inChannels % 4 === 0) {
      k.maxPoolGrad1d(heapOffset(backend, input), heapOffset(backend, dy), heapOffset(backend, dx),
        info.batchSize, steps, outSteps, info.inChannels, pool);
    } else {
      const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
      scatterToMaxima(view(input), view(dy), view(dx), info);
    }
    return dx;
  };
}

/**
 * Every other max pool (overlapping windows, padding, dilation, any channels): each window's gradient to its
 * first maximum, summed where windows overlap, as the cpu backend computes it. The wasm kernel gives 0 where
 * windows overlap (measured: stride 1, pool 3 against cpu), so nothing is left to it. (The cpu backend's own
 * maxPoolPositions is internal to @tensorflow/tfjs-backend-cpu, not a dependency, so its rule is written here.)
 */
function scatterToMaxima(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < oH; yR++) {
      const rCorner = yR * sh - top;
      let rMin = rCorner;
      while (rMin < 0) rMin += dh;
      const rMax = Math.min(H, fh + rCorner);
      for (let yC = 0; yC < oW; yC++) {
        const cCorner = yC * sw - left;
        let cMin = cCorner;
        while (cMin < 0) cMin += dw;
        const cMax = Math.min(W, fw + cCorner);
        const out = ((b * oH + yR) * oW + yC) * C;
        for (let d = 0; d < C; d++) {
          let max = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = rMin; r < rMax; r += dh) {
            for (let c = cMin; c < cMax; c += dw) {
              const i = ((b * H + r) * W + c) * C + d;
              if (x[i] > max) {
                max = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += dy[out + d];
        }
      }
    }
  }
}

export function registerMaxPoolGradFix(): void {
  replaceWasmKernel('MaxPoolGrad', (original) => {
    if (original == null) throw new Error("wasm 'MaxPoolGrad' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeMaxPoolGrad(original);
  });
}
