import type { ParamValue } from '../../models/types';
import type { SweepInfo, SweepMetric, SweepSpec, SweepTrial, TrialState } from '../../shared/sweep';
import type { Db } from './db';
import { runName } from './runs';

interface SweepDbRow {
  id: string;
  name: string;
  dataset_id: string | null;
  status: string;
  created_at: number;
  finished_at: number | null;
  spec_json: string;
  job_id: string | null;
  error: string | null;
}

interface TrialDbRow {
  idx: number;
  model_id: string;
  point_json: string;
  run_id: string | null;
  state: string;
  metric: number | null;
  epochs: number | null;
  stopped_at: number | null;
}

export function insertSweep(db: Db, s: { id: string; name: string; datasetId: string; spec: SweepSpec; trials: { modelId: string; point: Record<string, ParamValue> }[] }): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO sweeps (id, name, dataset_id, status, created_at, spec_json) VALUES (?, ?, ?, 'running', ?, ?)`).run(
      s.id, s.name, s.datasetId, Date.now(), JSON.stringify(s.spec),
    );
    const ins = db.prepare(`INSERT INTO sweep_trials (sweep_id, idx, model_id, point_json, state) VALUES (?, ?, ?, ?, 'pending')`);
    s.trials.forEach((t, i) => ins.run(s.id, i, t.modelId, JSON.stringify(t.point)));
  })();
}

export function setSweepJob(db: Db, id: string, jobId: string): void {
  db.prepare('UPDATE sweeps SET job_id = ? WHERE id = ?').run(jobId, id);
}

export function finishSweep(db: Db, id: string, status: 'done' | 'cancelled' | 'failed', error?: string): void {
  db.prepare('UPDATE sweeps SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(status, Date.now(), error ?? null, id);
  // Trials that never started stay visible as skipped rather than pending forever.
  db.prepare(`UPDATE sweep_trials SET state = 'skipped' WHERE sweep_id = ? AND state = 'pending'`).run(id);
}

export function updateTrial(
  db: Db,
  sweepId: string,
  index: number,
  t: { state: TrialState; runId?: string; metric?: number | null; epochs?: number | null; stoppedAt?: number | null },
): void {
  db.prepare(
    `UPDATE sweep_trials SET state = ?, run_id = COALESCE(?, run_id), metric = COALESCE(?, metric), epochs = COALESCE(?, epochs),
       stopped_at = COALESCE(?, stopped_at) WHERE sweep_id = ? AND idx = ?`,
  ).run(t.state, t.runId ?? null, t.metric ?? null, t.epochs ?? null, t.stoppedAt ?? null, sweepId, index);
}

function latestAccuracy(db: Db, runId: string | null): number | null {
  if (!runId) return null;
  const r = db.prepare('SELECT accuracy FROM evaluations WHERE run_id = ? ORDER BY created_at DESC LIMIT 1').get(runId) as { accuracy: number | null } | undefined;
  return r?.accuracy ?? null;
}

export function getSweepRow(db: Db, id: string): (SweepDbRow & { dataset_name: string | null }) | undefined {
  return db.prepare('SELECT sweeps.*, datasets.name AS dataset_name FROM sweeps LEFT JOIN datasets ON datasets.id = sweeps.dataset_id WHERE sweeps.id = ?').get(id) as
    | (SweepDbRow & { dataset_name: string | null })
    | undefined;
}

export function listSweepIds(db: Db): string[] {
  return (db.prepare('SELECT id FROM sweeps ORDER BY created_at DESC').all() as { id: string }[]).map((r) => r.id);
}

export function listTrials(db: Db, sweepId: string): SweepTrial[] {
  const rows = db.prepare('SELECT * FROM sweep_trials WHERE sweep_id = ? ORDER BY idx').all(sweepId) as TrialDbRow[];
  return rows.map((r) => ({
    index: r.idx,
    modelId: r.model_id,
    point: JSON.parse(r.point_json) as SweepTrial['point'],
    runId: r.run_id,
    runName: r.run_id ? runName(db, r.run_id) : null,
    state: r.state as TrialState,
    metric: r.metric,
    epochs: r.epochs,
    stoppedAt: r.stopped_at,
    testAccuracy: latestAccuracy(db, r.run_id),
  }));
}

/** Higher is better for accuracy, lower for loss. */
export function better(metric: SweepMetric, a: number, b: number): boolean {
  return metric === 'valLoss' ? a < b : a > b;
}

/** The chosen trial: the best validation metric among trials that produced a model (stopped ones included). */
export function bestTrial(metric: SweepMetric, trials: readonly SweepTrial[]): SweepTrial | null {
  let best: SweepTrial | null = null;
  for (const t of trials) {
    if (t.metric === null || !t.runId || (t.state !== 'done' && t.state !== 'stopped')) continue;
    if (!best || better(metric, t.metric, best.metric!)) best = t;
  }
  return best;
}

export function sweepInfo(db: Db, id: string, jobAlive: (jobId: string) => boolean): SweepInfo | undefined {
  const s = getSweepRow(db, id);
  if (!s) return undefined;
  const spec = JSON.parse(s.spec_json) as SweepSpec;
  const trials = listTrials(db, id);
  const best = bestTrial(spec.metric, trials);
  // A sweep whose process ended while it ran (crash, app closed) cannot still be running.
  const status = s.status === 'running' && !(s.job_id && jobAlive(s.job_id)) ? 'interrupted' : (s.status as SweepInfo['status']);
  return {
    id: s.id,
    name: s.name,
    datasetId: s.dataset_id,
    datasetName: s.dataset_name,
    status,
    createdAt: s.created_at,
    finishedAt: s.finished_at,
    metric: spec.metric,
    search: spec.search,
    trials: trials.length,
    finished: trials.filter((t) => t.state === 'done' || t.state === 'stopped').length,
    stopped: trials.filter((t) => t.state === 'stopped').length,
    bestRunId: best?.runId ?? null,
    bestMetric: best?.metric ?? null,
    jobId: s.job_id,
    error: s.error,
  };
}

export function deleteSweep(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM sweeps WHERE id = ?').run(id).changes > 0;
}
