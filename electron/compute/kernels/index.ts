import { registerBatchMatMulFix } from './batch-matmul';
import { registerConv2DBackpropFilterFix } from './conv2d-backprop-filter';
import { registerConv2DBackpropInputFix } from './conv2d-backprop-input';
import { registerFusedMatMulFix } from './fused-matmul';
import { registerUnsortedSegmentSumFix } from './unsorted-segment-sum';

/**
 * Makes the TF.js wasm backend fit to train on: faster matmul gradients and conv
 * gradients, plus the kernels wasm lacks (Conv2DBackpropFilter, UnsortedSegmentSum).
 * Call once after `tf.setBackend('wasm')`; calling again is a no-op.
 */
export function registerWasmKernelFixes(): void {
  registerBatchMatMulFix();
  registerFusedMatMulFix();
  registerConv2DBackpropFilterFix();
  registerConv2DBackpropInputFix();
  registerUnsortedSegmentSumFix();
}
