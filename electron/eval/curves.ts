import { nonCollinear, spreadAlongPath } from './downsample';
import { averagePrecision, prPoints } from './pr';
import { rocAuc, rocPoints } from './roc';
import type { PrCurve, RocCurve } from '../../shared/eval';
import type { Steps } from './steps';

export const DISPLAY_POINTS = 500;

export interface CurveLabel {
  basis: 'class' | 'attack-vs-normal';
  positive: string;
}

const pick = (a: Float64Array, idx: Int32Array): number[] => Array.from(idx, (i) => a[i]);
const pickThresholds = (a: Float64Array, idx: Int32Array): (number | null)[] =>
  Array.from(idx, (i) => (a[i] === Infinity ? null : a[i]));

/** Keys in schema order, so a stored result and its re-parsed copy serialise identically. */
const header = (s: Steps, label: CurveLabel, fullPoints: number, reason: string | null) => ({
  basis: label.basis,
  positive: label.positive,
  positives: s.positives,
  negatives: s.negatives,
  fullPoints,
  reason,
});

/** Why a ranking metric does not exist for this positive class, or null when it does. */
export function missingReason(s: Steps, label: CurveLabel, needNegatives: boolean): string | null {
  const what = label.basis === 'class' ? `'${label.positive}'` : 'attack';
  if (s.positives === 0) return `no positives: no ${what} rows in the test set`;
  if (needNegatives && s.negatives === 0) return `no negatives: every row is ${what}`;
  return null;
}

export function rocCurve(s: Steps, label: CurveLabel, maxPoints = DISPLAY_POINTS): RocCurve {
  const reason = missingReason(s, label, true);
  if (reason !== null) return { ...header(s, label, 0, reason), auc: null, fpr: [], tpr: [], thresholds: [] };
  const p = rocPoints(s);
  // Collinear points are tested in counts (exact), then the rest is spread along the curve.
  const idx = spreadAlongPath(p.fpr, p.tpr, nonCollinear(p.fpCounts, p.tpCounts), maxPoints);
  return {
    ...header(s, label, p.fpr.length, null),
    auc: rocAuc(s),
    fpr: pick(p.fpr, idx),
    tpr: pick(p.tpr, idx),
    thresholds: pickThresholds(p.thresholds, idx),
  };
}

export function prCurve(s: Steps, label: CurveLabel, maxPoints = DISPLAY_POINTS): PrCurve {
  const reason = missingReason(s, label, false);
  if (reason !== null) return { ...header(s, label, 0, reason), averagePrecision: null, recall: [], precision: [], thresholds: [] };
  const p = prPoints(s);
  const all = new Int32Array(p.recall.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const idx = spreadAlongPath(p.recall, p.precision, all, maxPoints);
  return {
    ...header(s, label, p.recall.length, null),
    averagePrecision: averagePrecision(s),
    recall: pick(p.recall, idx),
    precision: pick(p.precision, idx),
    thresholds: pickThresholds(p.thresholds, idx),
  };
}

/** Mean of the defined values, with a note naming what was left out; null with a reason when none are defined. */
export function macroOf(values: (number | null)[], labels: readonly string[], metric: string): { value: number | null; reason: string | null } {
  const defined = values.filter((v): v is number => v !== null);
  const skipped = labels.filter((_, i) => values[i] === null);
  if (defined.length === 0) return { value: null, reason: `${metric} undefined for every class (a single class in the test set?)` };
  const value = defined.reduce((a, b) => a + b, 0) / defined.length;
  const reason =
    skipped.length === 0 ? null : `macro ${metric} over ${defined.length} of ${labels.length} classes; undefined for ${skipped.map((l) => `'${l}'`).join(', ')}`;
  return { value, reason };
}
