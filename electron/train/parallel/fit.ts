import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { Dataset, EpochStats, FitOptions, ModelSpec } from '../../../models/types';
import { int, num } from '../../../models/lib/build';
import { probaMetrics } from '../../../models/lib/metrics';
import { mulberry32 } from '../../../models/lib/random';
import { shuffleInPlace } from '../../../models/lib/sampling';
import { classWeights } from '../class-weights';
import type { LayersFitReport } from '../loop';
import { optionalInt, optionalNum } from '../params';
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
  const epochs = int(p, 'epochs');
  const batchSize = int(p, 'batchSize');
  const patience = optionalInt(p, 'patience', 5);
  const minDelta = optionalNum(p, 'minDelta', 0);
  const predictBatch = optionalInt(p, 'predictBatchSize', 1024, 1);
  const seed = optionalInt(p, 'seed', 42);
  const learningRate = num(p, 'learningRate');
  const weights = classWeights(p.classWeight, train.y, numClasses);
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const batchesPerEpoch = Math.ceil(train.rows / batchSize);
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

  const history: EpochStats[] = [];
  let best = Infinity;
  let bestEpoch: number | null = null;
  let snapshot: Float32Array | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let cancelled = opts.shouldStop?.() ?? false;
  let diverged = false;
  let lastVal: { loss: number; acc: number } | null = null;

  const pool = await ReplicaPool.start(inits);
  try {
    for (let epoch = 1; epoch <= epochs && !cancelled && !stoppedEarly && !diverged; epoch++) {
      const e0 = Date.now();
      shuffleInPlace(order, rand);
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const from = b * batchSize;
        const to = Math.min(from + batchSize, train.rows);
        const m = to - from;
        const { loss: batchLoss, correct } = await pool.step(from, to);
        lossSum += batchLoss * m;
        correctSum += correct;
        seen += m;
        if (!Number.isFinite(batchLoss)) diverged = true;
        const secs = Math.max((Date.now() - e0) / 1000, 1e-3);
        const rate = seen / secs;
        opts.onProgress?.({
          phase: 'batch',
          epoch,
          batch: b + 1,
          batchesPerEpoch,
          epochs,
          loss: lossSum / seen,
          acc: correctSum / seen,
          valLoss: lastVal?.loss ?? null,
          valAcc: lastVal?.acc ?? null,
          samplesPerSec: rate,
          etaSeconds: (train.rows - seen + (epochs - epoch) * train.rows) / rate,
        });
        if (diverged) break;
        if (opts.shouldStop?.()) {
          cancelled = true;
          break;
        }
      }
      if (cancelled || diverged) break;

      if (val && shared.valProbs) {
        await pool.predict(0, val.rows, predictBatch);
        lastVal = probaMetrics(shared.valProbs, val.y, numClasses);
      } else lastVal = null;
      const stats: EpochStats = {
        epoch,
        loss: lossSum / seen,
        acc: correctSum / seen,
        valLoss: lastVal?.loss ?? null,
        valAcc: lastVal?.acc ?? null,
        wallMs: Date.now() - e0,
      };
      history.push(stats);
      const monitored = stats.valLoss ?? stats.loss;
      if (monitored < best - minDelta) {
        best = monitored;
        bestEpoch = epoch;
        sinceBest = 0;
        await pool.pull();
        snapshot = shared.weights.slice();
      } else {
        sinceBest++;
        if (patience > 0 && sinceBest >= patience) stoppedEarly = true;
      }
      const secs = Math.max((Date.now() - t0) / 1000, 1e-3);
      const rate = (epoch * train.rows) / secs;
      opts.onProgress?.({
        phase: 'epoch',
        epoch,
        batch: batchesPerEpoch,
        batchesPerEpoch,
        epochs,
        loss: stats.loss,
        acc: stats.acc,
        valLoss: stats.valLoss,
        valAcc: stats.valAcc,
        samplesPerSec: rate,
        etaSeconds: stoppedEarly ? 0 : ((epochs - epoch) * train.rows) / rate,
      });
      if (opts.shouldStop?.()) cancelled = true;
    }
    if (opts.verifySync) await verifySync(pool, shared.weights);
    if (snapshot) setFlatWeights(model, snapshot);
    else {
      // No completed epoch: the model takes the current weights, as fitLayersModel leaves them.
      await pool.pull();
      setFlatWeights(model, shared.weights);
    }
  } finally {
    await pool.close();
  }
  return { history, stoppedEarly, cancelled, diverged, bestEpoch, wallMs: Date.now() - t0 };
}
