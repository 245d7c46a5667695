import * as tf from '@tensorflow/tfjs';
import type { Dataset, EpochStats, FitOptions, FitReport } from '../../models/types';
import { int, num } from '../../models/lib/build';
import { probaMetrics } from '../../models/lib/metrics';
import { mulberry32 } from '../../models/lib/random';
import { shuffleInPlace } from '../../models/lib/sampling';
import { classWeights } from './class-weights';
import { countCorrect, crossEntropy } from './loss';
import { makeOptimizer } from './optimizer';
import { optionalInt, optionalNum } from './params';
import { predictProba } from './predict';

/** Lets a worker's message handler (which sets the stop flag) run between batches. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface LayersFitReport extends FitReport {
  /** Training stopped because the loss became NaN / infinite. */
  diverged: boolean;
}

function gather<T extends Float32Array | Int32Array>(src: T, cols: number, order: Int32Array, from: number, to: number, dst: T): T {
  for (let i = from; i < to; i++) dst.set(src.subarray(order[i] * cols, order[i] * cols + cols), (i - from) * cols);
  return dst.subarray(0, (to - from) * cols) as T;
}

async function evaluate(model: tf.LayersModel, data: Dataset, numClasses: number, batchSize: number) {
  return probaMetrics(await predictProba(model, data.x, data.rows, { batchSize }), data.y, numClasses);
}

/**
 * Manual mini-batch loop (optimizer.minimize per batch) so cancel is honoured after every batch and the
 * best-validation-loss weights can be snapshotted and restored. The model ends up holding the best epoch's
 * weights whether training ran out, stopped early or was cancelled (if no epoch completed, the current ones).
 */
export async function fitLayersModel(
  model: tf.LayersModel,
  numClasses: number,
  data: { train: Dataset; val: Dataset | null },
  opts: FitOptions,
): Promise<LayersFitReport> {
  const t0 = Date.now();
  const p = opts.params;
  const { train, val } = data;
  if (train.rows === 0) throw new Error('training set is empty');
  const epochs = int(p, 'epochs');
  const batchSize = int(p, 'batchSize');
  const patience = optionalInt(p, 'patience', 5);
  const minDelta = optionalNum(p, 'minDelta', 0);
  const predictBatch = optionalInt(p, 'predictBatchSize', 1024, 1);
  const seed = optionalInt(p, 'seed', 42);
  const weights = classWeights(p.classWeight, train.y, numClasses);
  const optimizer = makeOptimizer(p.optimizer, num(p, 'learningRate'));
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dtype = train.x instanceof Int32Array ? 'int32' : 'float32';
  const cols = train.cols;
  const xBuf = (train.x instanceof Int32Array ? new Int32Array(batchSize * cols) : new Float32Array(batchSize * cols)) as Float32Array | Int32Array;
  const yBuf = new Int32Array(batchSize);
  const wBuf = new Float32Array(batchSize);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  const batchesPerEpoch = Math.ceil(train.rows / batchSize);

  const history: EpochStats[] = [];
  let best = Infinity;
  let bestEpoch: number | null = null;
  let snapshot: tf.Tensor[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let cancelled = opts.shouldStop?.() ?? false;
  let diverged = false;
  let lastVal: { loss: number; acc: number } | null = null;

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
        const xb = gather(train.x, cols, order, from, to, xBuf);
        for (let i = from; i < to; i++) {
          yBuf[i - from] = train.y[order[i]];
          if (weights) wBuf[i - from] = weights[train.y[order[i]]];
        }
        const xs = tf.tensor2d(xb, [m, cols], dtype);
        const ys = tf.tensor1d(yBuf.subarray(0, m), 'int32');
        const ws = weights ? tf.tensor1d(wBuf.subarray(0, m), 'float32') : null;
        let correctT: tf.Scalar | null = null;
        let lossT: tf.Scalar | null = null;
        try {
          lossT = optimizer.minimize(
            () => {
              const pred = model.apply(xs, { training: true }) as tf.Tensor;
              correctT = tf.keep(countCorrect(pred, ys));
              return crossEntropy(pred, ys, ws);
            },
            true,
            vars,
          );
          const batchLoss = (await (lossT as tf.Scalar).data())[0];
          const batchCorrect = (await (correctT as unknown as tf.Scalar).data())[0];
          lossSum += batchLoss * m;
          correctSum += batchCorrect;
          seen += m;
          if (!Number.isFinite(batchLoss)) diverged = true;
        } finally {
          tf.dispose([xs, ys, ...(ws ? [ws] : []), ...(lossT ? [lossT] : []), ...(correctT ? [correctT] : [])]);
        }
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
        await yieldToEventLoop();
        if (diverged) break;
        if (opts.shouldStop?.()) {
          cancelled = true;
          break;
        }
      }
      if (cancelled || diverged) break;

      lastVal = val ? await evaluate(model, val, numClasses, predictBatch) : null;
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
        if (snapshot) tf.dispose(snapshot);
        snapshot = model.getWeights().map((w) => w.clone());
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
    if (snapshot) model.setWeights(snapshot);
  } finally {
    if (snapshot) tf.dispose(snapshot);
    optimizer.dispose();
  }
  return { history, stoppedEarly, cancelled, diverged, bestEpoch, wallMs: Date.now() - t0 };
}
