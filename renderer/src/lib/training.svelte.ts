import type { EpochStats } from '../../../shared/run';
import { on } from './client';

export interface BatchPoint {
  /** Fractional epoch: epoch - 1 + batch / batchesPerEpoch. */
  x: number;
  loss: number;
  acc: number;
}

export interface LiveSeries {
  batches: BatchPoint[];
  epochs: EpochStats[];
  samplesPerSec: number | null;
}

const MAX_BATCH_POINTS = 2000;

/**
 * Live training curves keyed by job id, fed by job.progress events. Batch points are thinned when they
 * pile up so a long run stays cheap to draw; epoch points are kept whole.
 */
class TrainingStore {
  series = $state<Record<string, LiveSeries>>({});
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    on('job.progress', (p) => {
      if (p.kind !== 'train' || !p.metrics || p.metrics.epoch === undefined) return;
      const m = p.metrics;
      const s = (this.series[p.jobId] ??= { batches: [], epochs: [], samplesPerSec: null });
      s.samplesPerSec = m.samplesPerSec ?? s.samplesPerSec;
      if (m.epochEnd === 1) {
        if (!s.epochs.some((e) => e.epoch === m.epoch)) {
          s.epochs.push({ epoch: m.epoch, loss: m.loss, acc: m.acc, valLoss: m.valLoss ?? null, valAcc: m.valAcc ?? null, wallMs: 0 });
        }
        return;
      }
      s.batches.push({ x: m.epoch - 1 + m.batch / Math.max(1, m.batchesPerEpoch), loss: m.loss, acc: m.acc });
      if (s.batches.length > MAX_BATCH_POINTS) s.batches = s.batches.filter((_, i) => i % 2 === 0);
    });
  }

  /** A page opened mid-run starts from what the store already recorded. */
  seed(jobId: string, history: EpochStats[]): void {
    const s = (this.series[jobId] ??= { batches: [], epochs: [], samplesPerSec: null });
    for (const e of history) if (!s.epochs.some((x) => x.epoch === e.epoch)) s.epochs.push(e);
    s.epochs.sort((a, b) => a.epoch - b.epoch);
  }
}

export const training = new TrainingStore();
