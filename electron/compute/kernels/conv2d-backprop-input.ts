import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeIntermediate, finalizeOutput, replaceWasmKernel, requireWasmKernel, runWasmKernel } from './wasm-kernel-utils';

/**
 * The wasm Conv2DBackpropInput is a naive loop (1.8 s per char-CNN step). For
 * stride 1, dx is the convolution of dy (re-padded by filter-1-pad) with the
 * filter flipped in space and with in/out channels swapped, which runs on the
 * XNNPACK Conv2D. Anything else falls back to the original kernel.
 */
export function makeConv2DBackpropInput(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as unknown as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return original.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { filterHeight: fh, filterWidth: fw, inChannels, outChannels } = info;
    if (info.strideHeight !== 1 || info.strideWidth !== 1) return original.kernelFunc(args);
    const pads = [fh - 1 - info.padInfo.top, fh - 1 - info.padInfo.bottom, fw - 1 - info.padInfo.left, fw - 1 - info.padInfo.right];
    if (pads.some((p) => p < 0)) return original.kernelFunc(args);

    const flipped = backend.makeOutput([fh, fw, outChannels, inChannels], 'float32');
    const F = backend.typedArrayFromHeap(flipped) as Float32Array;
    const W = backend.typedArrayFromHeap(filter) as Float32Array;
    for (let h = 0; h < fh; h++) {
      for (let w = 0; w < fw; w++) {
        const src = (h * fw + w) * inChannels * outChannels;
        const dst = ((fh - 1 - h) * fw + (fw - 1 - w)) * outChannels * inChannels;
        for (let i = 0; i < inChannels; i++) {
          for (let o = 0; o < outChannels; o++) F[dst + o * inChannels + i] = W[src + i * outChannels + o];
        }
      }
    }
    try {
      const dx = runWasmKernel(requireWasmKernel('Conv2D'), backend, { x: dy, filter: flipped }, {
        strides: [1, 1],
        pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      } as never);
      return finalizeOutput(backend, dx, [...inputShape]);
    } finally {
      disposeIntermediate(backend, flipped);
    }
  };
}

export function registerConv2DBackpropInputFix(): void {
  replaceWasmKernel('Conv2DBackpropInput', (original) => {
    if (original == null) throw new Error("wasm 'Conv2DBackpropInput' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeConv2DBackpropInput(original);
  });
}
