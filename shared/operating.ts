import type { ValidationSummary } from './run';

/** Named operating points a scan can take from a run's validation split: `fpr1` = 1 % FPR, `fpr0.1` = 0.1 %. */
export const OPERATING_POINTS = { fpr1: 0.01, 'fpr0.1': 0.001 } as const;
export type OperatingPointName = keyof typeof OPERATING_POINTS;

export function isOperatingPointName(s: string): s is OperatingPointName {
  return Object.prototype.hasOwnProperty.call(OPERATING_POINTS, s);
}

/** The stored validation threshold for a named operating point, or why there is none. */
export function validationThreshold(v: ValidationSummary | null, name: OperatingPointName): { threshold: number } | { reason: string } {
  const target = OPERATING_POINTS[name];
  if (!v) return { reason: 'the run has no validation summary (trained without a validation split, or before they were stored)' };
  const p = v.thresholds.find((t) => Math.abs(t.targetFpr - target) < 1e-12);
  if (!p || p.threshold === null) {
    return { reason: `no threshold keeps the false-positive rate within ${target * 100} % on the ${v.rows}-row validation split (too few negatives, or tied scores)` };
  }
  return { threshold: p.threshold };
}
