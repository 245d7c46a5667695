import { preview } from '../errors';
import type { FormatName } from '../types';
import { isNumberToken, splitCsv } from './csv-fields';

/** What detection learnt about a file from its first lines; a reader opens the file with it. */
export interface Layout {
  format: FormatName;
  /** Column names (from the header row, the zeek #fields line, or assigned for known headerless layouts). */
  names: string[];
  hasHeader: boolean;
  /** The physical line of the header row when it is not line 1 (blank or comment lines above it). */
  headerLine?: number;
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

/** Line n is the header row. */
export function isHeaderLine(layout: Layout, n: number): boolean {
  return layout.hasHeader && n === (layout.headerLine ?? 1);
}

export const LABEL_HEADERS = ['label', 'class', 'type', 'family', 'attack', 'attack_cat', 'category', 'target_label'];

export function isUrlLike(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^www\./i.test(s) || (/^[^\s/]+\.[^\s/]+\//.test(s));
}

export function isDomainLike(s: string): boolean {
  // Non-ASCII letters count as label characters: IDN lists are converted to punycode by the parser.
  return s.length > 0 && s.length <= 253 && /^[a-z0-9_\u0080-\uffff](?:[a-z0-9_\u0080-\uffff-]*[a-z0-9_\u0080-\uffff])?(?:\.[a-z0-9_\u0080-\uffff](?:[a-z0-9_\u0080-\uffff-]*[a-z0-9_\u0080-\uffff])?)*\.?$/i.test(s);
}

/** A URL, or a host name with a dot and maybe a path ("evil.example/login.php"): what a scan scores. */
export function isUrlOrHost(s: string): boolean {
  const host = s.replace(/\/.*$/, '');
  return isUrlLike(s) || (host.includes('.') && isDomainLike(host));
}

/** The label cell of a headerless `url,label` feed: one short word or number (bad, malicious, 0/1), never a host or path. */
export function isLabelToken(s: string): boolean {
  return /^[A-Za-z0-9_-]{1,32}$/.test(s);
}

/** The two trimmed cells of a `url,label` line (as public feeds ship them, no header), else undefined. */
export function urlLabelPair(line: string): [string, string] | undefined {
  const f = splitCsv(line);
  if (!Array.isArray(f) || f.length !== 2) return undefined;
  const url = f[0].trim();
  const label = f[1].trim();
  return isUrlOrHost(url) && isLabelToken(label) ? [url, label] : undefined;
}

/** Label cells public url,label feeds use; any other label must come from a small vocabulary the sample repeats. */
export const LABEL_WORDS = new Set([
  '0', '1', '-1', 'true', 'false', 'yes', 'no', 'bad', 'good', 'malicious', 'benign', 'phishing', 'phish', 'legitimate', 'legit',
  'clean', 'safe', 'unsafe', 'spam', 'malware', 'defacement', 'suspicious', 'normal', 'attack', 'dga', 'unknown',
]);

/**
 * A headerless `url,label` feed, judged from the first readable lines (at most 20): at least 90 % are
 * url,label pairs, one URL has a path (bare "host,word" lines are domain,family lists), and the labels are
 * label words or a small vocabulary the sample repeats. One line alone cannot cut every line at a comma: a
 * URL list whose first URL holds ",b" stays a URL list. Import detection and scan both decide by this.
 */
export function isUrlLabelFeed(lines: string[]): boolean {
  const sample = lines.slice(0, 20);
  if (!sample.length) return false;
  const pairs = sample.map((l) => urlLabelPair(l.trim()));
  const ok = pairs.filter((p): p is [string, string] => p !== undefined);
  if (ok.length < 0.9 * sample.length || !ok.some((p) => p[0].includes('/'))) return false;
  const labels = ok.map((p) => p[1]);
  if (labels.every((l) => LABEL_WORDS.has(l.toLowerCase()))) return true;
  const distinct = new Set(labels).size;
  return distinct <= 10 && distinct * 2 <= labels.length;
}

/** A head line as trimmed CSV fields (the whole line when it does not split). */
export function fieldsOf(line: string): string[] {
  const f = splitCsv(line);
  return Array.isArray(f) ? f.map((x) => x.trim()) : [line];
}

/** A first line of column names: no empty, numeric, URL- or dotted-domain-like field. `head` is lower-cased. */
export function isHeaderOfNames(head: string[]): boolean {
  return head.every((h) => h !== '' && !isNumberToken(h) && !isUrlLike(h) && !(h.includes('.') && isDomainLike(h)));
}

/** For detection errors: how the first line looks. */
export function describeLine(line: string): string {
  return `first line has ${line.split(',').length} comma-separated fields ("${preview(line, 80)}")`;
}

export function tabularLayout(format: FormatName, names: string[], hasHeader: boolean, lines: string[], fields?: string[][]): Layout {
  return { format, names, hasHeader, textColumn: -1, labelColumn: -1, sample: fields ?? lines.map((l) => l.split(',')) };
}
