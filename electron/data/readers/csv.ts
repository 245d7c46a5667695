import { DataError } from '../errors';
import type { ImportOptions } from '../types';
import { isNumberToken, quoteOpen, splitCsv } from './csv-fields';
import { planColumns, rowFromFields } from './column-plan';
import { LABEL_HEADERS, describeLine, fieldsOf, isHeaderLine, isHeaderOfNames, tabularLayout, type Layout } from './layout';
import { openLineReader } from './line-reader';
import type { FormatReader } from './reader';
import type { RowParser } from './row-parser';

/** 'csv': comma-separated records under a header row of column names (RFC 4180 quoting). */
export const csvReader: FormatReader = {
  formats: ['csv'],
  detect(file, lines, forced) {
    const first = lines[0];
    const head = fieldsOf(first).map((h) => h.toLowerCase());
    const rest = lines.slice(1, 21);
    const restFields = rest.map(fieldsOf);
    if (isHeaderOfNames(head) && head.length >= 2 && restFields.length && restFields.filter((f) => f.length === head.length).length >= 0.8 * restFields.length) {
      return tabularLayout('csv', head.map((_, i) => fieldsOf(first)[i]), true, rest, restFields);
    }
    if (forced) throw new DataError(file, 1, `not a CSV with a header row: ${describeLine(first)}`);
    return undefined;
  },
  open: (req) => openLineReader(req, csvParser(req.source.file, req.layout, req.options)),
};

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
    skip: (t, n) => t.length === 0 || isHeaderLine(layout, n),
    incomplete: quoteOpen,
    parse(text, num, at) {
      const f = splitCsv(text);
      if (!Array.isArray(f)) return f.error;
      if (f.length !== names.length) return `expected ${names.length} comma-separated fields, got ${f.length}`;
      return rowFromFields(f, plan, names, (s) => s.trim() === '', ',', num, at);
    },
  };
}
