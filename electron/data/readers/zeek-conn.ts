import { DataError } from '../errors';
import type { ImportOptions } from '../types';
import { isNumberToken } from './csv-fields';
import { planColumns, rowFromFields } from './column-plan';
import type { Layout } from './layout';
import { openLineReader } from './line-reader';
import type { FormatReader } from './reader';
import type { RowParser } from './row-parser';
import { readZeekHeader } from './zeek-header';

/**
 * 'zeek': a Zeek log with its #fields / #types header read as one tabular record per line (conn.log,
 * with Stratosphere's label columns when present; another Zeek log reads the same way until it has a
 * reader of its own). Addresses, times, uids and sets are left out of the features.
 */
export const zeekConnReader: FormatReader = {
  formats: ['zeek'],
  detect(file, lines, forced) {
    const layout = readZeekHeader(lines);
    if (!layout && forced) throw new DataError(file, 1, 'not a zeek log: no #fields header line in the first lines');
    return layout;
  },
  open: (req) => openLineReader(req, zeekParser(req.source.file, req.layout, req.options)),
};

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
