import type { EpochStats, FitOptions, FitReport, Hyperparams } from '../../models/types';
import { int } from '../../models/lib/build';
import { mulberry32 } from '../../models/lib/random';
import { shuffleInPlace } from '../../models/lib/sampling';
import { optionalInt, optionalNum } from './params';

export interface EpochSettings {
  epochs: number;
  batchSize: number;
  patience: number;
  minDelta: number;
  predictBatch: number;
  seed: number;
  /** Batches between two epoch ends (validation, checkpoint, early stopping); 0 = one pass over the rows. */
  stepsPerEpoch: number;
}

export function epochSettings(p: Hyperparams): EpochSettings {
  return {
    epochs: int(p, 'epochs'),
    batchSize: int(p, 'batchSize'),
    patience: optionalInt(p, 'patience', 5),
    minDelta: optionalNum(p, 'minDelta', 0),
    predictBatch: optionalInt(p, 'predictBatchSize', 1024, 1),
    seed: optionalInt(p, 'seed', 42),
    stepsPerEpoch: optionalInt(p, 'stepsPerEpoch', 0),
  };
}

export interface Metrics {
  loss: number;
  acc: number;
}

/** What differs between the single-thread and the data-parallel fit; runEpochs does the rest. */
export interface EpochSteps {
  /** One optimiser step on rows order[from…to): the batch's mean loss and its number of correct predictions. */
  batch(from: number, to: number): Promise<{ loss: number; correct: number }>;
  /** After each batch's progress event, before the stop flag is polled. */
  afterBatch?(): Promise<void>;
  /** Null without a validation split. */
  validate(): Promise<Metrics | null>;
  /** The current weights are the best so far; the caller restores them once runEpochs returns. */
  keepBest(): void | Promise<void>;
  /** Brings the caller's model up to the current weights before onEpochEnd sees it (replicas hold them). */
  syncModel?(): Promise<void>;
}

export interface EpochRun extends Pick<FitOptions, 'onProgress' | 'shouldStop' | 'onEpochEnd' | 'resume'> {
  rows: number;
  /** Shuffled in place every epoch; the parallel fit shares this array with its replicas. */
  order: Int32Array;
  settings: EpochSettings;
  /** Start of the whole fit, so epoch events' samples/s include the setup time. */
  t0: number;
  /** Stop flag as polled when the fit began (the parallel fit polls it before starting its workers). */
  cancelled: boolean;
  /** The clock (ms); a test passes its own. */
  now?: () => number;
}

/**
 * Seconds left, from the measured time per training row since the fit's first batch ended (that batch carries
 * the one-off setup: kernel compilation, first allocations, and would inflate the estimate several times).
 * Validation passes after that point are inside the measured time, so later estimates include them.
 * NaN until a batch after the first has been timed: no estimate is better than a startup guess.
 */
export function etaSeconds(msSinceWarm: number, rowsSinceWarm: number, rowsLeft: number): number {
  if (rowsSinceWarm <= 0) return NaN;
  return ((msSinceWarm / rowsSinceWarm) * rowsLeft) / 1000;
}

export type EpochsOutcome = Omit<FitReport, 'wallMs'> & { diverged: boolean };

/**
 * The epoch loop both fits share, so they shuffle, report progress, stop early and pick the best epoch
 * identically: early stopping watches the validation loss (the training loss without a split), and
 * cancel and divergence are honoured after every batch.
 */
export async function runEpochs(run: EpochRun, steps: EpochSteps): Promise<EpochsOutcome> {
  const { rows, order, onProgress, shouldStop } = run;
  const now = run.now ?? Date.now;
  let warmAt: number | null = null;
  let rowsSinceWarm = 0;
  const { epochs, batchSize, patience, minDelta, seed, stepsPerEpoch } = run.settings;
  const rand = mulberry32(seed ^ 0x5bd1e995);
  // One pass over the rows is an epoch unless stepsPerEpoch says otherwise (as Keras' steps_per_epoch): on a
  // large file a pass takes longer than a run's time share, and a run only validates, checkpoints and can
  // stop early at an epoch's end. The batches still walk whole shuffled passes, one after another, so every
  // row is seen once per pass whatever the epoch length.
  const batchesPerPass = Math.ceil(rows / batchSize);
  const batchesPerEpoch = stepsPerEpoch > 0 ? stepsPerEpoch : batchesPerPass;
  const epochRows = stepsPerEpoch > 0 ? stepsPerEpoch * batchSize : rows;

  // A resumed fit replays the earlier passes' shuffles (below, as its first batch needs them), so its batches
  // are those the uninterrupted fit had.
  // Early stopping restarts from the checkpoint: the best weights before it were not kept, only the last.
  const history: EpochStats[] = [...(run.resume?.history ?? [])];
  const firstEpoch = history.length + 1;
  let shuffledPasses = 0;
  let best = Infinity;
  let bestEpoch: number | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let cancelled = run.cancelled;
  let diverged = false;
  let lastVal: Metrics | null = null;

  for (let epoch = firstEpoch; epoch <= epochs && !cancelled && !stoppedEarly && !diverged; epoch++) {
    const e0 = now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const k = (epoch - 1) * batchesPerEpoch + b;
      const pass = Math.floor(k / batchesPerPass);
      while (shuffledPasses <= pass) {
        shuffleInPlace(order, rand);
        shuffledPasses++;
      }
      const from = (k % batchesPerPass) * batchSize;
      const to = Math.min(from + batchSize, rows);
      const m = to - from;
      const { loss: batchLoss, correct } = await steps.batch(from, to);
      lossSum += batchLoss * m;
      correctSum += correct;
      seen += m;
      if (!Number.isFinite(batchLoss)) diverged = true;
      const t = now();
      if (warmAt === null) warmAt = t;
      else rowsSinceWarm += m;
      const secs = Math.max((t - e0) / 1000, 1e-3);
      const rate = seen / secs;
      onProgress?.({
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
        etaSeconds: etaSeconds(t - warmAt, rowsSinceWarm, Math.max(0, epochRows - seen) + (epochs - epoch) * epochRows),
      });
      await steps.afterBatch?.();
      if (diverged) break;
      if (shouldStop?.()) {
        cancelled = true;
        break;
      }
    }
    if (cancelled || diverged) break;

    lastVal = await steps.validate();
    const stats: EpochStats = {
      epoch,
      loss: lossSum / seen,
      acc: correctSum / seen,
      valLoss: lastVal?.loss ?? null,
      valAcc: lastVal?.acc ?? null,
      wallMs: now() - e0,
    };
    history.push(stats);
    const monitored = stats.valLoss ?? stats.loss;
    if (monitored < best - minDelta) {
      best = monitored;
      bestEpoch = epoch;
      sinceBest = 0;
      await steps.keepBest();
    } else {
      sinceBest++;
      if (patience > 0 && sinceBest >= patience) stoppedEarly = true;
    }
    const tEnd = now();
    const secs = Math.max((tEnd - run.t0) / 1000, 1e-3);
    const rate = ((epoch - firstEpoch + 1) * epochRows) / secs;
    onProgress?.({
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
      etaSeconds: stoppedEarly ? 0 : etaSeconds(tEnd - (warmAt ?? tEnd), rowsSinceWarm, (epochs - epoch) * epochRows),
    });
    if (run.onEpochEnd) {
      await steps.syncModel?.();
      await run.onEpochEnd({ epoch, history: [...history], bestEpoch });
    }
    if (shouldStop?.()) cancelled = true;
  }
  return { history, stoppedEarly, cancelled, diverged, bestEpoch };
}
