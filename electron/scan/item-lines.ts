import { DataError } from '../data/errors';
import { openSource, readHead, readLines, type ReadState } from '../data/files/line-source';
import { ZeekTextReader, type TextTarget } from '../data/readers/zeek-text';
import { hostOf } from './host';
import { connItems } from './conn-items';
import { readZeekHeader } from '../data/readers/zeek-header';
import { recordItems, type RecordsSpec } from './record-items';
import type { BehaviourThresholds } from '../data/types';
import { UrlLineParser, listSample, type FileProgress, type ScanLine } from './url-lines';

/**
 * How a scan reads one file: a URL / domain list or proxy CSV, a squid access.log, a Zeek dns / http log
 * (text models), a Zeek conn.log (behaviour strings per 4-tuple), or records of a records model's format.
 */
export type ScanInputKind = 'list' | 'squid' | 'zeek-dns' | 'zeek-http' | 'zeek-conn' | 'records';

/** What a file of each kind is scanned with. */
export type ScanTarget = TextTarget | 'behaviour' | 'records';

/** Which model targets read a kind of input, and in words, for refusals and the model picker. */
export function inputFits(kind: ScanInputKind, target: ScanTarget): boolean {
  if (kind === 'zeek-conn') return target === 'behaviour';
  if (kind === 'records') return target === 'records';
  return target === 'url' || target === 'domain';
}

export const INPUT_NAMES: Record<ScanInputKind, string> = {
  list: 'a URL / domain list',
  squid: 'a squid access.log',
  'zeek-dns': 'a Zeek dns.log',
  'zeek-http': 'a Zeek http.log',
  'zeek-conn': 'a Zeek conn.log',
  records: 'a records file',
};

/** A conn.log: Zeek's #path says so, or its fields are a connection's (the 4-tuple and a start time). */
function isConnLog(head: string[]): boolean {
  const layout = readZeekHeader(head);
  if (!layout) return false;
  const path = head.find((l) => l.startsWith('#path'))?.split(layout.separator ?? '\t')[1]?.trim();
  if (path) return path === 'conn';
  return ['ts', 'id.orig_h', 'id.resp_h', 'id.resp_p', 'proto'].every((f) => layout.names.includes(f));
}

/** Squid's native access.log: time elapsed client code/status bytes method URL … (URL is the 7th field). */
const SQUID = /^\d{9,}\.\d+\s+\d+\s+\S+\s+[A-Z_]+\/\d{3}\s+\d+\s+[A-Z]+\s+\S+/;

export interface ScanItemOptions {
  /** Flows kept per conn 4-tuple (the behaviour model's maximum length). */
  maxFlows: number;
  thresholds?: Partial<BehaviourThresholds>;
  records?: RecordsSpec;
}

interface LineParser {
  parse(line: number, text: string): ScanLine;
}

/** Lists and proxy lines, with a domain model reading each URL's host. */
class ListLineParser implements LineParser {
  private readonly urls: UrlLineParser;
  constructor(private readonly target: TextTarget, private readonly squid: boolean, sample?: string[]) {
    this.urls = new UrlLineParser(squid ? [] : sample);
  }

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

/**
 * Reads the first lines to tell how a file is scanned; refuses a Zeek log no model here reads (files.log, …).
 * textOnly: as a URL / domain model reads it, so a conn.log is refused at its first data line too.
 */
export async function detectScanInput(filePath: string, textOnly = false): Promise<ScanInputKind> {
  const src = await openSource(filePath);
  const head: string[] = (await readHead(src, 16 * 1024)).toString('utf8').split(/\r?\n/);
  if (head[0]?.startsWith('#separator') || head[0]?.startsWith('#fields')) {
    if (!textOnly && isConnLog(head)) return 'zeek-conn';
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
  opts: ScanItemOptions = { maxFlows: 100 },
): AsyncGenerator<ScanLine[]> {
  if (kind === 'zeek-conn') {
    yield* connItems(filePath, afterLine, signal, onProgress, opts);
    return;
  }
  if (kind === 'records') {
    if (!opts.records) throw new Error('a records scan needs the run\'s reading options and featurizer');
    yield* recordItems(filePath, afterLine, signal, onProgress, opts.records);
    return;
  }
  const src = await openSource(filePath);
  const state: ReadState = { bytesRead: 0, lines: 0 };
  const parser: LineParser = kind === 'zeek-dns' || kind === 'zeek-http' ? new ZeekParser(src.file, target) : new ListLineParser(target, kind === 'squid', kind === 'list' ? await listSample(src) : undefined);
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
