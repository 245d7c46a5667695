import path from 'node:path';
import { openBehaviour } from './behaviour';
import { DataError, preview } from '../errors';
import { createParser, type RowParser } from './line-parsers';
import { assertText, headLines, sniff, type Layout } from './detect-format';
import { KddScanner, type ScanOptions } from './kdd-byte-scanner';
import { MAX_LINE_BYTES, openSource, readBlocks, readHead, readLines, type RawSink, type ReadState, type SourceInfo } from '../files/line-source';
import type { DataRecord, DatasetSchema, ErrorMode, FormatName, ImportOptions, Progress, RunContext } from '../types';

export interface MalformedLine {
  line: number;
  reason: string;
  text: string;
}

/** Bad lines: counted, the first few kept as examples; in strict mode the first one throws. */
export class MalformedLog {
  count = 0;
  readonly examples: MalformedLine[] = [];
  constructor(
    private readonly file: string,
    private readonly mode: ErrorMode,
    private readonly max: number,
  ) {}
  add(line: number, reason: string, text: string): void {
    if (this.mode === 'strict') throw new DataError(this.file, line, reason);
    this.count++;
    if (this.examples.length < this.max) this.examples.push({ line, reason, text: preview(text) });
  }
}

/** One class for every record keeps call sites monomorphic; the id string is built only when asked for. */
class Rec implements DataRecord {
  constructor(
    private readonly isCat: boolean[],
    readonly source: string,
    readonly line: number,
    readonly raw: string,
    readonly offset: number,
    readonly num: Float64Array | undefined,
    readonly cat: string[] | undefined,
    readonly text: string | undefined,
    readonly label: string | undefined,
    readonly meta: Record<string, string | number> | undefined,
    readonly key: string,
  ) {}
  get id(): string {
    return `${this.source}:${this.line}`;
  }
  get values(): Array<number | string> | undefined {
    return this.num && this.cat && mergeValues(this.isCat, this.num, this.cat);
  }

}

function mergeValues(isCat: boolean[], num: Float64Array, cat: string[]): Array<number | string> {
  let a = 0;
  let b = 0;
  return isCat.map((c) => (c ? cat[b++] : num[a++]));
}

export interface DatasetReader {
  source: SourceInfo;
  sourceName: string;
  layout: Layout | undefined;
  schema: DatasetSchema;
  errors: ErrorMode;
  /** Malformed lines of the latest pass. */
  malformed: MalformedLog;
  warnings: string[];
  state: ReadState;
  /** Row-count estimate from the head's mean line length, to size buffers. */
  estimatedRows: number;
  /** One pass over the file; can be called again for a second pass. */
  /** report: false = a repeat pass whose bad lines were already reported (the malformed log is kept). */
  batches(opts?: BatchOptions): AsyncGenerator<DataRecord[]>;
  /**
   * The same pass as batches(), for KDD'99 / NSL-KDD only: rows parsed from bytes into column-packed
   * chunks (scanner.batch, codes into scanner.cats / scanner.labels) instead of record objects.
   */
  coded?(opts: BatchOptions & ScanOptions): AsyncGenerator<KddScanner>;
}

export interface BatchOptions {
  phase?: Progress['phase'];
  copyTo?: RawSink;
  report?: boolean;
}

/** Sniffs the format (or takes options.format), reads header info and prepares a parser. */
export async function openDataset(filePath: string, options: ImportOptions = {}, ctx: RunContext = {}): Promise<DatasetReader> {
  const source = await openSource(filePath);
  const errors = options.errors ?? 'lenient';
  const sourceName = options.sourceName ?? path.basename(filePath);
  const head = source.totalBytes ? await readHead(source) : Buffer.alloc(0);
  const lines = headLines(head, head.length >= source.contentBytes && !source.gzip);
  const maxEx = options.maxMalformedExamples ?? 20;
  const warnings: string[] = [];
  if (lines.length === 0) {
    if (errors === 'strict') throw new DataError(source.file, undefined, 'file is empty');
    warnings.push(`${source.file}: file is empty`);
    const schema: DatasetSchema = { format: options.format ?? 'csv', kind: 'tabular', columns: [], taxonomy: 'generic', metaColumns: [] };
    return {
      source, sourceName, layout: undefined, schema, errors, warnings,
      malformed: new MalformedLog(source.file, errors, maxEx),
      state: { bytesRead: 0, lines: 0 },
      estimatedRows: 0,
      async *batches() {},
    };
  }
  assertText(source.file, head);
  const layout = sniff(source.file, lines, options.format);
  if (layout.format === 'zeek-behaviour') {
    const estimate = Math.ceil(source.contentBytes / 100);
    return openBehaviour(source, sourceName, layout, options, ctx, errors, warnings, (m) => new MalformedLog(source.file, m, maxEx), estimate);
  }
  const parser = createParser(source.file, layout, options);
  const headText = head.toString('latin1');
  const nl = headText.split('\n').length - 1;
  const meanLine = nl > 0 ? headText.lastIndexOf('\n') / nl : Math.max(1, head.length);
  const reader: DatasetReader = {
    source, sourceName, layout, schema: parser.schema, errors, warnings,
    estimatedRows: Math.ceil(source.contentBytes / Math.max(1, meanLine)),
    malformed: new MalformedLog(source.file, errors, maxEx),
    state: { bytesRead: 0, lines: 0 },
    batches: (o = {}) => batches(reader, parser, options, ctx, o.phase ?? 'read', o.copyTo, o.report ?? true),
  };
  if (layout.format === 'kdd99' || layout.format === 'nsl-kdd') reader.coded = (o) => codedBatches(reader, parser, options, ctx, o);
  return reader;
}

