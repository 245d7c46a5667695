import { DataError } from '../errors';
import { isNumberToken, quoteOpen, splitCsv } from './csv-fields';
import { KDD_CATEGORICAL, KDD_FEATURES } from './kdd-columns';
import { normalizeDomain } from '../domains/normalize-domain';
import { stripPublicSuffix } from '../domains/public-suffix';
import { LABEL_HEADERS, type Layout } from './detect-format';
import type { ColumnSpec, DatasetSchema, ImportOptions } from '../types';

export interface ParsedRow {
  cat?: string[];
  text?: string;
  label?: string;
  meta?: Record<string, string | number>;
  key: string;
}

/** Turns one line of a known layout into a row, or a reason string when the line is malformed. */
export interface RowParser {
  schema: DatasetSchema;
  /** Header / comment lines that are not data. */
  skip(text: string, lineNo: number): boolean;
  /** True when a quoted field continues on the next line (CSV only). */
  incomplete?(text: string): boolean;
  /** Numeric features are written to num[at ...] (the caller owns the batch buffer). */
  parse(text: string, num: Float64Array, at: number): ParsedRow | string;
}

export function createParser(file: string, layout: Layout, opts: ImportOptions): RowParser {
  switch (layout.format) {
    case 'kdd99':
    case 'nsl-kdd':
      return kddParser(layout.format);
    case 'zeek':
      return zeekParser(file, layout, opts);
    case 'csv':
      return csvParser(file, layout, opts);
    case 'urls':
    case 'domains':
      return textParser(file, layout, opts);
    case 'zeek-behaviour':
      // Grouped into tuples by the behaviour reader (behaviour.ts); a per-line parser cannot express that.
      throw new DataError(file, undefined, "'zeek-behaviour' is read by the behaviour reader, not a line parser");
  }
}

