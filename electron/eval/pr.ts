import type { Steps } from './steps';

/**
 * Average precision, sklearn's step definition (no interpolation):
 *   AP = Σ_n (R_n − R_{n−1}) · P_n   over tie groups by decreasing threshold, R_0 = 0.
 * null when there are no positives (recall is 0/0). With no negatives every precision is 1, so AP = 1.
 */
export function averagePrecision(s: Steps): number | null {
  if (s.positives === 0) return null;
  let ap = 0;
  let tpPrev = 0;
  for (let i = 0; i < s.tps.length; i++) {
    const tp = s.tps[i];
    if (tp !== tpPrev) ap += ((tp - tpPrev) / s.positives) * (tp / (tp + s.fps[i]));
    tpPrev = tp;
  }
  return ap;
}

/**
 * Full precision–recall curve by decreasing threshold: first the point (recall 0, precision 1, threshold +∞)
 * that sklearn appends, then one point per tie group up to the first group reaching full recall (later
 * groups only lower precision at recall 1, so sklearn drops them too).
 */
export function prPoints(s: Steps): { recall: Float64Array; precision: Float64Array; thresholds: Float64Array } {
  let last = s.tps.length - 1;
  for (let i = 0; i < s.tps.length; i++) {
    if (s.tps[i] === s.positives) {
      last = i;
      break;
    }
  }
  const m = last + 2;
  const recall = new Float64Array(m);
  const precision = new Float64Array(m);
  const thresholds = new Float64Array(m);
  precision[0] = 1;
  thresholds[0] = Infinity;
  for (let i = 0; i <= last; i++) {
    recall[i + 1] = s.tps[i] / s.positives;
    precision[i + 1] = s.tps[i] / (s.tps[i] + s.fps[i]);
    thresholds[i + 1] = s.thresholds[i];
  }
  return { recall, precision, thresholds };
}
