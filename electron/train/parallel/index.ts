/**
 * Data-parallel training: N worker threads, each a replica of the model (wasm backend + kernel fixes).
 * Per step the batch is split into N contiguous shards; each replica computes the gradient of its shard's
 * loss × its share of the batch, the replicas sum those through SharedArrayBuffers (a barrier, each sums
 * one slice, a barrier) and each applies the same sum with its own optimizer, so they stay bit-identical.
 * Only row ranges and two numbers per replica cross postMessage per step; the data is shared once.
 *
 * Entry points: trainParallel (drop-in for trainModel) and fitParallel (drop-in for fitLayersModel).
 * Builds must bundle replica-worker.ts as dist/engine/train-replica.js (and unpack it from the asar).
 */
export { trainParallel, type TrainParallelOptions } from './train';
export { fitParallel, defaultReplicas, type FitParallelOptions } from './fit';
