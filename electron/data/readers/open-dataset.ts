import path from 'node:path';
import { DataError, preview } from '../errors';
import { openSource, readHeadOf } from '../files/line-source';
import type { DataRecord, FormatName, ImportOptions, RunContext } from '../types';
import { detectLayout } from './detect-format';
import { assertText, noLinesReason, scanHead, type HeadScan } from './head-lines';
import { fieldsOf, isHeaderOfNames } from './layout';
import { MalformedLog } from './malformed-lines';
import type { DatasetReader } from './reader';

/** Opens a file with the reader of its format (detected, or options.format); nothing is parsed yet. */
export async function openDataset(filePath: string, options: ImportOptions = {}, ctx: RunContext = {}): Promise<DatasetReader> {
  const source = await openSource(filePath);
  const errors = options.errors ?? 'lenient';
  const sourceName = options.sourceName ?? path.basename(filePath);
  const { head, complete } = await readHeadOf(source);
  const scan = scanHead(head, complete);
  const maxEx = options.maxMalformedExamples ?? 20;
  const warnings: string[] = [];
  // No rows is an error in either mode: an empty dataset stored as a success would be a lie.
  const none = noLinesReason(head, scan, complete) ?? headerOnly(scan, complete);
  if (none) throw new DataError(source.file, undefined, none);
  assertText(source.file, head, scan);
  const lines = scan.lines;
  const { reader, layout } = detectLayout(source.file, lines, options.format);
  const headText = head.toString('latin1');
  const nl = headText.split('\n').length - 1;
  const meanLine = nl > 0 ? headText.lastIndexOf('\n') / nl : Math.max(1, head.length);
  return reader.open({
    source, sourceName, layout, options, ctx, errors, warnings,
    estimatedRows: Math.ceil(source.contentBytes / Math.max(1, meanLine)),
    newLog: (mode) => new MalformedLog(source.file, mode, maxEx),
  });
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
