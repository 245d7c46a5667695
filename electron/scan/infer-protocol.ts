import type { PreparedOnnx } from '../onnx/scorer';

/** What a scan inference worker is started with. */
export interface InferInit {
  runDir: string;
  /** The backend the scan job picked (BackendName), so every worker computes the same numbers. */
  backend: string;
  /** Converted once by the scan job: the worker then runs onnxruntime alone and never loads tf.js. */
  onnx?: PreparedOnnx;
}

export type ToInfer = { type: 'predict'; id: number; x: Int32Array | Float32Array; rows: number } | { type: 'close' };

export type FromInfer =
  | { type: 'ready'; engine: string }
  | { type: 'predicted'; id: number; proba: Float32Array }
  | { type: 'error'; message: string };
