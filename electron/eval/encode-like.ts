import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FormatNameSchema, ImportOptionsSchema } from '../../shared/dataset';
import type { DatasetDetail } from '../../shared/dataset';
import { ContractError } from '../../shared/errors';
import type { ImportJobInput } from '../data/import-job';
import { detectLayout } from '../data/readers/detect-format';
import { assertText, headLines, leadingComments } from '../data/readers/head-lines';
import type { FormatName } from '../data/types';
import { newId } from '../ids';
import type { Db } from '../store/db';
import { getDataset, getEncoding, listDatasets } from '../store/datasets';

/** Where a run's scores on a dataset come from: the dataset itself, a copy already encoded like the run, or one to make. */
export type EncodedLike =
  | { kind: 'ready'; dataset: DatasetDetail }
  | { kind: 'encode'; source: DatasetDetail; datasetId: string; name: string; importInput: ImportJobInput };

const sameFeaturizer = (db: Db, a: string, b: string) =>
  JSON.stringify(getEncoding(db, a)?.featurizer) === JSON.stringify(getEncoding(db, b)?.featurizer);

/**
 * Any dataset of the training set's format can be scored by a run: when it was imported with its own
 * encoding (a test file imported with the defaults), its source file is encoded again with the run's
 * featurizer and label encoding, once, and that copy is reused for later evaluations (the CLI's way).
 */
export function resolveEncodedLike(db: Db, workspaceDir: string, datasetId: string, trainDatasetId: string | null): EncodedLike {
  const ds = getDataset(db, datasetId);
  if (!ds) throw new ContractError('NOT_FOUND', `dataset '${datasetId}' does not exist`);
  if (trainDatasetId && (ds.id === trainDatasetId || sameFeaturizer(db, ds.id, trainDatasetId))) return { kind: 'ready', dataset: ds };
  const train = trainDatasetId ? getDataset(db, trainDatasetId) : undefined;
  if (!train) throw new ContractError('BAD_INPUT', `dataset '${ds.name}' is not encoded like the run's training set, and that set was deleted, so it cannot be encoded like it`);
  if (ds.format !== train.format || ds.kind !== train.kind) {
    throw new ContractError('BAD_INPUT', `dataset '${ds.name}' is ${ds.format} but the run was trained on ${train.format} ('${train.name}'): its records cannot be encoded like the training set`);
  }
  const source = ds.sourcePath;
  if (!source || !fs.existsSync(source)) {
    throw new ContractError('BAD_INPUT', `dataset '${ds.name}' must be encoded like '${train.name}' from its source file, but ${source ?? 'its source'} is gone: import it again with "encode like ${train.name}"`);
  }
  const stamp = fs.statSync(source).mtimeMs;
  const copy = listDatasets(db).find((d) => d.sourcePath === source && d.createdAt > stamp && d.id !== ds.id && sameFeaturizer(db, d.id, train.id));
  if (copy) return { kind: 'ready', dataset: getDataset(db, copy.id)! };
  const options = ImportOptionsSchema.parse({
    ...pick(ds.options, ['format', 'errors', 'labelColumn', 'featureColumns', 'categoricalColumns', 'dropLabels', 'benignLabels', 'attackMap']),
    ...pick(train.options, ['labelMode', 'maxLength', 'truncate', 'stripScheme', 'stripPublicSuffix', 'scaling']),
    format: FormatNameSchema.safeParse(ds.format).success ? ds.format : 'auto',
    encodeLike: train.id,
  });
  const enc = getEncoding(db, train.id)!;
  const newDatasetId = newId('ds');
  return {
    kind: 'encode',
    source: ds,
    datasetId: newDatasetId,
    name: ds.name,
    importInput: {
      path: source,
      outDir: path.join(workspaceDir, 'datasets', newDatasetId),
      options,
      encodeLike: { featurizer: enc.featurizer, labelEncoder: enc.labelEncoder } as ImportJobInput['encodeLike'],
    },
  };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

export interface DetectedFile {
  format: string | null;
  columns: string[];
  encodeLike: { datasetId: string; name: string } | null;
  reason: string | null;
}

/** The first 64 KiB of a file as text (gzip inflated as far as it goes). */
function headOf(file: string): { text: Buffer; complete: boolean } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const raw = buf.subarray(0, n);
    const complete = n < buf.length;
    if (raw[0] === 0x1f && raw[1] === 0x8b) return { text: zlib.gunzipSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH }), complete: false };
    return { text: raw, complete };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What the import form needs to offer "encode like <training set>": the file's format and columns (asked of
 * the readers, as the import will) and the newest dataset with its own encoding whose columns it has.
 */
export function detectFile(db: Db, file: string): DetectedFile {
  let format: FormatName;
  let columns: string[];
  try {
    const head = headOf(path.resolve(file));
    assertText(file, head.text);
    const lines = headLines(head.text, head.complete);
    // As the import reads it: `#` comment lines above the header are not the header.
    const { layout } = detectLayout(file, lines.slice(leadingComments(lines)));
    format = layout.format;
    columns = layout.names;
  } catch (e) {
    return { format: null, columns: [], encodeLike: null, reason: e instanceof Error ? e.message : String(e) };
  }
  const have = new Set(columns);
  const like = listDatasets(db).find((d) => {
    if (d.encodedLike || d.format !== format || Object.keys(d.classes).length < 2) return false;
    const f = getEncoding(db, d.id)?.featurizer as { kind?: string; columns?: { name?: string }[] } | undefined;
    // Fixed layouts (KDD) name no columns in the file: their format is their columns.
    return f?.kind !== 'tabular' || have.size === 0 || (f.columns ?? []).every((c) => c.name === undefined || have.has(c.name));
  });
  return { format, columns, encodeLike: like ? { datasetId: like.id, name: like.name } : null, reason: null };
}
