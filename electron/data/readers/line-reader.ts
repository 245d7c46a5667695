import { DataError } from '../errors';
import { MAX_LINE_BYTES, readLines, type RawSink } from '../files/line-source';
import type { DataRecord, Progress } from '../types';
import type { DatasetReader, OpenRequest } from './reader';
import type { RowParser } from './row-parser';
import { isHeaderLine } from './layout';
import { skipLead } from './malformed-lines';

/**
 * The record pass shared by every line-per-record format: physical lines from the source, quoted CSV
 * records joined across lines, header and comment lines skipped, each line parsed by the format's
 * RowParser, bad lines to the malformed log, records in ~1 MiB batches.
 */
export function openLineReader(req: OpenRequest, parser: RowParser): DatasetReader {
  const reader: DatasetReader = {
    source: req.source,
    sourceName: req.sourceName,
    layout: req.layout,
    schema: parser.schema,
    errors: req.errors,
    warnings: req.warnings,
    estimatedRows: req.estimatedRows,
    malformed: req.newLog(req.errors),
    state: { bytesRead: 0, lines: 0 },
    batches: (o = {}) => batches(reader, parser, req, o.phase ?? 'read', o.copyTo, o.report ?? true),
  };
  return reader;
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

async function* batches(
  r: DatasetReader,
  parser: RowParser,
  req: OpenRequest,
  phase: Progress['phase'],
  copyTo: RawSink | undefined,
  report: boolean,
): AsyncGenerator<DataRecord[]> {
  const { options, ctx } = req;
  const log = req.newLog(report ? r.errors : 'lenient');
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
      if (skipLead(log, req.lead, it.n, it.text)) continue;
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
      if (parser.skip(it.text, it.n)) {
        log.skip(it.text.trim() === '' ? 'blank' : isHeaderLine(req.layout, it.n) ? 'header' : 'comment');
        continue;
      }
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

/** A file that changed while it was read: an error in strict mode, else one warning. */
export function checkChanged(r: DatasetReader): void {
  if (r.state.changed) {
    if (r.errors === 'strict') throw new DataError(r.source.file, undefined, r.state.changed);
    if (!r.warnings.some((w) => w.endsWith(r.state.changed!))) r.warnings.push(`${r.source.file}: ${r.state.changed}`);
  }
}
