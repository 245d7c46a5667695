import { registerBatchMatMulFix } from './batch-matmul';
import { registerConv2DFix } from './conv2d';
import { setDropoutMaskSource } from '../../../models/lib/layers';
import { heapDropoutMask } from './heap-kernels';
import { setLstmSequenceKernel, setOneStepLayerKernel } from '../../../models/lib/one-step-cell';
import { registerLstmSequence, wasmLstmSequence } from './lstm-sequence';
import { registerOneStepLayer, wasmOneStepLayer } from './one-step-layer';
import { registerSumFix } from './sum';
import { registerTileFix } from './tile';
import { registerMaxPoolGradFix } from './max-pool-grad';
import { registerUnpackFix } from './unpack';
import { registerConv2DBackpropFilterFix } from './conv2d-backprop-filter';
import { registerConv2DBackpropInputFix } from './conv2d-backprop-input';
import { registerFusedMatMulFix } from './fused-matmul';
import { registerGatherFix } from './gather';
import { registerIdentityFix } from './identity';
import { registerUnsortedSegmentSumFix } from './unsorted-segment-sum';

/**
 * Makes the TF.js wasm backend fit to train on: faster matmul gradients and conv
 * gradients, plus the kernels wasm lacks (Conv2DBackpropFilter, UnsortedSegmentSum);
 * matrix products, convolutions, large sums and tiles go to onnxruntime's native kernels when it loads; clones share buffers
 * and Gather copies whole slices; dropout masks and the one-step recurrent layers run in the SIMD step kernels (Adam's fused step is
 * adam.ts, chosen by makeOptimizer).
 * Call once after `tf.setBackend('wasm')`; calling again is a no-op.
 */
export function registerWasmKernelFixes(): void {
  registerBatchMatMulFix();
  registerFusedMatMulFix();
  registerConv2DFix();
  registerSumFix();
  registerTileFix();
  registerMaxPoolGradFix();
  registerUnpackFix();
  registerConv2DBackpropFilterFix();
  registerConv2DBackpropInputFix();
  registerUnsortedSegmentSumFix();
  registerIdentityFix();
  registerGatherFix();
  setDropoutMaskSource(heapDropoutMask);
  registerOneStepLayer();
  setOneStepLayerKernel(wasmOneStepLayer);
  registerLstmSequence();
  setLstmSequenceKernel(wasmLstmSequence);
}
