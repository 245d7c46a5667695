import path from 'node:path';
import type { EpochStats } from '../../shared/run';
import type { Hyperparams } from '../../models/types';
import { evaluateOnCache, readLabelledRows } from '../eval/run-eval';
import type { EvalResult, EvalSplit } from '../../shared/eval';
import { JobCancelledError, type JobHandler } from '../jobs/context';
import { readCheckpoint, readRunModel, writeCheckpoint } from './run-files';
import os from 'node:os';
import { getModel } from '../../models/registry';
import { trainParallel } from './parallel';
import { setNativeGemmThreads } from '../compute/kernels/ort-native';
import { ashaVerdict, type AshaTrialInput } from '../sweep/asha';
import { pushBatchPoint, type BatchCurve, type ValidationSummary } from '../../shared/run';
import { validationSummary } from './validation';

export interface TrainJobInput {
  runId: string;
  modelId: string;
  runDir: string;
  trainCache: string;
  classes: string[];
  vocabSize?: number;
  params: Partial<Hyperparams>;
  test?: { cachePath: string; split: EvalSplit; evalId: string };
  /** Names the validation split in the stored summary. */
  datasetName?: string;
  /** A sweep trial: the rungs at which it is stopped when its validation metric falls below the cut. */
  asha?: AshaTrialInput;
  /** Continue from the checkpoint in runDir (an interrupted run) up to params.epochs. */
  resume?: boolean;
  /** Start from the saved model of another run (its folder): same architecture, encoding and classes. */
  initFromRunDir?: string;
}

export interface TrainJobResult {
  params: Hyperparams;
  history: EpochStats[];
  bestEpoch: number | null;
  stoppedEarly: boolean;
  cancelled: boolean;
  wallMs: number;
  trainRows: number;
  valRows: number;
  backend: string;
  evaluation?: { evalId: string; result: EvalResult; probaPath: string; unknownRows: number };
  validation: ValidationSummary | null;
  /** Epoch of the rung at which the sweep's successive halving stopped this trial; null otherwise. */
  ashaStoppedAt: number | null;
  /** Every batch of this fit (thinned), where progress events to the main side are throttled. */
  batchCurve: BatchCurve | null;
}

/** Trains one architecture on an encoded dataset, saves the best checkpoint, and scores it on the test set. */
export const trainJob: JobHandler = async (raw, ctx) => {
  const input = raw as TrainJobInput;
  ctx.progress({ fraction: 0, message: 'loading encoded data' }, true);
  const data = await readLabelledRows(input.trainCache);
  ctx.throwIfCancelled();
  // A rung's verdict is taken at the epoch's end inside this worker: the cut is known when the trial starts
  // (trials run one after another), so no decision has to travel back from the main side mid-epoch.
  let ashaStoppedAt: number | null = null;
  let batchCurve: BatchCurve | null = null;
  const checkpoint = input.resume ? readCheckpoint(input.runDir) : undefined;
  if (input.resume && !checkpoint) throw new Error(`${input.runDir}: no checkpoint to resume from`);
  const replicas = replicasFor(input.params, ctx.runningJobs, ctx.backend?.name, undefined, getModel(input.modelId).dataParallel !== false);
  setNativeGemmThreads(gemmThreadsFor(replicas, ctx.runningJobs, ctx.backend?.name));
  const result = await trainParallel({
    ...(checkpoint ? { resume: { model: readRunModel(input.runDir), history: checkpoint.history.slice(0, checkpoint.epoch) } } : {}),
    ...(input.initFromRunDir && !checkpoint ? { initialWeights: readRunModel(input.initFromRunDir) } : {}),
    // Every epoch end leaves a loadable model on disk, so a killed process still has something to show.
    onCheckpoint: async (e, model) => writeCheckpoint(input.runDir, await model.serialize(), e),
    replicas,
    modelId: input.modelId,
    x: data.x,
    y: data.y,
    numClasses: input.classes.length,
    params: input.params,
    ...(input.vocabSize ? { vocabSize: input.vocabSize } : {}),
    shouldStop: () => ashaStoppedAt !== null || ctx.shouldStop(),
    onProgress: (p) => {
      if (input.asha && p.phase === 'epoch' && ashaStoppedAt === null && p.epoch < p.epochs) {
        if (ashaVerdict(input.asha, p.epoch, { valAcc: p.valAcc, valLoss: p.valLoss }) === 'stop') ashaStoppedAt = p.epoch;
      }
      if (p.phase === 'batch' && p.batchesPerEpoch > 0 && Number.isFinite(p.loss) && Number.isFinite(p.acc)) {
        batchCurve ??= { batchesPerEpoch: p.batchesPerEpoch, points: [] };
        pushBatchPoint(batchCurve, { step: (p.epoch - 1) * p.batchesPerEpoch + p.batch, loss: p.loss, acc: p.acc });
      }
      const total = p.epochs * p.batchesPerEpoch;
      const done = (p.epoch - 1) * p.batchesPerEpoch + p.batch;
      const epochEnd = p.phase === 'epoch';
      ctx.progress(
        {
          fraction: Math.min(1, done / Math.max(1, total)),
          message: `epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batchesPerEpoch} · loss ${p.loss.toFixed(4)}`,
          metrics: {
            epoch: p.epoch,
            epochs: p.epochs,
            batch: p.batch,
            batchesPerEpoch: p.batchesPerEpoch,
            loss: p.loss,
            acc: p.acc,
            samplesPerSec: p.samplesPerSec,
            epochEnd: epochEnd ? 1 : 0,
            ...(p.valLoss !== null ? { valLoss: p.valLoss } : {}),
            ...(p.valAcc !== null ? { valAcc: p.valAcc } : {}),
          },
          ...(Number.isFinite(p.etaSeconds) ? { etaSeconds: p.etaSeconds } : {}),
        },
        epochEnd,
      );
    },
  });
  try {
    // Stopped at a rung is an early stop, not a cancel: the trial is a finished run with fewer epochs.
    const cancelled = result.cancelled && ashaStoppedAt === null;
    // Cancelled before any epoch finished: there is no checkpoint worth keeping.
    if (cancelled && result.bestEpoch === null) throw new JobCancelledError();
    // The delivered model is the best epoch's; the checkpoint says so, in case the process dies before the
    // main side records the run as finished.
    const best = result.bestEpoch ?? result.history.length;
    writeCheckpoint(input.runDir, await result.model.serialize(), { epoch: best, history: result.history.slice(0, best), bestEpoch: result.bestEpoch });
    ctx.progress({ fraction: 1, message: 'scoring the validation split' }, true);
    const validation = await validationSummary(result.model, data, result.params, input.classes, input.datasetName ?? 'the training file');
    const out: TrainJobResult = {
      params: result.params,
      history: result.history.map((h) => ({ ...h, loss: finite(h.loss), acc: finite(h.acc), valLoss: finite(h.valLoss), valAcc: finite(h.valAcc) })),
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly || ashaStoppedAt !== null,
      cancelled,
      validation,
      ashaStoppedAt,
      batchCurve,
      wallMs: result.wallMs,
      trainRows: result.trainRows,
      valRows: result.valRows,
      backend: ctx.backend?.name ?? 'unknown',
    };
    // A cancelled run still delivers its best checkpoint, so it is scored on the test set like a finished one
    // (the model restored above is that checkpoint's).
    if (input.test) {
      ctx.progress({ fraction: 1, message: cancelled ? 'evaluating the best checkpoint on the test set' : 'evaluating on the test set' }, true);
      const probaPath = path.join(input.runDir, `${input.test.evalId}.proba.f32`);
      const ev = await evaluateOnCache(result.model, input.classes, input.test.cachePath, input.test.split, probaPath);
      out.evaluation = { evalId: input.test.evalId, result: ev.result, probaPath, unknownRows: ev.unknownRows };
    }
    return out;
  } finally {
    result.model.dispose();
  }
};

