import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { EvalResult } from '../../shared/eval';
import type { OperatingCurve, ScanInfo } from '../../shared/scan';
import type { CharSeqJSON } from '../data/featurize/charseq';
import type { EventHub } from '../events';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { listEvaluations } from '../store/evaluations';
import { getRun, getRunEncoding } from '../store/runs';
import type { Workspace } from '../store/workspace';
import type { ScanJobInput } from './scan-job';
import { getScan, insertScan, setScanState } from './scan-store';

export interface ScanServiceDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

function requireScan(deps: ScanServiceDeps, scanId: string): ScanInfo {
  const s = getScan(deps.workspace.db, scanId);
  if (!s) throw new ContractError('NOT_FOUND', `scan '${scanId}' does not exist`);
  return s;
}

function launch(deps: ScanServiceDeps, scan: ScanInfo): string {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const run = getRun(db, scan.runId ?? '');
  if (!run) throw new ContractError('NOT_FOUND', `the model run of scan '${scan.id}' was deleted`);
  const enc = getRunEncoding(db, run.id) as { featurizer: CharSeqJSON };
  const input: ScanJobInput = {
    scanId: scan.id,
    dbPath: workspace.dbPath,
    runDir: path.join(workspace.dir, 'runs', run.id),
    files: scan.files,
    featurizer: enc.featurizer,
    classes: run.classes,
    threshold: scan.threshold,
    cursor: scan.cursor,
    stats: scan.stats,
  };
  const job = jobs.start('scan', `scan ${scan.name}`, input, {
    onProgress: () => {
      if (getScan(db, scan.id)?.status === 'queued') {
        setScanState(db, scan.id, 'running');
        events.emit('scans.changed', {});
      }
    },
    onResult: () => {
      setScanState(db, scan.id, 'done');
      events.emit('scans.changed', {});
      const s = getScan(db, scan.id)!;
      return { scanId: scan.id, scanned: s.stats.scanned, flagged: s.flagged };
    },
    // Results already committed stay: a cancelled or failed scan keeps what it scanned and can resume.
    onAbandon: (j) => {
      setScanState(db, scan.id, j.status === 'cancelled' ? 'cancelled' : 'failed', { error: j.error ?? null });
      events.emit('scans.changed', {});
    },
  });
  setScanState(db, scan.id, 'queued', { jobId: job.id });
  events.emit('scans.changed', {});
  return job.id;
}

export function startScan(deps: ScanServiceDeps, req: OpParsedRequest<'scan.start'>): { scanId: string; jobId: string } {
  const db = deps.workspace.db;
  const run = getRun(db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (run.family !== 'sequences') throw new ContractError('BAD_INPUT', `run '${run.id}' (${run.modelId}) reads records; a URL scan needs a character model`);
  if (run.status !== 'done' && run.status !== 'cancelled') throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no model yet`);
  const enc = getRunEncoding(db, run.id) as { featurizer?: { kind?: string } } | undefined;
  if (enc?.featurizer?.kind !== 'charseq') throw new ContractError('BAD_INPUT', `run '${run.id}' has no character encoding`);
  const files = req.paths.map((p) => path.resolve(p));
  for (const f of files) {
    const st = fs.statSync(f, { throwIfNoEntry: false });
    if (!st) throw new ContractError('BAD_INPUT', `${f}: no such file`);
    if (!st.isFile()) throw new ContractError('BAD_INPUT', `${f}: not a regular file`);
  }
  const id = newId('scan');
  const name = req.name ?? files.map((f) => path.basename(f)).join(', ').slice(0, 120);
  insertScan(db, { id, name, runId: run.id, files, threshold: req.threshold });
  return { scanId: id, jobId: launch(deps, requireScan(deps, id)) };
}

export function resumeScan(deps: ScanServiceDeps, scanId: string): { jobId: string } {
  const scan = requireScan(deps, scanId);
  if (scan.status === 'running' || scan.status === 'queued') throw new ContractError('BAD_INPUT', `scan '${scan.id}' is already ${scan.status}`);
  if (scan.status === 'done') throw new ContractError('BAD_INPUT', `scan '${scan.id}' is complete`);
  for (const f of scan.files.slice(scan.cursor.file)) {
    if (!fs.existsSync(f)) throw new ContractError('BAD_INPUT', `${f}: no such file (it moved since the scan started)`);
  }
  return { jobId: launch(deps, scan) };
}

/** The model's ROC on its newest labelled evaluation: what false-positive rate a threshold buys. */
export function operatingCurve(deps: ScanServiceDeps, runId: string): OperatingCurve | null {
  const [latest] = listEvaluations(deps.workspace.db, runId);
  if (!latest) return null;
  const r = latest.result as EvalResult;
  const curve = r.roc.mode === 'binary' ? r.roc.curves[0] : r.roc.attackVsNormal;
  if (!curve || curve.auc === null) return null;
  return { split: r.split.description, thresholds: curve.thresholds, fpr: curve.fpr, tpr: curve.tpr };
}
