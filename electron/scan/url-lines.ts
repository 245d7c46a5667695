import { splitCsv } from '../data/readers/csv-fields';
import { openSource, readHeadOf, readLines, type ReadState, type SourceInfo } from '../data/files/line-source';
import { scanHead } from '../data/readers/head-lines';
import { isUrlLabelFeed, isUrlLike, isUrlOrHost } from '../data/readers/layout';

/** URLs longer than this are not scored: no model here was trained on them and they are usually junk. */
export const MAX_URL_CHARS = 4096;

export type SkipReason = 'empty' | 'notUrl' | 'tooLong' | 'binary';

/**
 * url: an item to score (a URL, a domain, a conn 4-tuple, a record), with what the model reads when that is
 * not the item itself (a behaviour string: text; a record: its encoded features), what to keep beside the score
 * (detail: the flows behind a behaviour string), and how many input lines it stands for (default 1).
 */
export type ScanLine =
  | { kind: 'url'; line: number; url: string; text?: string; features?: Float32Array; detail?: string; lines?: number }
  | { kind: 'skip'; line: number; reason: SkipReason; lines?: number }
  | { kind: 'header'; line: number };

const URL_COLUMNS = ['url', 'urls', 'uri', 'link', 'domain'];

/**
 * Classifies one text line of a scan input: a URL to score, a header, or a counted skip. The first non-blank,
 * non-comment line may be a header naming the URL column. `sample` (the file's first readable non-blank lines,
 * as head-lines.ts cuts them) decides whether a headerless file is a url,label feed; without one the first
 * line alone decides.
 */
export class UrlLineParser {
  private column: number | null = null;
  private first = true;

  constructor(private readonly sample?: string[]) {}

  parse(line: number, text: string): ScanLine {
    const t = text.trim();
    if (this.first && t !== '' && !t.startsWith('#')) {
      this.first = false;
      const cells = splitCsv(t);
      if (Array.isArray(cells) && cells.length > 1) {
        const idx = cells.findIndex((c) => URL_COLUMNS.includes(c.trim().toLowerCase()));
        if (idx >= 0) {
          this.column = idx;
          return { kind: 'header', line };
        }
      } else if (URL_COLUMNS.includes(t.toLowerCase())) {
        return { kind: 'header', line };
      }
      // A headerless url,label feed ("host/path,bad"): the URL is the first column on every line, never ",bad".
      if (isUrlLabelFeed(this.sample?.filter((l) => !l.trim().startsWith('#')) ?? [t])) this.column = 0;
    }
    if (t === '') return { kind: 'skip', line, reason: 'empty' };
    let url = t;
    if (this.column !== null) {
      const cells = splitCsv(t);
      if (!Array.isArray(cells) || cells.length <= this.column) return { kind: 'skip', line, reason: 'notUrl' };
      url = cells[this.column].trim();
    } else if (t.includes(',') && !isUrlLike(t)) {
      // "url,label" without a header: the URL is the first cell.
      url = t.slice(0, t.indexOf(',')).trim();
    }
    if (url.length > MAX_URL_CHARS) return { kind: 'skip', line, reason: 'tooLong' };
    // Junk is never scored: whitespace or control characters, or a lone word with no dot ("W", "g" from a binary file).
    // eslint-disable-next-line no-control-regex
    if (/[\s\x00-\x1f\x7f]/.test(url) || !isUrlOrHost(url)) return { kind: 'skip', line, reason: 'notUrl' };
    return { kind: 'url', line, url };
  }
}

/** A list's first readable non-blank lines, for UrlLineParser's url,label decision. */
export async function listSample(src: SourceInfo): Promise<string[]> {
  const { head, complete } = await readHeadOf(src);
  return scanHead(head, complete, 20).lines;
}

export interface FileProgress {
  bytesRead: number;
  totalBytes: number;
}

/**
 * Streams one file (plain or gzip) as classified lines, in chunk-sized arrays, starting after `afterLine`
 * so a resumed scan skips what it already stored. Lines that are not valid text are 'binary' skips.
 */
export async function* scanLines(path: string, afterLine: number, signal: AbortSignal, onProgress: (p: FileProgress) => void): AsyncGenerator<ScanLine[]> {
  const src = await openSource(path);
  const state: ReadState = { bytesRead: 0, lines: 0 };
  const parser = new UrlLineParser(await listSample(src));
  for await (const items of readLines(src, state, { signal })) {
    const out: ScanLine[] = [];
    for (const it of items) {
      // The header must be seen even when resuming past it, so the URL column is known.
      const parsed: ScanLine = it.error ? { kind: 'skip', line: it.n, reason: it.error.includes('longer') ? 'tooLong' : 'binary' } : parser.parse(it.n, it.text);
      if (it.n > afterLine) out.push(parsed);
    }
    onProgress({ bytesRead: state.bytesRead, totalBytes: src.totalBytes });
    if (out.length) yield out;
  }
}
