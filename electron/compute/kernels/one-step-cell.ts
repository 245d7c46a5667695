import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { OneStepSpec } from '../../../models/lib/one-step-cell';
import { CELL_ACTIVATIONS, CELL_PLANES, HeapKernels } from './heap-kernels';
import { heapOffset } from './wasm-kernel-utils';

/**
 * The one-step recurrent cell (models/lib/one-step-cell.ts) on the wasm heap: step-kernels.wat reads z where
 * tf.js keeps it and writes h and the backward planes into new heap tensors, four units at a time. The
 * JavaScript loop it replaces copied z out, allocated its arrays per step and ran scalar tanh: 262 µs of an
 * lstm training step of ~900 µs (64 rows × 80 units), more than the step's matrix products.
 * Null (the JavaScript loop runs) off wasm, without the step kernels, or where units is not a multiple of 4.
 */
export function heapOneStepCell(z: tf.Tensor2D, spec: OneStepSpec): tf.Tensor2D | null {
  const { kind, units } = spec;
  const act = CELL_ACTIVATIONS[spec.activation];
  const rec = CELL_ACTIVATIONS[spec.recurrentActivation];
  if (units % 4 !== 0 || act === undefined || rec === undefined || z.dtype !== 'float32') return null;
  const k = HeapKernels.current();
  if (!k) return null;
  const backend = tf.backend() as BackendWasm;
  const engine = tf.engine();
  const [rows, width] = z.shape;
  const op = tf.customGrad((zIn, save) => {
    const hInfo = backend.makeOutput([rows, units], 'float32');
    const keepInfo = backend.makeOutput([CELL_PLANES[kind], rows * units], 'float32');
    k.cellForward(kind, heapOffset(backend, zIn as tf.Tensor), heapOffset(backend, hInfo), heapOffset(backend, keepInfo), rows, units, act, rec);
    const keep = engine.makeTensorFromTensorInfo(keepInfo, backend);
    // Kept by the engine only while a gradient tape records (and released after backprop); otherwise the
    // forward scope disposes it.
    (save as tf.GradSaveFunc)([keep]);
    return {
      value: engine.makeTensorFromTensorInfo(hInfo, backend),
      gradFunc: (dy, saved) => {
        const dzInfo = backend.makeOutput([rows, width], 'float32');
        k.cellBackward(kind, heapOffset(backend, dy as tf.Tensor), heapOffset(backend, saved[0]), heapOffset(backend, dzInfo), rows, units);
        return engine.makeTensorFromTensorInfo(dzInfo, backend);
      },
    };
  });
  return op(z) as tf.Tensor2D;
}

