import { DataError } from '../data/errors';
import { TabularFeaturizer, type TabularFeaturizerJSON } from '../data/featurize/tabular';
import { openDataset } from '../data/readers/open-dataset';
import type { DatasetReader } from '../data/readers/reader';
import type { FileProgress, ScanLine } from './url-lines';

/** What a records scan needs of its run: the training set's format and the fitted featurizer (columns in order). */
export interface RecordsSpec {
  format: string;
  featurizer: TabularFeaturizerJSON;
}

const KDD_FORMATS = new Set(['kdd99', 'nslkdd']);

/**
 * Opens a records file the way the run's training set was read: its feature columns by name, in the
 * featurizer's order and types, no label. A file of another kind, or without some of the columns, is
 * refused naming every column it lacks (what the analyst needs to fix the export, not just the first).
 */
export async function openRecordsLike(file: string, spec: RecordsSpec, signal?: AbortSignal): Promise<DatasetReader> {
  const probe = await openDataset(file, { errors: 'lenient' });
  const format = probe.schema.format;
  const sameFamily = format === spec.format || (KDD_FORMATS.has(format) && KDD_FORMATS.has(spec.format));
  if (probe.schema.kind !== 'tabular' || (!sameFamily && (KDD_FORMATS.has(format) || KDD_FORMATS.has(spec.format)))) {
    throw new DataError(file, undefined, `the file reads as ${format}, but the model was trained on ${spec.format} records`);
  }
  const want = spec.featurizer.columns;
  // Fixed layouts (KDD) name no columns in the file: their format is their columns.
  const names = probe.layout?.names.length ? probe.layout.names : probe.schema.columns.map((c) => c.name);
  const have = new Set(names.map((n) => n.toLowerCase()));
  const missing = want.filter((c) => !have.has(c.name.toLowerCase())).map((c) => c.name);
  if (missing.length) {
    const list = missing.length > 12 ? `${missing.slice(0, 12).join(', ')} and ${missing.length - 12} more` : missing.join(', ');
    throw new DataError(file, undefined, `the model's records need ${missing.length} column${missing.length > 1 ? 's' : ''} this file lacks: ${list}`);
  }
  const columns = KDD_FORMATS.has(format)
    ? undefined
    : { label: null, features: want.map((c) => c.name), categorical: want.filter((c) => c.type === 'categorical').map((c) => c.name) };
  const r = await openDataset(file, { errors: 'lenient', ...(columns ? { columns } : {}) }, signal ? { signal } : {});
  const got = r.schema.columns.map((c) => `${c.name}:${c.type}`).join(',');
  const expected = want.map((c) => `${c.name}:${c.type}`).join(',');
  if (got !== expected) throw new DataError(file, undefined, `the file's columns read as [${got}], the model's as [${expected}]`);
  return r;
}

/**
 * Streams a records file as scan items: each record encoded on the fly with the run's featurizer, keyed by its
 * feature text (identical records are one item, counted), keeping its line. Malformed lines are counted as
 * skips at the end of the file.
 */
export async function* recordItems(
  filePath: string,
  afterLine: number,
  signal: AbortSignal,
  onProgress: (p: FileProgress) => void,
  spec: RecordsSpec,
): AsyncGenerator<ScanLine[]> {
  const featurizer = new TabularFeaturizer(spec.featurizer);
  const dim = spec.featurizer.outputDim;
  const r = await openRecordsLike(filePath, spec, signal);
  let last = afterLine;
  for await (const batch of r.batches()) {
    const out: ScanLine[] = [];
    for (const rec of batch) {
      if (rec.line <= afterLine) continue;
      const x = new Float32Array(dim);
      featurizer.encodeRow(rec.num ?? new Float64Array(0), rec.cat ?? [], x, 0);
      out.push({ kind: 'url', line: rec.line, url: rec.key, features: x });
      last = rec.line;
    }
    onProgress({ bytesRead: r.state.bytesRead, totalBytes: r.source.totalBytes });
    if (out.length) yield out;
  }
  if (afterLine === 0 && r.malformed.count > 0) yield [{ kind: 'skip', line: last, reason: 'notUrl', lines: r.malformed.count }];
}
