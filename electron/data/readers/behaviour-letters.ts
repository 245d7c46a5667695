import type { BehaviourThresholds } from '../types';

/**
 * The Stratosphere behavioural model (Garcia, Stratosphere IPS / Slips): each flow of a 4-tuple
 * (source IP, destination IP, destination port, protocol) becomes one letter for its periodicity,
 * size and duration, and a symbol for the time since the tuple's previous flow. The full rules and
 * the two deliberate deviations are in docs/behaviour-letters.md.
 */

/** Stratosphere's values (Slips: tt1 1.05, tt2 1.3, tt3 5, td1 0.1, td2 10, ts1 250, ts2 1100, tto 1 h). */
export const DEFAULT_THRESHOLDS: Readonly<BehaviourThresholds> = Object.freeze({
  tt1: 1.05,
  tt2: 1.3,
  tt3: 5,
  td1: 0.1,
  td2: 10,
  ts1: 250,
  ts2: 1100,
  t1: 5,
  t2: 60,
  t3: 300,
  timeout: 3600,
  maxZeros: 24,
});

export type Periodicity = 'strong-periodic' | 'weak-periodic' | 'weak-non-periodic' | 'strong-non-periodic' | 'no-data';

/** Nine letters per periodicity, indexed size * 3 + duration (size and duration 0 = small / short). */
export const LETTERS: Readonly<Record<Periodicity, string>> = Object.freeze({
  'strong-periodic': 'abcdefghi',
  'weak-periodic': 'ABCDEFGHI',
  'weak-non-periodic': 'rstuvwxyz',
  'strong-non-periodic': 'RSTUVWXYZ',
  'no-data': '123456789',
});

export function thresholds(over: Partial<BehaviourThresholds> = {}): BehaviourThresholds {
  const t = { ...DEFAULT_THRESHOLDS, ...over };
  for (const [k, v] of Object.entries(t)) if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new Error(`behaviour threshold ${k} must be a finite number ≥ 0, got ${v}`);
  if (!(t.tt1 <= t.tt2 && t.tt2 <= t.tt3 && t.td1 <= t.td2 && t.ts1 <= t.ts2 && t.t1 <= t.t2 && t.t2 <= t.t3 && t.t3 <= t.timeout)) {
    throw new Error('behaviour thresholds must increase: tt1 ≤ tt2 ≤ tt3, td1 ≤ td2, ts1 ≤ ts2, t1 ≤ t2 ≤ t3 ≤ timeout');
  }
  if (t.timeout <= 0) throw new Error('behaviour timeout must be > 0');
  return t;
}

/**
 * From the two latest gaps: T1 = previous gap, T2 = gap before this flow (seconds). Either missing
 * (the tuple's first two flows) = no data. TD = larger / smaller, so a steady beacon gives TD ≈ 1.
 * A zero gap: both zero → TD 1; one zero → TD ∞ (Slips' ZeroDivisionError fallback would say 1, which
 * calls "burst, then a pause" strongly periodic).
 */
export function periodicity(t1: number | undefined, t2: number | undefined, th: BehaviourThresholds = DEFAULT_THRESHOLDS): Periodicity {
  if (t1 === undefined || t2 === undefined) return 'no-data';
  const hi = Math.max(t1, t2);
  const lo = Math.min(t1, t2);
  const td = hi === 0 ? 1 : lo === 0 ? Infinity : hi / lo;
  if (td <= th.tt1) return 'strong-periodic';
  if (td < th.tt2) return 'weak-periodic';
  if (td < th.tt3) return 'weak-non-periodic';
  return 'strong-non-periodic';
}

/** 0 small (≤ ts1 bytes), 1 medium (≤ ts2), 2 large. */
export function sizeClass(bytes: number, th: BehaviourThresholds = DEFAULT_THRESHOLDS): number {
  return bytes <= th.ts1 ? 0 : bytes <= th.ts2 ? 1 : 2;
}

/** 0 short (≤ td1 s), 1 medium (≤ td2 s), 2 long. */
export function durationClass(seconds: number, th: BehaviourThresholds = DEFAULT_THRESHOLDS): number {
  return seconds <= th.td1 ? 0 : seconds <= th.td2 ? 1 : 2;
}

export function letterOf(p: Periodicity, size: number, duration: number): string {
  return LETTERS[p][size * 3 + duration];
}

/**
 * The gap before a flow: '.' ≤ t1, ',' ≤ t2, '+' ≤ t3, '*' ≤ timeout; beyond the timeout the gap is
 * written as '0' per full timeout period (capped at maxZeros) in front of the letter instead, as
 * Stratosphere does. Returns [prefix, suffix].
 */
export function gapSymbols(gap: number | undefined, th: BehaviourThresholds = DEFAULT_THRESHOLDS): [string, string] {
  if (gap === undefined) return ['', ''];
  if (gap <= th.t1) return ['', '.'];
  if (gap <= th.t2) return ['', ','];
  if (gap <= th.t3) return ['', '+'];
  if (gap <= th.timeout) return ['', '*'];
  return ['0'.repeat(Math.min(th.maxZeros, Math.max(1, Math.floor(gap / th.timeout)))), ''];
}

export interface BehaviourFlow {
  /** Start time, seconds. */
  ts: number;
  /** Seconds; unset = 0. */
  duration: number;
  /** Total bytes of both directions; unset = 0. */
  bytes: number;
}

/**
 * One token per flow, flows in start-time order: zeros + letter + symbol, where the symbol (and any
 * zeros) describe the gap between this flow and the one before it; the first flow has no symbol.
 * The tuple's behaviour string is the tokens joined.
 */
export function behaviourTokens(flows: readonly BehaviourFlow[], th: BehaviourThresholds = DEFAULT_THRESHOLDS): string[] {
  const out: string[] = new Array(flows.length);
  let t1: number | undefined;
  let t2: number | undefined;
  for (let k = 0; k < flows.length; k++) {
    const f = flows[k];
    t1 = t2;
    t2 = k > 0 ? f.ts - flows[k - 1].ts : undefined;
    const p = periodicity(t1, t2, th);
    const [pre, post] = gapSymbols(t2, th);
    out[k] = pre + letterOf(p, sizeClass(f.bytes, th), durationClass(f.duration, th)) + post;
  }
  return out;
}

export function behaviourString(flows: readonly BehaviourFlow[], th: BehaviourThresholds = DEFAULT_THRESHOLDS): string {
  return behaviourTokens(flows, th).join('');
}
