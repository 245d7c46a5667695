import { DataError } from '../errors';
import { CharSeqEncoder, TabularFeaturizer, charSeqSpec, featurizerFromJSON, type Featurizer } from '../featurize';
import type { LabelState } from '../labels/label-state';
import type { Grow } from '../primitives/growable-array';
import type { DatasetReader } from '../readers/reader';
import type { DatasetSummary, SummaryBuilder } from '../summary/dataset-summary';
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

/** The dataset summary of one file. */
export function summarize(r: DatasetReader, s: SummaryBuilder, labels: LabelState, opts: ImportOptions): DatasetSummary {
  return s.finish(
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
  );
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
