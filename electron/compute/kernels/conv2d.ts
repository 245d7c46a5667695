import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ortConv2D } from './ort-native';
import { finalizeOutput, replaceWasmKernel } from './wasm-kernel-utils';

/**
 * Conv2D (Conv1D's forward pass, and the input gradient, which conv2d-backprop-input.ts turns into a
 * convolution) on onnxruntime when it loads: MLAS with AVX2/FMA instead of XNNPACK in 128-bit wasm SIMD.
 * Anything it does not take (no onnxruntime, NCHW) runs the original kernel.
 */
export function makeConv2D(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, filter } = args.inputs as unknown as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    if (dataFormat !== 'NHWC') return original.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
    const { top, bottom, left, right } = info.padInfo;
    const out = ortConv2D(backend, x, filter, info.outShape, [info.strideHeight, info.strideWidth], [top, left, bottom, right], [info.dilationHeight, info.dilationWidth]);
    return out ? finalizeOutput(backend, out, info.outShape) : original.kernelFunc(args);
  };
}

export function registerConv2DFix(): void {
  replaceWasmKernel('Conv2D', (original) => {
    if (original == null) throw new Error("wasm 'Conv2D' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeConv2D(original);
  });
}
