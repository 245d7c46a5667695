import path from 'node:path';
import { DataError } from '../errors';
import { openSource, readHead } from '../files/line-source';
import type { DataRecord, DatasetSchema, FormatName, ImportOptions, RunContext } from '../types';
import { detectLayout } from './detect-format';
import { assertText, headLines } from './head-lines';
import { MalformedLog } from './malformed-lines';
import type { DatasetReader } from './reader';

/** Opens a file with the reader of its format (detected, or options.format); nothing is parsed yet. */
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

/** Record-by-record reading with bad-line policy applied; malformed lines are skipped (lenient) or thrown (strict). */
export async function* readRecords(filePath: string, options: ImportOptions = {}, ctx: RunContext = {}): AsyncGenerator<DataRecord> {
  const r = await openDataset(filePath, options, ctx);
  for await (const b of r.batches()) yield* b;
}

export async function detectFormat(filePath: string): Promise<{ format: FormatName; gzip: boolean; columns: string[] }> {
  const r = await openDataset(filePath, { errors: 'strict' });
  return { format: r.schema.format, gzip: r.source.gzip, columns: r.layout?.names ?? [] };
}
