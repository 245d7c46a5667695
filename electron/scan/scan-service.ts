import { runHasModel } from '../../shared/run';
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
import { DataError } from '../data/errors';
import { getDataset } from '../store/datasets';
import { listEvaluations } from '../store/evaluations';
import { getRun, getRunEncoding } from '../store/runs';
import type { Workspace } from '../store/workspace';
import type { ScanJobInput } from './scan-job';
import { detectScanInput, type ScanInputKind } from './item-lines';
import { getScan, insertScan, setScanState } from './scan-store';
import type { TextTarget } from '../data/readers/zeek-text';

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

/**
 * What the run's model reads: domain names (a DGA / domain model: imported from a domain list, or encoded
 * like one) or whole URLs. Behaviour-string models read conn.log flows, not text lines.
 */
function scanTarget(deps: ScanServiceDeps, runId: string, datasetId: string | null, enc: CharSeqJSON): TextTarget {
  const format = datasetId ? getDataset(deps.workspace.db, datasetId)?.format : undefined;
  if (format === 'zeek-behaviour') throw new ContractError('BAD_INPUT', `run '${runId}' reads behaviour strings; a scan needs a URL or domain model`);
  return format === 'domains' || enc.stripPublicSuffix || (format === undefined && enc.truncate === 'left') ? 'domain' : 'url';
}

/** How each file reads; a file no URL or domain model reads (a zeek conn.log, …) is refused up front. */
async function detectInputs(files: string[]): Promise<ScanInputKind[]> {
  const kinds: ScanInputKind[] = [];
  for (const f of files) {
    try {
      kinds.push(await detectScanInput(f));
    } catch (e) {
      if (e instanceof DataError) throw new ContractError('BAD_INPUT', `${f}${e.line ? `:${e.line}` : ''}: ${e.reason}`);
      throw e;
    }
  }
  return kinds;
}

async function launch(deps: ScanServiceDeps, scan: ScanInfo): Promise<string> {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const run = getRun(db, scan.runId ?? '');
  if (!run) throw new ContractError('NOT_FOUND', `the model run of scan '${scan.id}' was deleted`);
  const enc = getRunEncoding(db, run.id) as { featurizer: CharSeqJSON };
  const target = scanTarget(deps, run.id, run.datasetId, enc.featurizer);
  const inputs = await detectInputs(scan.files.slice(scan.cursor.file));
  const input: ScanJobInput = {
    scanId: scan.id,
    dbPath: workspace.dbPath,
    runDir: path.join(workspace.dir, 'runs', run.id),
    files: scan.files,
    inputs: [...scan.files.slice(0, scan.cursor.file).map((): ScanInputKind => 'list'), ...inputs],
    target,
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

export async function startScan(deps: ScanServiceDeps, req: OpParsedRequest<'scan.start'>): Promise<{ scanId: string; jobId: string }> {
  const db = deps.workspace.db;
  const run = getRun(db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (run.family !== 'sequences') throw new ContractError('BAD_INPUT', `run '${run.id}' (${run.modelId}) reads records; a URL scan needs a character model`);
  if (!runHasModel(run.status)) throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no model yet`);
  const enc = getRunEncoding(db, run.id) as { featurizer?: { kind?: string } } | undefined;
  if (enc?.featurizer?.kind !== 'charseq') throw new ContractError('BAD_INPUT', `run '${run.id}' has no character encoding`);
  const files = req.paths.map((p) => path.resolve(p));
  for (const f of files) {
    const st = fs.statSync(f, { throwIfNoEntry: false });
    if (!st) throw new ContractError('BAD_INPUT', `${f}: no such file`);
    if (!st.isFile()) throw new ContractError('BAD_INPUT', `${f}: not a regular file`);
  }
  scanTarget(deps, run.id, run.datasetId, (enc as unknown as { featurizer: CharSeqJSON }).featurizer);
  await detectInputs(files);
  const id = newId('scan');
  const name = req.name ?? files.map((f) => path.basename(f)).join(', ').slice(0, 120);
  insertScan(db, { id, name, runId: run.id, files, threshold: req.threshold });
  return { scanId: id, jobId: await launch(deps, requireScan(deps, id)) };
}

export async function resumeScan(deps: ScanServiceDeps, scanId: string): Promise<{ jobId: string }> {
  const scan = requireScan(deps, scanId);
  if (scan.status === 'running' || scan.status === 'queued') throw new ContractError('BAD_INPUT', `scan '${scan.id}' is already ${scan.status}`);
  if (scan.status === 'done') throw new ContractError('BAD_INPUT', `scan '${scan.id}' is complete`);
  for (const f of scan.files.slice(scan.cursor.file)) {
    if (!fs.existsSync(f)) throw new ContractError('BAD_INPUT', `${f}: no such file (it moved since the scan started)`);
  }
  return { jobId: await launch(deps, scan) };
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
