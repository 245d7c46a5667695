import type { RawSink, ReadState, SourceInfo } from '../files/line-source';
import type { DataRecord, DatasetSchema, ErrorMode, FormatName, ImportOptions, Progress, RunContext } from '../types';
import type { KddScanner, ScanOptions } from './kdd-byte-scanner';
import type { Layout } from './layout';
import type { LeadLines, MalformedLog } from './malformed-lines';

/**
 * One format's reader: it recognises its format from a file's first lines and opens such a file as a
 * stream of records. Every reader lives in its own file in this folder and is listed in all-readers.ts,
 * whose order is the order in which detection asks them.
 */
export interface FormatReader {
  /** The formats this reader produces; options.format names one of them to skip detection. */
  readonly formats: readonly FormatName[];
  /**
   * The layout when `lines` (the first non-blank lines, at most 40) look like this format, else
   * undefined. `forced`: the user named this format (one of `formats`); the reader then returns a
   * layout or throws a DataError saying why the file is not one.
   */
  detect(file: string, lines: string[], forced?: FormatName): Layout | undefined;
  /** Opens a file this reader detected (or was forced on). Nothing is read until a pass starts. */
  open(request: OpenRequest): DatasetReader;
}

/** What openDataset hands a reader: the opened file, its layout and the import's options. */
export interface OpenRequest {
  source: SourceInfo;
  sourceName: string;
  layout: Layout;
  options: ImportOptions;
  ctx: RunContext;
  errors: ErrorMode;
  warnings: string[];
  /** Row-count estimate from the head's mean line length, to size buffers. */
  estimatedRows: number;
  /** Lines above the first line detection read (an over-long first line, comments above the header). */
  lead?: LeadLines;
  /** A fresh log of bad lines (the file name and the example cap filled in). */
  newLog(mode: ErrorMode): MalformedLog;
}

/** An opened file: its schema, and passes over its records. */
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
