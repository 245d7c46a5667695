import path from 'node:path';
import { DataError, NoDataError, preview } from '../errors';
import { openSource, readHeadAfter, readHeadOf, type SourceInfo } from '../files/line-source';
import type { DataRecord, FormatName, ImportOptions, RunContext } from '../types';
import { detectLayout } from './detect-format';
import { assertText, leadingComments, noLinesReason, scanHead, type HeadScan } from './head-lines';
import { fieldsOf, isHeaderOfNames } from './layout';
import { MalformedLog, type LeadLines } from './malformed-lines';
import type { DatasetReader } from './reader';

/** Opens a file with the reader of its format (detected, or options.format); nothing is parsed yet. */
export async function openDataset(filePath: string, options: ImportOptions = {}, ctx: RunContext = {}): Promise<DatasetReader> {
  const source = await openSource(filePath);
  const errors = options.errors ?? 'lenient';
  const sourceName = options.sourceName ?? path.basename(filePath);
  const first = await readHeadOf(source);
  let head = first.head;
  let scan = scanHead(head, first.complete);
  const maxEx = options.maxMalformedExamples ?? 20;
  const warnings: string[] = [];
  let tooLong: LeadLines['tooLong'];
  // No rows is an error in either mode: an empty dataset stored as a success would be a lie.
  const none = noRowsReason(head, scan, first.complete);
  if (none) {
    // Lenient: an over-long first line is one bad line; the format is detected from the lines after it.
    const past = errors === 'lenient' && scan.open && leadingComments(scan.lines) === scan.lines.length ? await pastLongLine(source, scan.open) : undefined;
    if (!past) {
      const longLine = scan.open && leadingComments(scan.lines) === scan.lines.length;
      throw longLine ? new DataError(source.file, undefined, none) : new NoDataError(source.file, undefined, none);
    }
    ({ head, scan } = past);
    tooLong = { line: past.line, reason: `line longer than ${past.bytes} bytes (the read-ahead that detects the format)` };
  }
  assertText(source.file, head, scan);
  // `#` comment lines above the header or the data are left out of detection and of the pass.
  const comments = leadingComments(scan.lines);
  const lines = scan.lines.slice(comments);
  const until = scan.numbers[comments];
  const { reader, layout } = detectLayout(source.file, lines, options.format);
  if (layout.hasHeader && until > 1 && layout.format !== 'zeek' && layout.format !== 'zeek-behaviour') layout.headerLine = until;
  const headText = head.toString('latin1');
  const nl = headText.split('\n').length - 1;
  const meanLine = nl > 0 ? headText.lastIndexOf('\n') / nl : Math.max(1, head.length);
  return reader.open({
    source, sourceName, layout, options, ctx, errors, warnings,
    estimatedRows: Math.ceil(source.contentBytes / Math.max(1, meanLine)),
    lead: until > 1 ? { until, tooLong } : undefined,
    newLog: (mode) => new MalformedLog(source.file, mode, maxEx),
  });
}

/** The head after an over-long line, when readable lines follow it; undefined keeps the "longer than" error. */
async function pastLongLine(source: SourceInfo, open: { line: number; bytes: number }) {
  const after = await readHeadAfter(source, open.line);
  if (!after) return undefined;
  const scan = scanHead(after.head, after.complete, 40, open.line);
  if (noRowsReason(after.head, scan, after.complete)) return undefined;
  return { ...after, scan, line: open.line, bytes: open.bytes };
}

/** Why the head gives no line to detect a format from (see noLinesReason), or undefined. */
function noRowsReason(head: Buffer, scan: HeadScan, complete: boolean): string | undefined {
  return noLinesReason(head, scan, complete) ?? headerOnly(scan, complete) ?? onlyComments(head, scan, complete);
}

/** Only `#` comment lines before the end of the head (or before a line longer than it). */
function onlyComments(head: Buffer, scan: HeadScan, complete: boolean): string | undefined {
  const n = scan.lines.length;
  if (n === 0 || leadingComments(scan.lines) < n) return undefined;
  if (scan.open) return `line ${scan.open.line} is longer than ${scan.open.bytes} bytes, the read-ahead that detects the format`;
  return complete ? `no data rows: only ${n} comment line${n === 1 ? '' : 's'}` : `no data rows in the first ${head.length} bytes: only comment lines`;
}

/** A whole file of one line that names columns: a header with no data under it. */
function headerOnly(scan: HeadScan, complete: boolean): string | undefined {
  if (!complete || scan.lines.length !== 1 || scan.unreadable > 0) return undefined;
  const line = scan.lines[0];
  return isHeaderOfNames(fieldsOf(line).map((h) => h.toLowerCase())) && fieldsOf(line).length > 1 ? `no data rows: only a header line ("${preview(line, 80)}")` : undefined;
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
