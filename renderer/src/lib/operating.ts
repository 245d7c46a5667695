import { formatPercent } from '../../../shared/format';
import type { OperatingCurve } from '../../../shared/scan';

/**
 * The false-positive and true-positive rates to expect at a score threshold, read from the model's ROC:
 * the last curve point whose threshold is still ≥ t (thresholds fall along the curve; null = +∞).
 * Display curves are thinned, so this is the nearest stored point at or above t.
 */
export function ratesAt(curve: OperatingCurve, t: number): { fpr: number; tpr: number } {
  let best = 0;
  for (let i = 0; i < curve.thresholds.length; i++) {
    const th = curve.thresholds[i];
    if (th === null || th >= t) best = i;
    else break;
  }
  return { fpr: curve.fpr[best], tpr: curve.tpr[best] };
}

export function pct(v: number, digits = 2): string {
  return formatPercent(v, digits);
}
