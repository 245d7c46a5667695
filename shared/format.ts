/**
 * The one way numbers are written for a person (views, HTML report, CLI tables): counts with thousands
 * separators, rates as percentages with fixed decimals, measurements with fixed decimals and separators.
 * Never exponent notation and never a precision that changes from row to row, so that one page reads
 * "1,071 · 0.0200 · 255.0000 · 24,300.0000" rather than "1071 · 0.02000 · 255.0 · 2.43e+4".
 */

const grouped = new Map<number, Intl.NumberFormat>();

function formatter(digits: number): Intl.NumberFormat {
  let f = grouped.get(digits);
  if (!f) {
    // signDisplay 'negative': no minus on a value that rounds to zero ("0.000", never "-0" or "-0.000").
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true, signDisplay: 'negative' });
    grouped.set(digits, f);
  }
  return f;
}

/** A whole number of things (rows, URLs, bytes): "1,071". */
export function formatCount(n: number): string {
  return formatter(0).format(Math.round(n));
}

/** A fraction 0..1 as a percentage with fixed decimals: 0.98765 → "98.77 %". */
export function formatPercent(v: number, digits = 2): string {
  return `${formatter(digits).format(v * 100)} %`;
}

/**
 * A measured value (a mean, a loss, an attribution) with fixed decimals and thousands separators:
 * 24300 → "24,300.000", 0.00002 → "0.000". A value too small for the decimals shows as zero, which reads
 * as "about zero", not as a different notation.
 */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '—';
  return formatter(digits).format(v);
}

/**
 * A model's score (0..1) in a result list: the Scan results and the triage queue use this one form, so the
 * same URL reads the same in both lists (4 decimals separate scores that 3 would show as equal near 1).
 */
export function formatScore(v: number): string {
  return formatNumber(v, 4);
}

const significant = new Map<number, Intl.NumberFormat>();

/**
 * A setting or an axis tick, where the value's own digits matter more than a common column of decimals:
 * at most `digits` significant digits, never an exponent, whole numbers whole: 0.2 → "0.2",
 * 0.23456 → "0.235", 0.0001 → "0.0001", 1024 → "1,024". (Learning rates have their own form, formatLearningRate.)
 */
export function formatShort(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  if (Number.isInteger(v) || Math.abs(v) >= 10 ** digits) return formatCount(v);
  let f = significant.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { maximumSignificantDigits: digits, useGrouping: true, signDisplay: 'negative' });
    significant.set(digits, f);
  }
  return f.format(v);
}

/**
 * formatNumber with a + on positive values: attributions and differences, where the sign is the message.
 * A value that rounds to zero has no sign ("0.0", never "+0.0").
 */
export function formatSigned(v: number, digits = 3): string {
  const text = formatNumber(v, digits);
  return v > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/** A table cell that is either a whole number (a count, a min / max of an integer column) or a measurement. */
export function formatValue(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Number.isInteger(v) ? formatCount(v) : formatNumber(v, digits);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in decimal units with one decimal above a kilobyte: 18,242,318 → "18.2 MB". */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${formatCount(v)} B` : `${formatNumber(v, 1)} ${UNITS[u]}`;
}

/** A duration for "time left" and "took": "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
