import { DataError } from '../errors';
import type { ColumnSpec } from '../featurize';
import type { ImportOptions } from '../types';
import { numericError, type ParsedRow } from './row-parser';

/** Which fields of a delimited line are features, the label and meta columns (CSV and Zeek logs). */
export interface ColumnPlan {
  columns: ColumnSpec[];
  featureIdx: number[];
  labelIdx: number;
  metaIdx: number[];
}

/** Resolves label / feature / categorical column choices by name; unknown names are an error, not a silent drop. */
export function planColumns(
  file: string,
  names: string[],
  opts: ImportOptions,
  defaults: { label: number; exclude: Set<number>; categorical: (i: number) => boolean; meta: number[] },
): ColumnPlan {
  const lower = names.map((n) => n.toLowerCase());
  const find = (n: string) => {
    let i = names.indexOf(n);
    if (i < 0) i = lower.indexOf(n.toLowerCase());
    if (i < 0) throw new DataError(file, undefined, `no column named "${n}" (columns: ${names.join(', ')})`);
    return i;
  };
  const c = opts.columns ?? {};
  const labelIdx = c.label === null ? -1 : c.label !== undefined ? find(c.label) : defaults.label;
  const metaIdx = defaults.meta.filter((i) => i !== labelIdx);
  const featureIdx = c.features
    ? c.features.map(find)
    : names.map((_, i) => i).filter((i) => i !== labelIdx && !metaIdx.includes(i) && !defaults.exclude.has(i));
  if (featureIdx.includes(labelIdx)) throw new DataError(file, undefined, `column "${names[labelIdx]}" cannot be both label and feature`);
  const catSet = c.categorical ? new Set(c.categorical.map(find)) : undefined;
  const columns = featureIdx.map((i) => ({
    name: names[i],
    type: (catSet ? catSet.has(i) : defaults.categorical(i)) ? ('categorical' as const) : ('numeric' as const),
  }));
  return { columns, featureIdx, labelIdx, metaIdx };
}

/** One delimited line, split into fields, as a row of the plan; numeric features go to num[at ...]. */
export function rowFromFields(
  f: string[],
  plan: ColumnPlan,
  names: string[],
  missing: (s: string) => boolean,
  sep: string,
  num: Float64Array,
  at: number,
): ParsedRow | string {
  const { columns, featureIdx, labelIdx, metaIdx } = plan;
  const cat: string[] = [];
  let key = '';
  for (let j = 0; j < featureIdx.length; j++) {
    const i = featureIdx[j];
    const s = f[i];
    key += j ? sep + s : s;
    if (columns[j].type === 'categorical') cat.push(s);
    else if (missing(s)) num[at++] = NaN;
    else {
      const v = +s;
      if (v !== v) return numericError(i, names[i], s);
      num[at++] = v;
    }
  }
  const row: ParsedRow = { cat, key };
  if (labelIdx >= 0) row.label = f[labelIdx].trim();
  if (metaIdx.length) {
    row.meta = {};
    for (const i of metaIdx) row.meta[names[i]] = f[i];
  }
  return row;
}
