import { DataError } from '../data/errors';
import { openSource, readHead, readLines, type ReadState } from '../data/files/line-source';
import { ZeekTextReader, type TextTarget } from '../data/readers/zeek-text';
import { hostOf } from './host';
import { UrlLineParser, type FileProgress, type ScanLine } from './url-lines';

/** How a scan reads one file: a URL / domain list or proxy CSV, a squid access.log, or a Zeek log. */
export type ScanInputKind = 'list' | 'squid' | 'zeek-dns' | 'zeek-http';

/** Squid's native access.log: time elapsed client code/status bytes method URL … (URL is the 7th field). */
const SQUID = /^\d{9,}\.\d+\s+\d+\s+\S+\s+[A-Z_]+\/\d{3}\s+\d+\s+[A-Z]+\s+\S+/;

interface LineParser {
  parse(line: number, text: string): ScanLine;
}

/** Lists and proxy lines, with a domain model reading each URL's host. */
class ListLineParser implements LineParser {
  private readonly urls = new UrlLineParser();
  constructor(private readonly target: TextTarget, private readonly squid: boolean) {}

  parse(line: number, text: string): ScanLine {
    let t = text;
    if (this.squid) {
      if (!SQUID.test(t)) return t.trim() === '' ? { kind: 'skip', line, reason: 'empty' } : { kind: 'skip', line, reason: 'notUrl' };
      t = t.trim().split(/\s+/)[6];
    }
    const r = this.urls.parse(line, t);
    if (r.kind !== 'url' || this.target === 'url') return r;
    const host = hostOf(r.url);
    return host ? { kind: 'url', line, url: host } : { kind: 'skip', line, reason: 'notUrl' };
  }
}

class ZeekParser implements LineParser {
  private readonly zeek: ZeekTextReader;
  constructor(private readonly file: string, target: TextTarget) {
    this.zeek = new ZeekTextReader(target);
  }
  parse(line: number, text: string): ScanLine {
    const r = this.zeek.parse(line, text);
    if (r.kind === 'unsupported') throw new DataError(this.file, line, r.reason);
    return r.kind === 'text' ? { kind: 'url', line, url: r.text } : r;
  }
}

/** Reads the first lines to tell how a file is scanned; refuses a Zeek log no text model reads (conn.log, …). */
export async function detectScanInput(filePath: string): Promise<ScanInputKind> {
  const src = await openSource(filePath);
  const head: string[] = (await readHead(src, 16 * 1024)).toString('utf8').split(/\r?\n/);
  if (head[0]?.startsWith('#separator') || head[0]?.startsWith('#fields')) {
    const probe = new ZeekTextReader('url');
    let n = 0;
    for (const l of head) {
      const r = probe.parse(++n, l);
      if (r.kind === 'unsupported') throw new DataError(src.file, n, r.reason);
      if (r.kind !== 'header') break;
    }
    return probe.logKind === 'dns' ? 'zeek-dns' : 'zeek-http';
  }
  const first = head.find((l) => l.trim() !== '');
  return first && SQUID.test(first) ? 'squid' : 'list';
}

/**
 * Streams one file (plain or gzip) as classified lines, in chunk-sized arrays, starting after `afterLine`
 * so a resumed scan skips what it already stored. Every line is parsed, even before `afterLine`, because
 * headers (a CSV's URL column, a Zeek log's #fields) decide how later lines read.
 */
export async function* scanItems(
  filePath: string,
  kind: ScanInputKind,
  target: TextTarget,
  afterLine: number,
  signal: AbortSignal,
  onProgress: (p: FileProgress) => void,
): AsyncGenerator<ScanLine[]> {
  const src = await openSource(filePath);
  const state: ReadState = { bytesRead: 0, lines: 0 };
  const parser: LineParser = kind === 'zeek-dns' || kind === 'zeek-http' ? new ZeekParser(src.file, target) : new ListLineParser(target, kind === 'squid');
  for await (const items of readLines(src, state, { signal })) {
    const out: ScanLine[] = [];
    for (const it of items) {
      const parsed: ScanLine = it.error ? { kind: 'skip', line: it.n, reason: it.error.includes('longer') ? 'tooLong' : 'binary' } : parser.parse(it.n, it.text);
      if (it.n > afterLine) out.push(parsed);
    }
    onProgress({ bytesRead: state.bytesRead, totalBytes: src.totalBytes });
    if (out.length) yield out;
  }
}
