import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { Dataset, FitOptions, ModelSpec } from '../../../models/types';
import { num } from '../../../models/lib/build';
import { probaMetrics } from '../../../models/lib/metrics';
import { classWeights } from '../class-weights';
import { epochSettings, runEpochs, type EpochsOutcome } from '../epochs';
import type { LayersFitReport } from '../loop';
import { ReplicaPool } from './pool';
import { CTRL, type ReplicaInit } from './protocol';
import { sharedF32, sharedI32, toShared } from './shared';

/** Two cores is what the target machines have; more replicas only help on wide batches. */
export function defaultReplicas(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(2, cores));
}

export interface FitParallelOptions extends FitOptions {
  /** Registry id and build spec: each replica builds the same graph, then takes `model`'s weights. */
  modelId: string;
  spec: ModelSpec;
  replicas: number;
  /** Backend inside the replica workers. Default 'wasm' (with the kernel fixes). */
  backend?: string;
  /** Tests: at the end, compare every replica's weights with replica 0's and throw on any difference. */
  verifySync?: boolean;
}

function flatWeights(model: tf.LayersModel): Float32Array {
  const ws = model.getWeights();
  for (const w of ws) if (w.dtype !== 'float32') throw new Error(`parallel training needs float32 weights, got a ${w.dtype} weight of shape [${w.shape}]`);
  const out = sharedF32(ws.reduce((n, w) => n + w.size, 0));
  let off = 0;
  for (const w of ws) {
    out.set(w.dataSync() as Float32Array, off);
    off += w.size;
  }
  return out;
}

function setFlatWeights(model: tf.LayersModel, flat: Float32Array): void {
  let off = 0;
  const ts = model.getWeights().map((w) => {
    const t = tf.tensor(flat.slice(off, off + w.size), w.shape, 'float32');
    off += w.size;
    return t;
  });
  model.setWeights(ts);
  tf.dispose(ts);
}

async function verifySync(pool: ReplicaPool, buf: Float32Array): Promise<void> {
  await pool.pull(0);
  const first = buf.slice();
  for (let r = 1; r < pool.size; r++) {
    await pool.pull(r);
    for (let i = 0; i < first.length; i++) {
      if (!Object.is(first[i], buf[i])) throw new Error(`replica ${r} is out of sync with replica 0 at weight value ${i}: ${buf[i]} vs ${first[i]}`);
    }
  }
}

/**
 * Data-parallel twin of fitLayersModel: same shuffles, batches, progress events, early stopping, best
 * checkpoint and cancel-after-every-batch, but each batch is split across `replicas` worker threads
 * (see replica.ts). `model` (on the caller's thread) only provides the start weights and receives the
 * final (best) ones. Validation is also split across the replicas.
 */
export async function fitParallel(
  model: tf.LayersModel,
  numClasses: number,
  data: { train: Dataset; val: Dataset | null },
  opts: FitParallelOptions,
): Promise<LayersFitReport> {
  const t0 = Date.now();
  const p = opts.params;
  const { train, val } = data;
  if (train.rows === 0) throw new Error('training set is empty');
  const replicas = opts.replicas;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`replicas must be an integer >= 1, got ${replicas}`);
  const settings = epochSettings(p);
  const learningRate = num(p, 'learningRate');
  const weights = classWeights(p.classWeight, train.y, numClasses);
  const gradSize = model.trainableWeights.reduce((n, w) => n + (w.read() as tf.Variable).size, 0);

  const order = sharedI32(train.rows);
  for (let i = 0; i < train.rows; i++) order[i] = i;
  const shared = {
    trainX: toShared(train.x),
    trainY: toShared(train.y),
    valX: val ? toShared(val.x) : null,
    valProbs: val ? sharedF32(val.rows * numClasses) : null,
    grads: sharedF32(replicas * gradSize),
    gradSum: sharedF32(gradSize),
    weights: flatWeights(model),
    ctrl: sharedI32(CTRL.length),
    order,
  };
  const inits: ReplicaInit[] = Array.from({ length: replicas }, (_, replica) => ({
    ...shared,
    replica,
    replicas,
    modelId: opts.modelId,
    spec: opts.spec,
    backend: opts.backend ?? 'wasm',
    optimizer: String(p.optimizer),
    learningRate,
    cols: train.cols,
    classWeights: weights,
  }));

  // Polled before the workers start, as fitLayersModel polls it before its first batch.
  const cancelled = opts.shouldStop?.() ?? false;
  const pool = await ReplicaPool.start(inits);
  // An object, not a let: TypeScript does not see the closure's assignments and would narrow a let to null.
  const best: { weights: Float32Array | null } = { weights: null };
  let outcome: EpochsOutcome;
  try {
    outcome = await runEpochs(
      { rows: train.rows, order, settings, t0, cancelled, onProgress: opts.onProgress, shouldStop: opts.shouldStop, onEpochEnd: opts.onEpochEnd, resume: opts.resume },
      {
        batch: (from, to) => pool.step(from, to),
        validate: async () => {
          if (!val || !shared.valProbs) return null;
          await pool.predict(0, val.rows, settings.predictBatch);
          return probaMetrics(shared.valProbs, val.y, numClasses);
        },
        keepBest: async () => {
          await pool.pull();
          best.weights = shared.weights.slice();
        },
        syncModel: async () => {
          await pool.pull();
          setFlatWeights(model, shared.weights);
        },
      },
    );
    if (opts.verifySync) await verifySync(pool, shared.weights);
    if (best.weights) setFlatWeights(model, best.weights);
    else {
      // No completed epoch: the model takes the current weights, as fitLayersModel leaves them.
      await pool.pull();
      setFlatWeights(model, shared.weights);
    }
  } finally {
    await pool.close();
  }
  return { ...outcome, wallMs: Date.now() - t0 };
}
