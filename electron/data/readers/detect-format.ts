import { DataError, preview } from '../errors';
import { isNumberToken, splitCsv } from './csv-fields';
import { KDD_PROTOCOLS } from './kdd-columns';
import type { FormatName } from '../types';

export interface Layout {
  format: FormatName;
  /** Column names (from the header row, the zeek #fields line, or assigned for known headerless layouts). */
  names: string[];
  hasHeader: boolean;
  /** urls / domains: the column holding the text; -1 = the whole line is the text. */
  textColumn: number;
  /** urls / domains: default label column (-1 = none). */
  labelColumn: number;
  /** zeek */
  separator?: string;
  types?: string[];
  /** A few parsed data rows, to guess which CSV columns are categorical. */
  sample: string[][];
}

const URL_HEADERS = new Set(['url', 'urls', 'uri']);
const DOMAIN_HEADERS = new Set(['domain', 'domains', 'hostname', 'host', 'qname', 'query']);
export const LABEL_HEADERS = ['label', 'class', 'type', 'family', 'attack', 'attack_cat', 'category', 'target_label'];

export function isUrlLike(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^www\./i.test(s) || (/^[^\s/]+\.[^\s/]+\//.test(s));
}

export function isDomainLike(s: string): boolean {
  // Non-ASCII letters count as label characters: IDN lists are converted to punycode by the parser.
  return s.length > 0 && s.length <= 253 && /^[a-z0-9_\u0080-\uffff](?:[a-z0-9_\u0080-\uffff-]*[a-z0-9_\u0080-\uffff])?(?:\.[a-z0-9_\u0080-\uffff](?:[a-z0-9_\u0080-\uffff-]*[a-z0-9_\u0080-\uffff])?)*\.?$/i.test(s);
}

function nonTextRatio(b: Buffer): number {
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) bad++;
  }
  return b.length ? bad / b.length : 0;
}

/** Throws when the head looks binary; a stray NUL on one line is left to the line reader. */
export function assertText(file: string, head: Buffer): void {
  const r = nonTextRatio(head);
  if (r > 0.02) throw new DataError(file, undefined, `binary file: ${(r * 100).toFixed(1)}% control/NUL bytes in the first ${head.length} bytes`);
  let hi = 0;
  for (let i = 0; i < head.length; i++) if (head[i] >= 0x80) hi++;
  if (head.length && hi / head.length > 0.3 && !head.toString('utf8').includes('\n')) {
    throw new DataError(file, undefined, `binary file: ${Math.round((hi / head.length) * 100)}% high bytes and no line breaks`);
  }
}

export function headLines(head: Buffer, complete: boolean, max = 40): string[] {
  const lines = head.toString('utf8').replace(/^\uFEFF/, '').split('\n');
  if (!complete) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '').slice(0, max);
}

