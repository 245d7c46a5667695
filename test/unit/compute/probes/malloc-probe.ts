// Run as a child process by kernels.test.ts: glibc's malloc thresholds are process-wide and move with the
// process's allocation history, so each measurement needs a fresh process. Prints, as JSON, the minor page
// faults per call of a char-cnn branch's convolution (Conv1D 32 → 256 channels over 75 characters, batch
// 128: a 10 MB output) on the wasm backend with onnxruntime's kernels.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../../../electron/compute/kernels/index';
import { loadNativeKernels } from '../../../../electron/compute/kernels/ort-native';

await tf.setBackend('wasm');
registerWasmKernelFixes();
if (!loadNativeKernels()) throw new Error('onnxruntime-node did not load');
const x = tf.randomNormal([128, 75, 32]) as tf.Tensor3D;
const w = tf.randomNormal([3, 32, 256], 0, 0.1) as tf.Tensor3D;
const step = () => tf.dispose(tf.conv1d(x, w, 1, 'same'));
for (let i = 0; i < 3; i++) step();
const before = process.resourceUsage().minorPageFault;
const N = 8;
for (let i = 0; i < N; i++) step();
console.log(JSON.stringify({ faultsPerCall: (process.resourceUsage().minorPageFault - before) / N }));
