import type { Steps } from './steps';

/**
 * ROC AUC by the trapezoid rule over the tie-grouped steps, done in counts so it is exact: a tie group that
 * holds p positives and q negatives adds a trapezoid of q × (TP_before + TP_after) / 2, i.e. each
 * (positive, negative) pair with equal scores earns 1/2. That is precisely the Mann–Whitney U statistic
 * with ties counted 1/2, divided by P × N.
 * null when the test set lacks positives or negatives (the curve does not exist).
 */
export function rocAuc(s: Steps): number | null {
  if (s.positives === 0 || s.negatives === 0) return null;
  let area2 = 0; // twice the area, in count units, to keep halves exact
  let tpPrev = 0;
  let fpPrev = 0;
  for (let i = 0; i < s.tps.length; i++) {
    area2 += (s.fps[i] - fpPrev) * (s.tps[i] + tpPrev);
    tpPrev = s.tps[i];
    fpPrev = s.fps[i];
  }
  return area2 / 2 / (s.positives * s.negatives);
}

/** Full ROC curve: the origin (threshold +∞, nothing flagged) then one point per tie group. */
export function rocPoints(s: Steps): { fpr: Float64Array; tpr: Float64Array; thresholds: Float64Array; fpCounts: Float64Array; tpCounts: Float64Array } {
  const m = s.tps.length + 1;
  const fpCounts = new Float64Array(m);
  const tpCounts = new Float64Array(m);
  const thresholds = new Float64Array(m);
  thresholds[0] = Infinity;
  fpCounts.set(s.fps, 1);
  tpCounts.set(s.tps, 1);
  thresholds.set(s.thresholds, 1);
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    fpr[i] = fpCounts[i] / s.negatives;
    tpr[i] = tpCounts[i] / s.positives;
  }
  return { fpr, tpr, thresholds, fpCounts, tpCounts };
}
