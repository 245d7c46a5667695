import type { TabularFeaturizerJSON } from '../data/featurize/tabular';
import { formatCount, formatNumber } from '../../shared/format';

/** One original column of a record and the encoded slots it became (a one-hot column spans several). */
export interface ColumnGroup {
  name: string;
  kind: 'numeric' | 'categorical';
  slots: number[];
}

export function columnGroups(f: TabularFeaturizerJSON): ColumnGroup[] {
  const groups: ColumnGroup[] = [];
  let at = 0;
  for (const c of f.columns) {
    const width = c.type === 'numeric' ? 1 : c.categories.length + 1;
    groups.push({ name: c.name, kind: c.type, slots: Array.from({ length: width }, (_, i) => at + i) });
    at += width;
  }
  return groups;
}

const unlog = (y: number) => (y >= 0 ? Math.expm1(y) : -Math.expm1(-y));

/** The original value behind a record's encoded column, and its training range, for the analyst to read. */
export function decodeColumn(f: TabularFeaturizerJSON, columnIndex: number, encoded: Float32Array, group: ColumnGroup): { value: string; range: string | null } {
  const c = f.columns[columnIndex];
  if (c.type === 'categorical') {
    const hot = group.slots.findIndex((s) => encoded[s] > 0.5);
    return { value: hot < 0 || hot >= c.categories.length ? '<unknown>' : c.categories[hot], range: null };
  }
  const v = encoded[group.slots[0]];
  const raw = f.scaling === 'minmax' ? v * (c.max - c.min) + c.min : unlog(v * (c.std > 0 ? c.std : 1) + c.mean);
  // One number format with the rest of the workbench: counts with separators, others with fixed decimals
  // (never "0.02000 … 2.430e+4"). Float32 decoding leaves 254.99998 for 255: near-integers are integers.
  const round = (n: number) => (Math.abs(n - Math.round(n)) < 1e-6 * Math.max(1, Math.abs(n)) ? formatCount(n) : formatNumber(n, 3));
  return { value: round(raw), range: `${round(c.min)} … ${round(c.max)}` };
}
