import { DataError } from '../errors';
import { CharSeqEncoder, TabularFeaturizer, charSeqSpec, featurizerFromJSON, type Featurizer } from '../featurize';
import type { LabelState } from '../labels/label-state';
import type { Grow } from '../primitives/growable-array';
import type { DatasetReader } from '../readers/reader';
import type { DatasetSummary, ReadReport, SummaryBuilder } from '../summary/dataset-summary';
import type { ImportOptions } from '../types';
import type { ImportResult } from './import-result';

/** The start and the end of an import, shared by import-file.ts, kdd-byte-import.ts and import-many.ts. */

/** The featurizer to encode with: the one given (checked against the file's columns), a character encoder, or undefined = fit one. */
export function makeFeaturizer(r: DatasetReader, opts: ImportOptions): TabularFeaturizer | CharSeqEncoder | undefined {
  if (opts.featurizer) {
    const f = featurizerFromJSON(opts.featurizer);
    if (f instanceof TabularFeaturizer) {
      const want = f.json.columns.map((c) => `${c.name}:${c.type}`).join(',');
      const have = r.schema.columns.map((c) => `${c.name}:${c.type}`).join(',');
      if (r.schema.kind !== 'tabular' || want !== have) {
        throw new DataError(r.source.file, undefined, `featurizer expects columns [${want}] but the file gives [${have}]`);
      }
    } else if (r.schema.kind !== 'text') throw new DataError(r.source.file, undefined, 'a character featurizer needs a URL or domain list');
    return f;
  }
  if (r.schema.kind === 'text') return new CharSeqEncoder(charSeqSpec(opts.text ?? {}, r.schema.textKind!));
  return undefined;
}

/** Rows to size buffers for: the reader's estimate and a margin. */
export function estimateRows(r: DatasetReader): number {
  return Math.ceil(r.estimatedRows * 1.05) + 1024;
}

/**
 * Why a file gave no usable row, from what its pass left out: blank lines, a header, comments, malformed
 * lines (by kind, with the first example) and rows dropped by their label.
 */
export function whyNoRows(r: DatasetReader, summary: SummaryBuilder | undefined): string {
  const m = r.malformed;
  const q = m.quiet;
  const lines = r.state.lines;
  const data = lines - q.blank - q.header - q.comment;
  if (lines === 0) return 'file is empty (0 bytes)';
  if (data <= 0) {
    const left = [q.header ? 'a header line' : '', q.blank ? `${q.blank} blank line${q.blank > 1 ? 's' : ''}` : '', q.comment ? `${q.comment} comment line${q.comment > 1 ? 's' : ''}` : ''].filter(Boolean);
    return `no data rows: only ${left.join(' and ')}`;
  }
  const dropped = summary ? [...summary.dropped.values()].reduce((a, b) => a + b, 0) : 0;
  const kinds = Object.entries(m.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  const first = m.examples[0] ? `; first: line ${m.examples[0].line}: ${m.examples[0].reason}` : '';
  const lines_ = `${data} data line${data === 1 ? '' : 's'}`;
  if (!dropped && m.count >= data) return `no usable rows: all ${lines_} are malformed (${kinds})${first}`;
  const parts: string[] = [];
  if (m.count) parts.push(`${m.count} malformed (${kinds})`);
  if (dropped) parts.push(`${dropped} dropped by label (${[...summary!.dropped.keys()].join(', ')})`);
  return `no usable rows among ${lines_}: ${parts.join(', ') || 'none kept'}${first}`;
}

/** How one file was read, for the summary (several files: their skip counts added up). */
export function readReport(readers: DatasetReader[], opts: ImportOptions): ReadReport {
  const r = readers[0];
  const layout = r.layout;
  const names = layout?.names ?? [];
  const col = (i: number) => `column ${i + 1}${names[i] && names[i] !== String(i + 1) ? ` (${names[i]})` : ''}`;
  const src = r.schema.labelSource;
  const labelAt = src !== undefined && src !== 'fixed' ? names.indexOf(src) : -1;
  const skipped: Record<string, number> = {};
  const add = (k: string, n: number) => n && (skipped[k] = (skipped[k] ?? 0) + n);
  for (const x of readers) {
    for (const [k, n] of Object.entries(x.malformed.quiet)) add(k, n);
    for (const [k, n] of Object.entries(x.malformed.byKind)) add(k, n);
  }
  return {
    format: r.schema.format,
    header: layout?.hasHeader ?? false,
    columns: Math.max(1, names.length),
    text: r.schema.kind === 'text' ? (!layout || layout.textColumn < 0 ? 'whole line' : col(layout.textColumn)) : null,
    label: src === undefined ? null : src === 'fixed' ? `fixed: ${opts.fixedLabel ?? ''}` : labelAt >= 0 ? col(labelAt) : src,
    skipped,
  };
}

/** The dataset summary of one file. */
export function summarize(r: DatasetReader, s: SummaryBuilder, labels: LabelState, opts: ImportOptions): DatasetSummary {
  return withRead(s.finish(
    {
      source: r.sourceName,
      file: r.source.file,
      gzip: r.source.gzip,
      bytes: r.source.totalBytes,
      lines: r.state.lines,
      malformed: { count: r.malformed.count, examples: r.malformed.examples },
    },
    labels.labelled ? labels.mode : undefined,
    r.warnings,
    opts.shortcutThreshold ?? 0.9,
  ), readReport([r], opts));
}

function withRead(s: DatasetSummary, read: ReadReport): DatasetSummary {
  s.read = read;
  return s;
}

/** The in-memory import's result; finishes the labels. */
export function encodedResult(
  r: DatasetReader,
  summary: SummaryBuilder,
  labels: LabelState,
  opts: ImportOptions & { rawLinesPath?: string },
  f: Featurizer,
  rows: { features: Float32Array | Int32Array; lines: Grow<Uint32Array>; offsets: Grow<Float64Array> | undefined },
): ImportResult {
  const lab = labels.finish();
  return {
    summary: summarize(r, summary, labels, opts),
    featurizer: f.json,
    labelEncoder: lab.encoder?.json ?? null,
    encoded: {
      sourceName: r.sourceName,
      rows: rows.lines.length,
      cols: f.dim,
      dtype: f instanceof CharSeqEncoder ? 'int32' : 'float32',
      features: rows.features,
      labels: lab.labels,
      classes: lab.encoder?.json.classes ?? [],
      lines: rows.lines.view(),
      rawOffsets: rows.offsets?.view(),
    },
    rawLinesPath: opts.rawLinesPath,
  };
}
