import fs from 'node:fs';
import path from 'node:path';
import type { RunRow } from '../../shared/domain';
import { defaultRunName, type BatchCurve, type EpochStats, type RunDetail, type ValidationSummary } from '../../shared/run';
import type { Db } from './db';
import type { Workspace } from './workspace';

interface RunDbRow {
  id: string;
  dataset_id: string | null;
  model_id: string;
  family: string;
  status: string;
  created_at: number;
  params_json: string;
  featurizer_json: string | null;
  classes_json: string;
  history_json: string;
  metrics_json: string | null;
  backend: string | null;
  wall_ms: number | null;
  weights_dir: string | null;
  tags: string;
  note: string;
  job_id: string | null;
  error: string | null;
  best_epoch: number | null;
  stopped_early: number;
  train_rows: number | null;
  val_rows: number | null;
  validation_json: string | null;
  name: string | null;
  batch_curve_json: string | null;
}

/** The stored name, or the default from the run's settings and training set. */
function nameOf(r: Pick<RunDbRow, 'name' | 'model_id' | 'params_json'>, datasetName: string | null): string {
  return r.name ?? defaultRunName(r.model_id, datasetName, JSON.parse(r.params_json) as Record<string, unknown>);
}

export interface NewRun {
  id: string;
  /** Null only for an ensemble whose first member's dataset was deleted. */
  datasetId: string | null;
  modelId: string;
  family: 'records' | 'sequences';
  params: Record<string, unknown>;
  /** The dataset's fitted encoding, copied so the run stays usable after the dataset is deleted. */
  encoding: unknown;
  classes: string[];
  jobId: string;
  tags: string[];
  /** The default name from the resolved settings; omitted = built from the stored params when read. */
  name?: string;
}

