import type { ModelSpec } from '../../../models/types';

/** Layout of ctrl (Int32Array over a SharedArrayBuffer) used by the replicas' barrier. */
export const CTRL = { count: 0, generation: 1, abort: 2, length: 3 } as const;

/** Everything a replica needs; all bulk arrays are views over SharedArrayBuffers, so nothing is copied per step. */
export interface ReplicaInit {
  replica: number;
  replicas: number;
  modelId: string;
  spec: ModelSpec;
  backend: string;
  optimizer: string;
  learningRate: number;
  cols: number;
  trainX: Float32Array | Int32Array;
  trainY: Int32Array;
  /** Per-class loss weights or null. */
  classWeights: Float32Array | null;
  /** The epoch's row order, rewritten by the coordinator before an epoch's first step. */
  order: Int32Array;
  valX: Float32Array | Int32Array | null;
  /** valRows × numClasses probabilities, each replica fills its share. */
  valProbs: Float32Array | null;
  /** replicas × gradSize: replica r writes its gradients at r × gradSize. */
  grads: Float32Array;
  /** gradSize: the exchanged values — with Adam the current flat weights, each replica updating its slice in place; with
   * other optimizers the summed gradients, then the new values of the variables each replica owns. */
  gradSum: Float32Array;
  /** All model weights (getWeights order): the initial weights in, pulled weights out. */
  weights: Float32Array;
  ctrl: Int32Array;
}

export type ToReplica =
  | { type: 'step'; from: number; to: number }
  | { type: 'predict'; from: number; to: number; batchSize: number }
  | { type: 'pull' };

export type FromReplica =
  | { type: 'ready' }
  | { type: 'stepped'; loss: number; correct: number }
  | { type: 'predicted' }
  | { type: 'pulled' }
  | { type: 'error'; message: string };

/** Rows [from, to) split into `parts` contiguous shards; shard r = [start(r), start(r + 1)). */
export function shardStart(from: number, to: number, parts: number, r: number): number {
  return from + Math.floor(((to - from) * r) / parts);
}
