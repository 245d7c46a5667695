import { EvalError } from './errors';
import { binomHalfCdf, chi2Sf } from './stats';
import type { McNemarResult } from '../../shared/eval';

export interface McNemarOptions {
  /** 'auto' (default): exact binomial when b + c < exactBelow, else χ² with continuity correction. */
  method?: 'auto' | 'exact-binomial' | 'chi2-continuity';
  /** Default 25, the usual rule of thumb for when the χ² approximation becomes trustworthy. */
  exactBelow?: number;
}

/**
 * McNemar's test on the discordant pairs of two classifiers scored on the same rows:
 * b = A right & B wrong, c = A wrong & B right. Only b and c matter; agreements carry no information.
 *  - χ² uncorrected: (b − c)² / (b + c), df = 1
 *  - χ² corrected (Edwards): (max(|b − c| − 1, 0))² / (b + c); the max keeps b = c at 0 rather than 1/(b+c)
 *  - exact: two-sided binomial, p = min(1, 2 · P(X ≤ min(b, c))), X ~ Bin(b + c, 1/2)
 * With b + c = 0 the models never disagree: every statistic is 0 and every p-value 1.
 */
export function mcnemar(b: number, c: number, opts: McNemarOptions = {}): McNemarResult {
  for (const [name, v] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new EvalError(`mcnemar ${name}`, undefined, `must be a non-negative integer, got ${v}`);
  }
  const n = b + c;
  const uncorrected = n === 0 ? 0 : (b - c) ** 2 / n;
  const corrected = n === 0 ? 0 : Math.max(Math.abs(b - c) - 1, 0) ** 2 / n;
  const chi2Uncorrected = { statistic: uncorrected, pValue: chi2Sf(uncorrected, 1) };
  const chi2Corrected = { statistic: corrected, pValue: chi2Sf(corrected, 1) };
  const method = opts.method ?? 'auto';
  const exact = method === 'exact-binomial' || (method === 'auto' && n < (opts.exactBelow ?? 25));
  if (exact) {
    const k = Math.min(b, c);
    return { b, c, method: 'exact-binomial', statistic: k, pValue: Math.min(1, 2 * binomHalfCdf(k, n)), chi2Corrected, chi2Uncorrected };
  }
  return { b, c, method: 'chi2-continuity', statistic: corrected, pValue: chi2Corrected.pValue, chi2Corrected, chi2Uncorrected };
}

/** Discordant counts from the two models' predictions. */
export function discordantPairs(yTrue: Int32Array, predA: Int32Array, predB: Int32Array): { b: number; c: number } {
  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const a = predA[i] === yTrue[i];
    const bb = predB[i] === yTrue[i];
    if (a && !bb) b++;
    else if (!a && bb) c++;
  }
  return { b, c };
}