/** JSON has no NaN: a diverged epoch is stored as null. */
function finite(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}

/**
 * Data-parallel replicas use the cores the single-threaded wasm backend leaves idle, shared fairly between
 * the jobs running: each gets cores ÷ jobs, and a share under MIN_SHARE_FOR_REPLICAS cores is one replica
 * (one job alone on 2 cores, or two jobs on 4). A replica keeps at least MIN_ROWS_PER_REPLICA rows of the
 * batch: below that its fixed per-step costs (kernel dispatch, gradient exchange) outweigh the shard's work
 * (docs/benchmarks.md, scaling projection); an architecture whose step is all fixed cost (`dataParallel:
 * false`) gets one. `replicas` in the run's parameters overrides the choice.
 */
export function replicasFor(params: Partial<Hyperparams>, runningJobs: number, backend: string | undefined, cores = os.availableParallelism(), dataParallel = true): number {
  const asked = params.replicas;
  if (typeof asked === 'number' && Number.isInteger(asked) && asked >= 1) return Math.min(asked, MAX_REPLICAS);
  if (backend !== 'wasm' || !dataParallel) return 1;
  const share = Math.floor(cores / Math.max(1, runningJobs));
  if (share < MIN_SHARE_FOR_REPLICAS) return 1;
  const batch = typeof params.batchSize === 'number' && params.batchSize > 0 ? params.batchSize : Infinity;
  return Math.max(1, Math.min(share, MAX_REPLICAS, Math.floor(batch / MIN_ROWS_PER_REPLICA)));
}

const MAX_REPLICAS = 16;

/**
 * Intra-op threads for a single replica's large matrix products: its core share (cores ÷ running jobs, at
 * most 8), so a job alone on 2 cores uses both (dnn5: 6,936 → 8,599 samples/s, medians of 3 interleaved runs,
 * 2026-12-03) and two jobs get one each. With replicas the replicas are the parallelism: 1 thread each.
 */
export function gemmThreadsFor(replicas: number, runningJobs: number, backend: string | undefined, cores = os.availableParallelism()): number {
  if (backend !== 'wasm' || replicas > 1) return 1;
  return Math.max(1, Math.min(8, Math.floor(cores / Math.max(1, runningJobs))));
}
/**
 * With a share of 2 cores one replica is as fast or faster (measured 2026-12-03 after the SIMD step kernels:
 * dnn5 9,275 vs 9,030 samples/s, char-cnn 914 vs 632): the lone replica's process already keeps part of the
 * second core busy (V8's concurrent GC, ~1.4 cores of CPU per wall second), which a second replica contends
 * with. From 3 cores on, replicas are what scales (projection in docs/benchmarks.md).
 */
const MIN_SHARE_FOR_REPLICAS = 3;
const MIN_ROWS_PER_REPLICA = 32;
