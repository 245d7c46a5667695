import { formatNumber, formatSigned } from '../../../../shared/format';
import type { CompareResult, ConfidenceInterval } from '../../../../shared/eval';

export const ALPHA = 0.05;

export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${formatNumber(p, p < 0.01 ? 3 : 2)}`;
}

/** A rate difference in percentage points with its sign: +1.2 pts. */
export function formatPts(v: number, digits = 1): string {
  return formatSigned(v * 100, digits);
}

/** An interval of rates in percent (1 decimal), or of differences in signed points. */
export function formatCi(ci: ConfidenceInterval, asDiff: boolean): string {
  const f = (v: number) => (asDiff ? formatPts(v) : formatNumber(v * 100, 1));
  return `[${f(ci.lower)}, ${f(ci.upper)}]`;
}

export interface Verdict {
  significant: boolean;
  /** 'a' or 'b' when one model is significantly better. */
  winner: 'a' | 'b' | null;
  text: string;
  /** When the bootstrap interval of the accuracy difference disagrees with McNemar, a caution. */
  caveat: string | null;
}

/** The paired test in one sentence an analyst can paste into a ticket. */
export function verdictOf(r: CompareResult, nameA: string, nameB: string): Verdict {
  const { pValue, b, c } = r.mcnemar;
  const diff = r.bootstrap.accuracy.diff;
  const level = Math.round(r.bootstrap.confidence * 100);
  const figures = `${formatP(pValue)}; accuracy difference ${formatPts(diff.estimate)} pts, ${level} % CI ${formatCi(diff, true)}`;
  const significant = pValue < ALPHA && b !== c;
  const winner = significant ? (b > c ? 'a' : 'b') : null;
  const text =
    winner === 'a'
      ? `${nameA} is better than ${nameB} (${figures})`
      : winner === 'b'
        ? `${nameB} is better than ${nameA} (${figures})`
        : `No significant difference between ${nameA} and ${nameB} (${figures})`;
  const ciExcludesZero = diff.lower > 0 || diff.upper < 0;
  const caveat =
    significant && !ciExcludesZero
      ? `McNemar's test rejects equal error rates, but the ${level} % interval of the accuracy difference includes 0: treat the difference as small.`
      : !significant && ciExcludesZero
        ? `The ${level} % interval of the accuracy difference excludes 0, but McNemar's test does not reject at α = ${ALPHA}: the evidence is borderline.`
        : null;
  return { significant, winner, text, caveat };
}
