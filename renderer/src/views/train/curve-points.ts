import type { BatchCurve, EpochStats } from '../../../../shared/run';

/** Up to this many planned epochs the curves are drawn over batch steps: one or two epoch dots say nothing. */
export const FEW_EPOCHS = 2;

/**
 * The batch curve to draw: the stored one (written by the engine while the run trained) joined with the live
 * points that arrived since this page opened, so a reload mid-run keeps the batches drawn before it.
 */
export function joinBatchCurves(stored: BatchCurve | null, live: BatchCurve | null | undefined): BatchCurve | null {
  if (!live || live.points.length === 0) return stored;
  if (!stored || stored.points.length === 0) return live;
  const firstLive = live.points[0].step;
  return { batchesPerEpoch: live.batchesPerEpoch, points: [...stored.points.filter((p) => p.step < firstLive), ...live.points] };
}

export interface CurveAxis {
  byStep: boolean;
  label: string;
  /** x of a batch step. */
  ofStep(step: number): number;
  /** x of an epoch's end. */
  ofEpoch(epoch: number): number;
}

/** Batch steps on the x axis for runs of few epochs (when batch points exist), epochs otherwise. */
export function curveAxis(plannedEpochs: number, curve: BatchCurve | null): CurveAxis {
  const perEpoch = curve?.batchesPerEpoch ?? 1;
  if (curve && curve.points.length > 0 && plannedEpochs <= FEW_EPOCHS) {
    return { byStep: true, label: 'batch step', ofStep: (s) => s, ofEpoch: (e) => e * perEpoch };
  }
  return { byStep: false, label: 'epoch', ofStep: (s) => s / perEpoch, ofEpoch: (e) => e };
}

export function epochPoints(epochs: EpochStats[], key: 'loss' | 'acc' | 'valLoss' | 'valAcc', axis: CurveAxis): { x: number; y: number }[] {
  return epochs.filter((e) => e[key] !== null).map((e) => ({ x: axis.ofEpoch(e.epoch), y: e[key] as number }));
}