function zeekUnescape(s: string): string {
  return s.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function sniffZeek(lines: string[]): Layout | undefined {
  if (!lines.length || !lines[0].startsWith('#')) return undefined;
  let separator = '\t';
  let names: string[] | undefined;
  let types: string[] | undefined;
  for (const l of lines) {
    if (!l.startsWith('#')) break;
    if (l.startsWith('#separator')) separator = zeekUnescape(l.slice('#separator'.length).trim()) || '\t';
    else if (l.startsWith('#fields')) names = l.split(separator).slice(1);
    else if (l.startsWith('#types')) types = l.split(separator).slice(1);
  }
  if (!names) return undefined;
  const sample = lines.filter((l) => !l.startsWith('#')).slice(0, 20).map((l) => l.split(separator));
  return { format: 'zeek', names, hasHeader: true, textColumn: -1, labelColumn: -1, separator, types, sample };
}

function fieldsOf(line: string): string[] {
  const f = splitCsv(line);
  return Array.isArray(f) ? f.map((x) => x.trim()) : [line];
}

/** Guesses the format from the first lines; `override` skips the guess but still reads header info. */
export function sniff(file: string, lines: string[], override?: FormatName): Layout {
  if (!lines.length) throw new DataError(file, undefined, 'file is empty');
  const zeek = sniffZeek(lines);
  if (zeek && (!override || override === 'zeek')) return zeek;
  // Behaviour strings are an explicit choice: the same conn.log imports per flow by default.
  if (zeek && override === 'zeek-behaviour') return { ...zeek, format: 'zeek-behaviour' };
  if (override === 'zeek' || override === 'zeek-behaviour') throw new DataError(file, 1, 'not a zeek log: no #fields header line in the first lines');

  const first = lines[0];
  const data = lines.slice(0, 20);
  // Most lines, not all: a bad line near the top must be reported as a bad line, not break detection.
  const mostly = (pred: (l: string) => boolean) => pred(data[0]) || data.filter(pred).length >= 0.8 * data.length;
  const kddLike = (n: number) =>
    mostly((l) => {
      const f = l.split(',');
      return f.length === n && KDD_PROTOCOLS.has(f[1]);
    }) && data.filter((l) => KDD_PROTOCOLS.has(l.split(',')[1])).length >= 0.8 * data.length;
  if (override === 'kdd99' || (!override && kddLike(42))) return tabular('kdd99', [], false, data);
  if (override === 'nsl-kdd' || (!override && kddLike(43) && mostly((l) => /^\d+$/.test(l.slice(l.lastIndexOf(',') + 1))))) {
    return tabular('nsl-kdd', [], false, data);
  }

  const head = fieldsOf(first).map((h) => h.toLowerCase());
  const headerIsNames = head.every((h) => h !== '' && !isNumberToken(h) && !isUrlLike(h) && !(h.includes('.') && isDomainLike(h)));
  const labelIdx = headerIsNames ? head.findIndex((h) => LABEL_HEADERS.includes(h)) : -1;
  const rest = lines.slice(1, 21);
  const restFields = rest.map(fieldsOf);

  const urlCol = head.findIndex((h) => URL_HEADERS.has(h));
  const domCol = head.findIndex((h) => DOMAIN_HEADERS.has(h));
  if (headerIsNames && urlCol >= 0 && override !== 'domains' && override !== 'csv') {
    return { format: 'urls', names: head, hasHeader: true, textColumn: head.length === 1 ? -1 : urlCol, labelColumn: labelIdx, sample: restFields };
  }
  if (headerIsNames && domCol >= 0 && override !== 'urls' && override !== 'csv') {
    return { format: 'domains', names: head, hasHeader: true, textColumn: head.length === 1 ? -1 : domCol, labelColumn: labelIdx, sample: restFields };
  }

  // Headerless lists: judge the whole line first (URLs may hold unquoted commas).
  const trimmed = data.map((l) => l.trim());
  const frac = (pred: (s: string) => boolean, arr: string[]) => arr.filter(pred).length / arr.length;
  const body = trimmed.length > 1 ? trimmed.slice(1) : trimmed;
  const firstIsHeader = trimmed.length > 1 && !isUrlLike(trimmed[0]) && !isDomainLike(trimmed[0]);
  const listLines = firstIsHeader ? body : trimmed;
  if (override === 'urls' || (!override && frac(isUrlLike, listLines) >= 0.5 && frac((s) => !s.includes(',') || s.startsWith('"'), listLines) >= 0.5)) {
    const two = listLines.map(fieldsOf);
    if (two.every((f) => f.length === 2 && isUrlLike(f[0]) && !isUrlLike(f[1]))) {
      return { format: 'urls', names: ['url', 'label'], hasHeader: firstIsHeader, textColumn: 0, labelColumn: 1, sample: two };
    }
    return { format: 'urls', names: ['url'], hasHeader: firstIsHeader, textColumn: -1, labelColumn: -1, sample: [] };
  }
  const allFields = data.map(fieldsOf);
  const nf = allFields[0].length;
  if (override === 'domains' || !override) {
    // Told it is a domain list: bad lines are the parser's to report, not a reason to refuse the file.
    if (nf === 1 && (override === 'domains' || frac(isDomainLike, listLines) >= 0.9)) {
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
    if (override === 'domains') throw new DataError(file, 1, `not a domain list: ${describe(first)}`);
  }
  if ((override === 'csv' || !override) && headerIsNames && head.length >= 2 && restFields.length && restFields.filter((f) => f.length === head.length).length >= 0.8 * restFields.length) {
    return tabular('csv', head.map((_, i) => fieldsOf(first)[i]), true, rest, restFields);
  }
  if (override === 'csv') throw new DataError(file, 1, `not a CSV with a header row: ${describe(first)}`);
  const counts = [...new Set(allFields.map((f) => f.length))].join('/');
  throw new DataError(
    file,
    undefined,
    `could not detect format of ${file}: ${describe(first)}; the first ${data.length} lines have ${counts} fields; ` +
      'expected KDD (42/43 fields, tcp/udp/icmp in field 2), NSL-KDD, a zeek log (#fields), a CSV with a header row, or a URL/domain list',
  );
}

function describe(line: string): string {
  return `first line has ${line.split(',').length} comma-separated fields ("${preview(line, 80)}")`;
}

function tabular(format: FormatName, names: string[], hasHeader: boolean, lines: string[], fields?: string[][]): Layout {
  return { format, names, hasHeader, textColumn: -1, labelColumn: -1, sample: fields ?? lines.map((l) => l.split(',')) };
}
