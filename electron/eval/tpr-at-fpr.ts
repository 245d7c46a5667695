import type { OperatingPoint } from '../../shared/eval';
import type { Steps } from './steps';

/**
 * TPR at a fixed FPR budget, read off the exact (not downsampled, not interpolated) step curve: the
 * operating point must be reachable by one threshold, and tied scores cannot be split.
 * The budget is applied in counts, floor(target × N) false positives, so 0.001 × 1000 allows exactly one
 * and no float rounding of the target can sneak an extra one in. Among points with the same best TPR the
 * one with the fewest false positives (highest threshold) is reported.
 */
export function tprAtFpr(s: Steps, targets: readonly number[]): OperatingPoint[] {
  return targets.map((targetFpr) => {
    if (s.positives === 0 || s.negatives === 0) {
      return { targetFpr, tpr: null, fpr: null, threshold: null, truePositives: null, falsePositives: null };
    }
    const budget = Math.floor(targetFpr * s.negatives + 1e-9);
    // fps is non-decreasing: binary search the last group within budget (−1 = the origin).
    let lo = -1;
    let hi = s.fps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.fps[mid] <= budget) lo = mid;
      else hi = mid - 1;
    }
    let i = lo;
    const tpAt = (j: number): number => (j < 0 ? 0 : s.tps[j]);
    while (i >= 0 && tpAt(i - 1) === tpAt(i)) i--;
    const tp = tpAt(i);
    const fp = i < 0 ? 0 : s.fps[i];
    return {
      targetFpr,
      tpr: tp / s.positives,
      fpr: fp / s.negatives,
      threshold: i < 0 ? null : s.thresholds[i],
      truePositives: tp,
      falsePositives: fp,
    };
  });
}