function numericError(i: number, name: string, s: string): string {
  return `field ${i + 1} (${name}): "${s.length > 40 ? s.slice(0, 40) + '…' : s}" is not a number`;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function kddParser(format: 'kdd99' | 'nsl-kdd'): RowParser {
  const nsl = format === 'nsl-kdd';
  const expected = nsl ? 43 : 42;
  const isCat = KDD_FEATURES.map((n) => KDD_CATEGORICAL.has(n));
  const columns: ColumnSpec[] = KDD_FEATURES.map((name, i) => ({ name, type: isCat[i] ? 'categorical' : 'numeric' }));
  const count = (t: string) => {
    let n = 1;
    for (let i = t.indexOf(','); i >= 0; i = t.indexOf(',', i + 1)) n++;
    return n;
  };
  return {
    schema: { format, kind: 'tabular', columns, labelSource: 'label', taxonomy: 'kdd', metaColumns: nsl ? ['difficulty'] : [] },
    skip: (t) => t.length === 0,
    parse(text, num, at) {
      const cat: string[] = [];
      const L = text.length;
      let i = 0;
      let a: number;
      // One left-to-right sweep: find each comma and parse plain decimals on the way (no substrings).
      for (let f = 0; f < 41; f++) {
        a = i;
        if (isCat[f]) {
          while (i < L && text.charCodeAt(i) !== 44) i++;
          if (i >= L) return `expected ${expected} comma-separated fields, got ${count(text)}`;
          if (i === a) return `field ${f + 1} (${KDD_FEATURES[f]}) is empty`;
          cat.push(text.slice(a, i));
        } else {
          let neg = false;
          let m = 0;
          let digits = 0;
          let dot = -1;
          let plain = true;
          if (i < L && text.charCodeAt(i) === 45) {
            neg = true;
            i++;
          }
          for (; i < L; i++) {
            const c = text.charCodeAt(i);
            if (c === 44) break;
            if (c >= 48 && c <= 57) {
              m = m * 10 + (c - 48);
              digits++;
            } else if (c === 46 && dot < 0) dot = i;
            else plain = false;
          }
          if (i >= L) return `expected ${expected} comma-separated fields, got ${count(text)}`;
          let v: number;
          if (plain && digits > 0 && digits <= 15) {
            // M / 10^k with M < 2^53 is one correctly rounded division: bit-identical to Number(s).
            v = dot < 0 ? m : m / POW10[i - dot - 1];
            if (neg) v = -v;
          } else v = i > a ? +text.slice(a, i) : NaN;
          if (v !== v) return numericError(f, KDD_FEATURES[f], text.slice(a, i));
          num[at++] = v;
        }
        i++;
      }
      a = i;
      const keyEnd = a - 1;
      const lb = text.indexOf(',', a);
      if (nsl ? lb < 0 || text.indexOf(',', lb + 1) >= 0 : lb >= 0) return `expected ${expected} comma-separated fields, got ${count(text)}`;
      let label = nsl ? text.slice(a, lb) : text.slice(a);
      if (label.endsWith('.')) label = label.slice(0, -1);
      if (label.length === 0) return 'field 42 (label) is empty';
      if (!nsl) return { cat, label, key: text.slice(0, keyEnd) };
      const ds = text.slice(lb + 1);
      const d = +ds;
      if (!(Number.isInteger(d) && d >= 0 && d <= 21) || ds.length === 0) return `field 43 (difficulty): "${ds}" is not an integer 0–21`;
      return { cat, label, meta: { difficulty: d }, key: text.slice(0, keyEnd) };
    },
  };
}

interface ColumnPlan {
  columns: ColumnSpec[];
  featureIdx: number[];
  labelIdx: number;
  metaIdx: number[];
}

/** Resolves label / feature / categorical column choices by name; unknown names are an error, not a silent drop. */
function planColumns(
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

function rowFromFields(
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

const ZEEK_NUMERIC = new Set(['count', 'int', 'double', 'interval']);
const ZEEK_EXCLUDED_NAMES = new Set(['ts', 'uid', 'id.orig_h', 'id.resp_h', 'id.orig_p', 'tunnel_parents']);

function zeekParser(file: string, layout: Layout, opts: ImportOptions): RowParser {
  const names = layout.names;
  const sep = layout.separator ?? '\t';
  const types = layout.types ?? [];
  const lower = names.map((n) => n.toLowerCase());
  const exclude = new Set<number>();
  names.forEach((n, i) => {
    const t = types[i] ?? '';
    if (ZEEK_EXCLUDED_NAMES.has(n) || t === 'time' || t === 'addr' || t.startsWith('set[') || t.startsWith('vector[')) exclude.add(i);
  });
  // Stratosphere appends label + detailedlabel after the standard fields.
  const label = lower.indexOf('label');
  const detailed = lower.indexOf('detailedlabel');
  const plan = planColumns(file, names, opts, {
    label,
    exclude,
    meta: detailed >= 0 ? [detailed] : [],
    categorical: (i) => !ZEEK_NUMERIC.has(types[i] ?? (layout.sample.every((r) => r[i] === '-' || isNumberToken(r[i] ?? '')) ? 'double' : 'string')),
  });
  const missing = (s: string) => s === '-' || s === '(empty)' || s === '';
  const labelSource = opts.fixedLabel !== undefined && plan.labelIdx < 0 ? 'fixed' : plan.labelIdx >= 0 ? names[plan.labelIdx] : undefined;
  return {
    schema: { format: 'zeek', kind: 'tabular', columns: plan.columns, labelSource, taxonomy: 'generic', metaColumns: plan.metaIdx.map((i) => names[i]) },
    skip: (t) => t.length === 0 || t.charCodeAt(0) === 35 /* '#' */,
    parse(text, num, at) {
      const f = text.split(sep);
      if (f.length !== names.length) return `expected ${names.length} ${sep === '\t' ? 'tab' : JSON.stringify(sep)}-separated fields, got ${f.length}`;
      return rowFromFields(f, plan, names, missing, '\t', num, at);
    },
  };
}

function csvParser(file: string, layout: Layout, opts: ImportOptions): RowParser {
  const names = layout.names;
  const lower = names.map((n) => n.toLowerCase());
  const label = lower.findIndex((n) => LABEL_HEADERS.includes(n));
  const plan = planColumns(file, names, opts, {
    label,
    exclude: new Set(),
    meta: [],
    // Categorical when more than a fifth of the sampled values are not numbers (one stray word is a bad value).
    categorical: (i) => {
      const vals = layout.sample.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
      return vals.filter((v) => !isNumberToken(v)).length > 0.2 * vals.length;
    },
  });
  const labelSource = opts.fixedLabel !== undefined && plan.labelIdx < 0 ? 'fixed' : plan.labelIdx >= 0 ? names[plan.labelIdx] : undefined;
  return {
    schema: { format: 'csv', kind: 'tabular', columns: plan.columns, labelSource, taxonomy: 'generic', metaColumns: [] },
    skip: (t, n) => t.length === 0 || (layout.hasHeader && n === 1),
    incomplete: quoteOpen,
    parse(text, num, at) {
      const f = splitCsv(text);
      if (!Array.isArray(f)) return f.error;
      if (f.length !== names.length) return `expected ${names.length} comma-separated fields, got ${f.length}`;
      return rowFromFields(f, plan, names, (s) => s.trim() === '', ',', num, at);
    },
  };
}

function textParser(file: string, layout: Layout, opts: ImportOptions): RowParser {
  const domains = layout.format === 'domains';
  const names = layout.names;
  const single = layout.textColumn < 0;
  let labelIdx = layout.labelColumn;
  if (opts.columns?.label === null) labelIdx = -1;
  else if (opts.columns?.label !== undefined) {
    labelIdx = names.findIndex((n) => n.toLowerCase() === opts.columns!.label!.toLowerCase());
    if (labelIdx < 0 || single) throw new DataError(file, undefined, `no column named "${opts.columns.label}" (columns: ${names.join(', ')})`);
  }
  const metaIdx = names.map((_, i) => i).filter((i) => i !== layout.textColumn && i !== labelIdx && !single);
  const labelSource = labelIdx >= 0 ? names[labelIdx] : opts.fixedLabel !== undefined ? 'fixed' : undefined;
  // The encoder cuts the suffix (featurize/charseq.ts); the key gets the same cut so duplicates count what the model sees.
  const given = opts.featurizer?.kind === 'charseq' ? opts.featurizer : undefined;
  const cutSuffix = domains && (given ? given.stripPublicSuffix === true : opts.text?.stripPublicSuffix === true);
  const finish = (value: string, row: ParsedRow): ParsedRow | string => {
    if (!domains) return value.length === 0 ? 'empty URL' : row;
    const d = normalizeDomain(value);
    if (typeof d !== 'string') return d.error;
    row.text = d;
    row.key = cutSuffix ? stripPublicSuffix(d) : d;
    return row;
  };
  return {
    schema: {
      format: layout.format,
      kind: 'text',
      textKind: domains ? 'domain' : 'url',
      ...(cutSuffix ? { textCut: 'public-suffix' as const } : {}),
      columns: [],
      labelSource,
      taxonomy: 'generic',
      metaColumns: metaIdx.map((i) => names[i]),
    },
    skip: (t, n) => t.trim().length === 0 || (layout.hasHeader && n === 1),
    incomplete: single ? undefined : quoteOpen,
    parse(text) {
      let value: string;
      let row: ParsedRow;
      if (single) {
        // A one-column list is the whole line, commas included; only a fully quoted line is unquoted.
        if (text.charCodeAt(0) === 34) {
          const f = splitCsv(text);
          if (!Array.isArray(f)) return f.error;
          value = f.join(',');
        } else value = text;
        value = value.trim();
        row = { text: value, key: value };
      } else {
        const f = splitCsv(text);
        if (!Array.isArray(f)) return f.error;
        if (f.length !== names.length) return `expected ${names.length} comma-separated fields, got ${f.length}`;
        value = f[layout.textColumn].trim();
        row = { text: value, key: value };
        if (labelIdx >= 0) row.label = f[labelIdx].trim();
        if (metaIdx.length) {
          row.meta = {};
          for (const i of metaIdx) row.meta[names[i]] = f[i];
        }
      }
      return finish(value, row);
    },
  };
}
