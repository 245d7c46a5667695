import { DataError } from '../errors';
import { normalizeDomain } from '../domains/normalize-domain';
import { stripPublicSuffix } from '../domains/public-suffix';
import type { ImportOptions } from '../types';
import { isNumberToken, quoteOpen, splitCsv } from './csv-fields';
import { LABEL_HEADERS, describeLine, fieldsOf, isDomainLike, isHeaderLine, isHeaderOfNames, isUrlLabelFeed, isUrlLike, type Layout } from './layout';
import type { ParsedRow, RowParser } from './row-parser';

/**
 * What the URL and domain list readers share: one detection (a header naming a URL or domain column,
 * else a headerless list judged line by line; the order decides files that could be either) and one
 * parser. Each reader keeps the layouts of its own format.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

const URL_HEADERS = new Set(['url', 'urls', 'uri']);
const DOMAIN_HEADERS = new Set(['domain', 'domains', 'hostname', 'host', 'qname', 'query']);

export function detectTextList(file: string, lines: string[], forced?: 'urls' | 'domains'): Layout | undefined {
  const first = lines[0];
  const data = lines.slice(0, 20);
  const head = fieldsOf(first).map((h) => h.toLowerCase());
  const headerIsNames = isHeaderOfNames(head);
  const labelIdx = headerIsNames ? head.findIndex((h) => LABEL_HEADERS.includes(h)) : -1;
  const restFields = lines.slice(1, 21).map(fieldsOf);

  const urlCol = head.findIndex((h) => URL_HEADERS.has(h));
  const domCol = head.findIndex((h) => DOMAIN_HEADERS.has(h));
  if (headerIsNames && urlCol >= 0 && forced !== 'domains') {
    return { format: 'urls', names: head, hasHeader: true, textColumn: head.length === 1 ? -1 : urlCol, labelColumn: labelIdx, sample: restFields };
  }
  if (headerIsNames && domCol >= 0 && forced !== 'urls') {
    return { format: 'domains', names: head, hasHeader: true, textColumn: head.length === 1 ? -1 : domCol, labelColumn: labelIdx, sample: restFields };
  }

  // Headerless lists: judge the whole line first (URLs may hold unquoted commas).
  const trimmed = data.map((l) => l.trim());
  const frac = (pred: (s: string) => boolean, arr: string[]) => arr.filter(pred).length / arr.length;
  const body = trimmed.length > 1 ? trimmed.slice(1) : trimmed;
  const firstIsHeader = trimmed.length > 1 && !isUrlLike(trimmed[0]) && !isDomainLike(trimmed[0]);
  const listLines = firstIsHeader ? body : trimmed;
  // A ranked domain list (Alexa, Tranco: "1,google.com") read as URLs: the domain is the URL, the rank is not
  // part of it and the first line is data, not a header.
  if (forced === 'urls') {
    const ranked = trimmed.map(fieldsOf);
    if (ranked.every((f) => f.length === 2 && isNumberToken(f[0]) && isDomainLike(f[1]) && f[1].includes('.'))) {
      return { format: 'urls', names: ['rank', 'url'], hasHeader: false, textColumn: 1, labelColumn: -1, sample: ranked };
    }
  }
  // A headerless url,label feed ("host/path,bad" as public feeds ship): the label is the second field, never part
  // of the URL. Bare hosts with a word ("evil.example,banjori") stay the domain reader's domain,family lists.
  if (forced !== 'domains' && !firstIsHeader && isUrlLabelFeed(listLines)) {
    return { format: 'urls', names: ['url', 'label'], hasHeader: false, textColumn: 0, labelColumn: 1, sample: listLines.map(fieldsOf) };
  }
  if (forced === 'urls' || (!forced && frac(isUrlLike, listLines) >= 0.5 && frac((s) => !s.includes(',') || s.startsWith('"'), listLines) >= 0.5)) {
    const two = listLines.map(fieldsOf);
    if (two.every((f) => f.length === 2 && isUrlLike(f[0]) && !isUrlLike(f[1]))) {
      return { format: 'urls', names: ['url', 'label'], hasHeader: firstIsHeader, textColumn: 0, labelColumn: 1, sample: two };
    }
    return { format: 'urls', names: ['url'], hasHeader: firstIsHeader, textColumn: -1, labelColumn: -1, sample: [] };
  }
  const allFields = data.map(fieldsOf);
  const nf = allFields[0].length;
  // Told it is a domain list: bad lines are the parser's to report, not a reason to refuse the file.
  if (nf === 1 && (forced === 'domains' || frac(isDomainLike, listLines) >= 0.9)) {
    return { format: 'domains', names: ['domain'], hasHeader: firstIsHeader, textColumn: -1, labelColumn: -1, sample: [] };
  }
  if (nf === 2 && allFields.every((f) => f.length === 2)) {
    if (allFields.every((f) => isNumberToken(f[0]) && isDomainLike(f[1]))) {
      return { format: 'domains', names: ['rank', 'domain'], hasHeader: false, textColumn: 1, labelColumn: -1, sample: allFields };
    }
    if (allFields.every((f) => isDomainLike(f[0]) && f[0].includes('.') && !f[1].includes('.'))) {
      return { format: 'domains', names: ['domain', 'family'], hasHeader: false, textColumn: 0, labelColumn: 1, sample: allFields };
    }
  }
  if (forced === 'domains') throw new DataError(file, 1, `not a domain list: ${describeLine(first)}`);
  return undefined;
}

/** The parser of both list formats: the text column (or the whole line), an optional label column, the rest as meta. */
export function textListParser(file: string, layout: Layout, opts: ImportOptions): RowParser {
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
    if (!domains) return value.length === 0 ? 'empty URL' : CONTROL.test(value) ? 'control character in the URL' : row;
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
    skip: (t, n) => t.trim().length === 0 || isHeaderLine(layout, n),
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
