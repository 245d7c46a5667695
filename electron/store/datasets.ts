import fs from 'node:fs';
import path from 'node:path';
import type { DatasetDetail, DatasetSummary, SampleRow } from '../../shared/dataset';
import type { DatasetRow } from '../../shared/domain';
import type { Db } from './db';
import type { Workspace } from './workspace';

interface DatasetDbRow {
  id: string;
  name: string;
  format: string;
  source_path: string | null;
  created_at: number;
  rows: number;
  summary_json: string;
  featurizer_json: string | null;
  files_json: string;
}

/** What the featurizer column holds: the fitted encodings plus the choices that produced them. */
export interface StoredEncoding {
  featurizer: unknown;
  labelEncoder: unknown;
  options: Record<string, unknown>;
  encodedLike: string | null;
  cols: number;
}

export interface DatasetFiles {
  cache: string;
  raw: string;
  sample: string;
}

export interface NewDataset {
  id: string;
  name: string;
  format: string;
  sourcePath: string;
  rows: number;
  summary: DatasetSummary;
  encoding: StoredEncoding;
  files: DatasetFiles;
}

/** The classes a model trained on this dataset predicts: raw labels in 'attack' mode, categories otherwise. */
export const classCounts = (s: DatasetSummary): Record<string, number> =>
  (s.labels?.mode === 'attack' ? s.labels.raw : s.labels?.categories) ?? {};

export function insertDataset(db: Db, d: NewDataset): void {
  db.prepare(
    `INSERT INTO datasets (id, name, format, source_path, created_at, rows, summary_json, featurizer_json, files_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(d.id, d.name, d.format, d.sourcePath, Date.now(), d.rows, JSON.stringify(d.summary), JSON.stringify(d.encoding), JSON.stringify(d.files));
}

function getRow(db: Db, id: string): DatasetDbRow | undefined {
  return db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetDbRow | undefined;
}

export function listDatasets(db: Db): DatasetRow[] {
  const rows = db.prepare('SELECT * FROM datasets ORDER BY created_at DESC').all() as DatasetDbRow[];
  return rows.map((r) => {
    const summary = JSON.parse(r.summary_json) as DatasetSummary;
    const enc = r.featurizer_json ? (JSON.parse(r.featurizer_json) as StoredEncoding) : undefined;
    return {
      id: r.id,
      name: r.name,
      format: r.format,
      kind: summary.kind,
      sourcePath: r.source_path,
      createdAt: r.created_at,
      rows: r.rows,
      classes: classCounts(summary),
      malformed: summary.malformed.count,
      warnings: summary.warnings.length,
      encodedLike: enc?.encodedLike ?? null,
    };
  });
}

export function getEncoding(db: Db, id: string): StoredEncoding | undefined {
  const r = getRow(db, id);
  return r?.featurizer_json ? (JSON.parse(r.featurizer_json) as StoredEncoding) : undefined;
}

export function getDatasetFiles(db: Db, id: string): DatasetFiles | undefined {
  const r = getRow(db, id);
  return r ? (JSON.parse(r.files_json) as DatasetFiles) : undefined;
}

export function getDataset(db: Db, id: string): DatasetDetail | undefined {
  const r = getRow(db, id);
  if (!r) return undefined;
  const summary = JSON.parse(r.summary_json) as DatasetSummary;
  const enc = JSON.parse(r.featurizer_json ?? '{}') as Partial<StoredEncoding>;
  const labels = enc.labelEncoder as { classes?: string[] } | null | undefined;
  return {
    id: r.id,
    name: r.name,
    format: summary.format,
    sourcePath: r.source_path,
    createdAt: r.created_at,
    rows: r.rows,
    cols: enc.cols ?? 0,
    kind: summary.kind,
    classes: labels?.classes ?? [],
    encodedLike: enc.encodedLike ?? null,
    options: enc.options ?? {},
    summary,
  };
}

export function readSample(db: Db, id: string, limit: number): SampleRow[] | undefined {
  const files = getDatasetFiles(db, id);
  if (!files) return undefined;
  const rows = JSON.parse(fs.readFileSync(files.sample, 'utf8')) as SampleRow[];
  return rows.slice(0, limit);
}

/** Row first, files second: a crash in between leaves orphan files, never a row pointing at nothing. */
export function deleteDataset(ws: Workspace, id: string): boolean {
  const info = ws.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
  if (info.changes === 0) return false;
  if (/^[A-Za-z0-9_-]+$/.test(id)) fs.rmSync(path.join(ws.dir, 'datasets', id), { recursive: true, force: true });
  return true;
}