export function insertRun(db: Db, r: NewRun): void {
  db.prepare(
    `INSERT INTO runs (id, dataset_id, model_id, family, status, created_at, params_json, featurizer_json, classes_json, job_id, tags, owner_pid, name)
     VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.datasetId, r.modelId, r.family, Date.now(), JSON.stringify(r.params), JSON.stringify(r.encoding), JSON.stringify(r.classes), r.jobId, r.tags.join(','), process.pid, r.name ?? null);
}

/** false when no such run. */
export function renameRun(db: Db, id: string, name: string): boolean {
  return db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, id).changes > 0;
}

/** The batch-level curve so far (written at each epoch end and at the finish, not per batch). */
export function setBatchCurve(db: Db, id: string, curve: BatchCurve): void {
  db.prepare('UPDATE runs SET batch_curve_json = ? WHERE id = ?').run(JSON.stringify(curve), id);
}

export function setRunStatus(db: Db, id: string, status: string, error?: string): void {
  db.prepare('UPDATE runs SET status = ?, error = ? WHERE id = ?').run(status, error ?? null, id);
}

/** A resumed run is queued again, by this process, under a new job. */
export function requeueRun(db: Db, id: string, jobId: string, params: Record<string, unknown>): void {
  db.prepare(`UPDATE runs SET status = 'queued', error = NULL, job_id = ?, params_json = ?, owner_pid = ? WHERE id = ?`).run(
    jobId,
    JSON.stringify(params),
    process.pid,
    id,
  );
}

/** Appends one epoch as it finishes, so a reloaded page (or a crash) still has the curve so far. */
export function appendEpoch(db: Db, id: string, e: EpochStats): void {
  const row = db.prepare('SELECT history_json FROM runs WHERE id = ?').get(id) as { history_json: string } | undefined;
  if (!row) return;
  const history = JSON.parse(row.history_json) as EpochStats[];
  if (history.some((h) => h.epoch === e.epoch)) return;
  history.push(e);
  db.prepare('UPDATE runs SET history_json = ? WHERE id = ?').run(JSON.stringify(history), id);
}

export interface RunOutcome {
  status: 'done' | 'cancelled' | 'interrupted';
  params: Record<string, unknown>;
  history: EpochStats[];
  bestEpoch: number | null;
  stoppedEarly: boolean;
  backend: string;
  wallMs: number;
  weightsDir: string;
  trainRows: number;
  valRows: number;
  validation?: ValidationSummary | null;
}

export function finishRun(db: Db, id: string, o: RunOutcome): void {
  db.prepare(
    `UPDATE runs SET status = ?, params_json = ?, history_json = ?, best_epoch = ?, stopped_early = ?, backend = ?,
       wall_ms = ?, weights_dir = ?, train_rows = ?, val_rows = ?, validation_json = ?, error = NULL WHERE id = ?`,
  ).run(
    o.status, JSON.stringify(o.params), JSON.stringify(o.history), o.bestEpoch, o.stoppedEarly ? 1 : 0, o.backend, Math.round(o.wallMs),
    o.weightsDir, o.trainRows, o.valRows, o.validation ? JSON.stringify(o.validation) : null, id,
  );
}

function latestAccuracy(db: Db, runId: string): number | null {
  return latestEvaluation(db, runId)?.accuracy ?? null;
}

/** The newest evaluation's accuracy and where it was measured (a validation split is not a test set). */
function latestEvaluation(db: Db, runId: string): { accuracy: number | null; split_kind: string } | undefined {
  return db.prepare('SELECT accuracy, split_kind FROM evaluations WHERE run_id = ? ORDER BY created_at DESC LIMIT 1').get(runId) as
    | { accuracy: number | null; split_kind: string }
    | undefined;
}

export function listRuns(db: Db): RunRow[] {
  const rows = db
    .prepare('SELECT runs.*, datasets.name AS dataset_name FROM runs LEFT JOIN datasets ON datasets.id = runs.dataset_id ORDER BY runs.created_at DESC')
    .all() as (RunDbRow & { dataset_name: string | null })[];
  return rows.map((r) => ({
    id: r.id,
    name: nameOf(r, r.dataset_name),
    datasetId: r.dataset_id,
    modelId: r.model_id,
    status: r.status,
    createdAt: r.created_at,
    params: JSON.parse(r.params_json) as unknown,
    ...(r.backend ? { backend: r.backend } : {}),
    ...(r.wall_ms !== null ? { wallMs: r.wall_ms } : {}),
    testAccuracy: latestAccuracy(db, r.id),
    accuracySplit: (latestEvaluation(db, r.id)?.split_kind as RunRow['accuracySplit']) ?? null,
    tags: r.tags ? r.tags.split(',') : [],
    note: r.note,
    datasetName: r.dataset_name,
  }));
}

/** A run's name alone (null when the run is gone), for lists that show runs they do not own. */
export function runName(db: Db, id: string): string | null {
  const r = db.prepare('SELECT runs.name, runs.model_id, runs.params_json, datasets.name AS dataset_name FROM runs LEFT JOIN datasets ON datasets.id = runs.dataset_id WHERE runs.id = ?').get(id) as
    | (Pick<RunDbRow, 'name' | 'model_id' | 'params_json'> & { dataset_name: string | null })
    | undefined;
  return r ? nameOf(r, r.dataset_name) : null;
}

export function getRun(db: Db, id: string): RunDetail | undefined {
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunDbRow | undefined;
  if (!r) return undefined;
  const ds = r.dataset_id ? (db.prepare('SELECT name FROM datasets WHERE id = ?').get(r.dataset_id) as { name: string } | undefined) : undefined;
  return {
    id: r.id,
    name: nameOf(r, ds?.name ?? null),
    datasetId: r.dataset_id,
    datasetName: ds?.name ?? null,
    modelId: r.model_id,
    family: r.family === 'sequences' ? 'sequences' : 'records',
    status: r.status as RunDetail['status'],
    createdAt: r.created_at,
    params: JSON.parse(r.params_json) as RunDetail['params'],
    classes: JSON.parse(r.classes_json) as string[],
    history: JSON.parse(r.history_json) as EpochStats[],
    bestEpoch: r.best_epoch,
    stoppedEarly: r.stopped_early === 1,
    backend: r.backend,
    wallMs: r.wall_ms,
    trainRows: r.train_rows,
    valRows: r.val_rows,
    jobId: r.job_id,
    error: r.error,
    tags: r.tags ? r.tags.split(',') : [],
    note: r.note,
    testAccuracy: latestAccuracy(db, r.id),
    validation: r.validation_json ? (JSON.parse(r.validation_json) as ValidationSummary) : null,
    sweepId: sweepOf(db, r.id),
    batchCurve: r.batch_curve_json ? (JSON.parse(r.batch_curve_json) as BatchCurve) : null,
  };
}

function sweepOf(db: Db, runId: string): string | null {
  const t = db.prepare('SELECT sweep_id FROM sweep_trials WHERE run_id = ? LIMIT 1').get(runId) as { sweep_id: string } | undefined;
  return t?.sweep_id ?? null;
}

export function updateRunNotes(db: Db, id: string, tags: string[] | undefined, note: string | undefined): boolean {
  const r = db
    .prepare('UPDATE runs SET tags = COALESCE(?, tags), note = COALESCE(?, note) WHERE id = ?')
    .run(tags ? tags.map((t) => t.replace(/,/g, ' ')).join(',') : null, note ?? null, id);
  return r.changes > 0;
}

export function getRunEncoding(db: Db, id: string): unknown {
  const r = db.prepare('SELECT featurizer_json FROM runs WHERE id = ?').get(id) as { featurizer_json: string | null } | undefined;
  return r?.featurizer_json ? (JSON.parse(r.featurizer_json) as unknown) : undefined;
}

/** Row first, files second: a crash in between leaves orphan files, never a row pointing at nothing. */
export function deleteRun(ws: Workspace, runId: string): boolean {
  const info = ws.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
  if (info.changes === 0) return false;
  if (/^[A-Za-z0-9_-]+$/.test(runId)) fs.rmSync(path.join(ws.dir, 'runs', runId), { recursive: true, force: true });
  return true;
}
