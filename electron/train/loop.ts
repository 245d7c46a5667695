import * as tf from '@tensorflow/tfjs';
import type { Dataset, FitOptions, FitReport } from '../../models/types';
import { num } from '../../models/lib/build';
import { probaMetrics } from '../../models/lib/metrics';
import { classWeights } from './class-weights';
import { epochSettings, runEpochs, type EpochsOutcome } from './epochs';
import { trainingForward } from './forward';
import { makeOptimizer } from './optimizer';
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
  const settings = epochSettings(p);
  const { batchSize } = settings;
  const weights = classWeights(p.classWeight, train.y, numClasses);
  const forward = trainingForward(model, p);
  const optimizer = makeOptimizer(p.optimizer, num(p, 'learningRate'));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dtype = train.x instanceof Int32Array ? 'int32' : 'float32';
  const cols = train.cols;
  const xBuf = (train.x instanceof Int32Array ? new Int32Array(batchSize * cols) : new Float32Array(batchSize * cols)) as Float32Array | Int32Array;
  const yBuf = new Int32Array(batchSize);
  const wBuf = new Float32Array(batchSize);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);

  const trainBatch = async (from: number, to: number) => {
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
          const step = forward(xs, ys, ws);
          correctT = step.correct;
          return step.loss;
        },
        true,
        vars,
      );
      const loss = (await (lossT as tf.Scalar).data())[0];
      const correct = (await (correctT as unknown as tf.Scalar).data())[0];
      return { loss, correct };
    } finally {
      tf.dispose([xs, ys, ...(ws ? [ws] : []), ...(lossT ? [lossT] : []), ...(correctT ? [correctT] : [])]);
    }
  };

  // An object, not a let: TypeScript does not see the closure's assignments and would narrow a let to null.
  const best: { weights: tf.Tensor[] | null } = { weights: null };
  let outcome: EpochsOutcome;
  try {
    outcome = await runEpochs(
      {
        rows: train.rows,
        order,
        settings,
        t0,
        cancelled: opts.shouldStop?.() ?? false,
        onProgress: opts.onProgress,
        shouldStop: opts.shouldStop,
        onEpochEnd: opts.onEpochEnd,
        resume: opts.resume,
      },
      {
        batch: trainBatch,
        afterBatch: yieldToEventLoop,
        validate: async () => (val ? evaluate(model, val, numClasses, settings.predictBatch) : null),
        keepBest: () => {
          if (best.weights) tf.dispose(best.weights);
          best.weights = model.getWeights().map((w) => w.clone());
        },
      },
    );
    if (best.weights) model.setWeights(best.weights);
  } finally {
    if (best.weights) tf.dispose(best.weights);
    optimizer.dispose();
  }
  return { ...outcome, wallMs: Date.now() - t0 };
}
