import type { EvalResult } from '../../shared/eval';
import { defaultRunName, type EvaluationInfo } from '../../shared/run';
import type { Db } from './db';

export interface NewEvaluation {
  id: string;
  runId: string;
  datasetId: string | null;
  splitKind: string;
  splitDescription: string;
  rows: number;
  accuracy: number;
  result: unknown;
  predictionsPath: string | null;
}

export function insertEvaluation(db: Db, e: NewEvaluation): void {
  db.prepare(
    `INSERT INTO evaluations (id, run_id, dataset_id, split_kind, split_description, created_at, rows, accuracy, result_json, predictions_path)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.id, e.runId, e.datasetId, e.splitKind, e.splitDescription, Date.now(), e.rows, e.accuracy, JSON.stringify(e.result), e.predictionsPath);
}

export interface EvaluationRow {
  id: string;
  runId: string;
  datasetId: string | null;
  splitKind: string;
  splitDescription: string;
  createdAt: number;
  rows: number;
  accuracy: number | null;
  result: unknown;
  predictionsPath: string | null;
}

export function listEvaluations(db: Db, runId: string): EvaluationRow[] {
  const rows = db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY created_at DESC').all(runId) as {
    id: string;
    run_id: string;
    dataset_id: string | null;
    split_kind: string;
    split_description: string;
    created_at: number;
    rows: number;
    accuracy: number | null;
    result_json: string;
    predictions_path: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    datasetId: r.dataset_id,
    splitKind: r.split_kind,
    splitDescription: r.split_description,
    createdAt: r.created_at,
    rows: r.rows,
    accuracy: r.accuracy,
    result: JSON.parse(r.result_json) as unknown,
    predictionsPath: r.predictions_path,
  }));
}

interface EvalJoinRow {
  id: string;
  run_id: string;
  model_id: string;
  run_name: string | null;
  run_params: string;
  run_dataset_name: string | null;
  dataset_id: string | null;
  dataset_name: string | null;
  split_kind: string;
  split_description: string;
  rows: number;
  accuracy: number | null;
  created_at: number;
  result_json: string;
  predictions_path: string | null;
}

const JOIN = `SELECT e.*, r.model_id AS model_id, r.name AS run_name, r.params_json AS run_params, rd.name AS run_dataset_name,
  d.name AS dataset_name FROM evaluations e
  JOIN runs r ON r.id = e.run_id LEFT JOIN datasets d ON d.id = e.dataset_id LEFT JOIN datasets rd ON rd.id = r.dataset_id`;

function toInfo(r: EvalJoinRow): EvaluationInfo {
  return {
    id: r.id,
    runId: r.run_id,
    runName: r.run_name ?? defaultRunName(r.model_id, r.run_dataset_name, JSON.parse(r.run_params) as Record<string, unknown>),
    modelId: r.model_id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    split: { kind: r.split_kind as EvaluationInfo['split']['kind'], description: r.split_description },
    rows: r.rows,
    accuracy: r.accuracy,
    createdAt: r.created_at,
  };
}

export function listEvaluationInfos(db: Db, runIds?: string[]): EvaluationInfo[] {
  const rows = db.prepare(`${JOIN} ORDER BY e.created_at DESC`).all() as EvalJoinRow[];
  return rows.filter((r) => !runIds || runIds.includes(r.run_id)).map(toInfo);
}

export function getEvaluation(db: Db, id: string): { info: EvaluationInfo; result: EvalResult; predictionsPath: string | null } | undefined {
  const r = db.prepare(`${JOIN} WHERE e.id = ?`).get(id) as EvalJoinRow | undefined;
  if (!r) return undefined;
  return { info: toInfo(r), result: JSON.parse(r.result_json) as EvalResult, predictionsPath: r.predictions_path };
}