async function* batches(
  r: DatasetReader,
  parser: RowParser,
  options: ImportOptions,
  ctx: RunContext,
  phase: Progress['phase'],
  copyTo: RawSink | undefined,
  report: boolean,
): AsyncGenerator<DataRecord[]> {
  const log = new MalformedLog(r.source.file, report ? r.errors : 'lenient', options.maxMalformedExamples ?? 20);
  if (report) r.malformed = log;
  r.state = { bytesRead: 0, lines: 0 };
  const { sourceName } = r;
  const fixed = parser.schema.labelSource === 'fixed' ? options.fixedLabel : undefined;
  let rows = 0;
  let pending: { n: number; off: number; text: string } | undefined;
  const tabular = parser.schema.kind === 'tabular';
  const isCat = parser.schema.columns.map((c) => c.type === 'categorical');
  const nNum = parser.schema.columns.filter((c) => c.type === 'numeric').length;
  let numBuf = new Float64Array(0);
  let numAt = 0;
  const emit = (out: DataRecord[], n: number, off: number, text: string) => {
    if (numAt + nNum > numBuf.length) {
      // One buffer per ~1 MiB batch; records hold views into it (no per-row typed-array allocation).
      numBuf = new Float64Array(Math.max(4096, nNum * 8192));
      numAt = 0;
    }
    const p = parser.parse(text, numBuf, numAt);
    if (typeof p === 'string') return log.add(n, p, text);
    const num = tabular ? numBuf.subarray(numAt, numAt + nNum) : undefined;
    numAt += nNum;
    out.push(new Rec(isCat, sourceName, n, text, off, num, p.cat, p.text, fixed ?? p.label, p.meta, p.key));
  };
  for await (const items of readLines(r.source, r.state, { signal: ctx.signal, copyTo })) {
    const out: DataRecord[] = [];
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (it.error !== undefined) {
        if (pending) {
          log.add(pending.n, 'quoted field runs into an unreadable line', pending.text);
          pending = undefined;
        }
        log.add(it.n, it.error, it.text);
        continue;
      }
      if (pending) {
        pending.text += '\n' + it.text;
        if (pending.text.length > MAX_LINE_BYTES) {
          log.add(pending.n, 'quoted record longer than 1 MiB', pending.text);
          pending = undefined;
        } else if (!parser.incomplete!(pending.text)) {
          emit(out, pending.n, pending.off, pending.text);
          pending = undefined;
        }
        continue;
      }
      if (parser.skip(it.text, it.n)) continue;
      if (parser.incomplete && parser.incomplete(it.text)) {
        pending = { n: it.n, off: it.off, text: it.text };
        continue;
      }
      emit(out, it.n, it.off, it.text);
    }
    rows += out.length;
    ctx.onProgress?.({ phase, bytesRead: r.state.bytesRead, totalBytes: r.source.totalBytes, lines: r.state.lines, rows });
    if (out.length) yield out;
  }
  if (pending) log.add(pending.n, 'unterminated quoted field at end of file', pending.text);
  checkChanged(r);
}

async function* codedBatches(r: DatasetReader, parser: RowParser, options: ImportOptions, ctx: RunContext, o: BatchOptions & ScanOptions): AsyncGenerator<KddScanner> {
  const report = o.report ?? true;
  const log = new MalformedLog(r.source.file, report ? r.errors : 'lenient', options.maxMalformedExamples ?? 20);
  if (report) r.malformed = log;
  r.state = { bytesRead: 0, lines: 0 };
  const phase = o.phase ?? 'read';
  const scan = new KddScanner(parser, log, o);
  let rows = 0;
  for await (const _ of readBlocks(r.source, r.state, { signal: ctx.signal, copyTo: o.copyTo }, scan)) {
    rows += scan.batch.n;
    ctx.onProgress?.({ phase, bytesRead: r.state.bytesRead, totalBytes: r.source.totalBytes, lines: r.state.lines, rows });
    if (scan.batch.n) yield scan;
    scan.batch.reset();
  }
  checkChanged(r);
}

function checkChanged(r: DatasetReader): void {
  if (r.state.changed) {
    if (r.errors === 'strict') throw new DataError(r.source.file, undefined, r.state.changed);
    if (!r.warnings.some((w) => w.endsWith(r.state.changed!))) r.warnings.push(`${r.source.file}: ${r.state.changed}`);
  }
}

/** Record-by-record reading with bad-line policy applied; malformed lines are skipped (lenient) or thrown (strict). */
export async function* readRecords(filePath: string, options: ImportOptions = {}, ctx: RunContext = {}): AsyncGenerator<DataRecord> {
  const r = await openDataset(filePath, options, ctx);
  for await (const b of r.batches()) yield* b;
}

export async function detectFormat(filePath: string): Promise<{ format: FormatName; gzip: boolean; columns: string[] }> {
  const r = await openDataset(filePath, { errors: 'strict' });
  return { format: r.schema.format, gzip: r.source.gzip, columns: r.layout?.names ?? [] };
}
