import { pushBatchPoint, type BatchCurve, type EpochStats } from '../../../shared/run';
import { on } from './client';

export interface LiveSeries {
  /** Null until the first batch arrives. */
  batches: BatchCurve | null;
  epochs: EpochStats[];
  samplesPerSec: number | null;
}

/**
 * Live training curves keyed by job id, fed by job.progress events. Batch points are thinned as the engine
 * thins the stored curve (pushBatchPoint), so live and reloaded pages draw the same kind of curve.
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
      const s = (this.series[p.jobId] ??= { batches: null, epochs: [], samplesPerSec: null });
      s.samplesPerSec = m.samplesPerSec ?? s.samplesPerSec;
      if (m.epochEnd === 1) {
        if (!s.epochs.some((e) => e.epoch === m.epoch)) {
          s.epochs.push({ epoch: m.epoch, loss: m.loss, acc: m.acc, valLoss: m.valLoss ?? null, valAcc: m.valAcc ?? null, wallMs: 0 });
        }
        return;
      }
      if (!(m.batchesPerEpoch > 0) || !Number.isFinite(m.loss) || !Number.isFinite(m.acc)) return;
      s.batches ??= { batchesPerEpoch: m.batchesPerEpoch, points: [] };
      pushBatchPoint(s.batches, { step: (m.epoch - 1) * m.batchesPerEpoch + m.batch, loss: m.loss, acc: m.acc });
    });
  }

  /** A page opened mid-run starts from what the store already recorded. */
  seed(jobId: string, history: EpochStats[]): void {
    const s = (this.series[jobId] ??= { batches: null, epochs: [], samplesPerSec: null });
    for (const e of history) if (!s.epochs.some((x) => x.epoch === e.epoch)) s.epochs.push(e);
    s.epochs.sort((a, b) => a.epoch - b.epoch);
  }
}

export const training = new TrainingStore();
