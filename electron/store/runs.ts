import fs from 'node:fs';
import path from 'node:path';
import type { RunRow } from '../../shared/domain';
import type { Db } from './db';
import type { Workspace } from './workspace';

interface RunDbRow {
  id: string;
  dataset_id: string | null;
  model_id: string;
  status: string;
  created_at: number;
  params_json: string;
  metrics_json: string | null;
  backend: string | null;
  wall_ms: number | null;
}

export function listRuns(db: Db): RunRow[] {
  const rows = db
    .prepare(
      'SELECT id, dataset_id, model_id, status, created_at, params_json, metrics_json, backend, wall_ms FROM runs ORDER BY created_at DESC',
    )
    .all() as RunDbRow[];
  return rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    modelId: r.model_id,
    status: r.status,
    createdAt: r.created_at,
    params: JSON.parse(r.params_json) as unknown,
    ...(r.metrics_json ? { metrics: JSON.parse(r.metrics_json) as unknown } : {}),
    ...(r.backend ? { backend: r.backend } : {}),
    ...(r.wall_ms !== null ? { wallMs: r.wall_ms } : {}),
  }));
}

/** Row first, files second: a crash in between leaves orphan files, never a row pointing at nothing. */
export function deleteRun(ws: Workspace, runId: string): boolean {
  const info = ws.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
  if (info.changes === 0) return false;
  if (/^[A-Za-z0-9_-]+$/.test(runId)) fs.rmSync(path.join(ws.dir, 'runs', runId), { recursive: true, force: true });
  return true;
}
