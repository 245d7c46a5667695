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
import { getRun, getRunEncoding, listRuns } from '../store/runs';
import type { Workspace } from '../store/workspace';
import type { ScanJobInput } from './scan-job';
import { detectScanInput, inputFits, INPUT_NAMES, type ScanInputKind, type ScanItemOptions, type ScanTarget } from './item-lines';
import { openRecordsLike } from './record-items';
import type { TabularFeaturizerJSON } from '../data/featurize/tabular';
import type { BehaviourThresholds } from '../data/types';
import type { RunDetail } from '../../shared/run';
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

/** What a run's model reads, with what a scan needs to feed it. */
interface ModelInput {
  target: ScanTarget;
  featurizer: CharSeqJSON | TabularFeaturizerJSON;
  items: ScanItemOptions;
}

/**
 * What the run's model reads: domain names (a DGA / domain model: imported from a domain list, or encoded
 * like one), whole URLs, conn.log behaviour strings, or records of its training set's columns. Throws the
 * reason when the run cannot scan at all.
 */
function modelInput(deps: ScanServiceDeps, run: Pick<RunDetail, 'id' | 'modelId' | 'datasetId'> & { status: string }): ModelInput {
  const db = deps.workspace.db;
  if (!runHasModel(run.status)) throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no model yet`);
  const enc = getRunEncoding(db, run.id) as { featurizer?: CharSeqJSON | TabularFeaturizerJSON } | undefined;
  const featurizer = enc?.featurizer;
  const dataset = run.datasetId ? getDataset(db, run.datasetId) : undefined;
  if (featurizer?.kind === 'tabular') {
    return { target: 'records', featurizer, items: { maxFlows: 0, records: { format: dataset?.format ?? 'csv', featurizer } } };
  }
  if (featurizer?.kind !== 'charseq') throw new ContractError('BAD_INPUT', `run '${run.id}' (${run.modelId}) has no encoding a scan can use`);
  const format = dataset?.format;
  if (format === 'zeek-behaviour') {
    const options = (dataset?.options ?? {}) as { behaviourThresholds?: Partial<BehaviourThresholds> };
    return { target: 'behaviour', featurizer, items: { maxFlows: featurizer.maxLength, ...(options.behaviourThresholds ? { thresholds: options.behaviourThresholds } : {}) } };
  }
  const target = format === 'domains' || featurizer.stripPublicSuffix || (format === undefined && featurizer.truncate === 'left') ? 'domain' : 'url';
  return { target, featurizer, items: { maxFlows: 0 } };
}

const TARGET_NAMES: Record<ScanTarget, string> = {
  url: 'a URL model',
  domain: 'a domain model',
  behaviour: 'a behaviour-string model (Zeek conn.log)',
  records: 'a records model',
};

/**
 * Why a file cannot be scanned by a model of this input (records: its columns are checked): `why` for the
 * picker (by file name, naming the model that would read it), `refusal` for scan.start (by path and line).
 */
async function fileProblem(file: string, m: ModelInput): Promise<{ kind: ScanInputKind } | { why: string; refusal: string }> {
  const refused = (e: DataError) => `${file}${e.line ? `:${e.line}` : ''}: ${e.reason}`;
  try {
    if (m.target === 'records') {
      await openRecordsLike(file, m.items.records!);
      return { kind: 'records' };
    }
    const kind = await detectScanInput(file);
    if (!inputFits(kind, m.target)) {
      const fits = kind === 'zeek-conn' ? 'a behaviour-string model' : 'a URL or domain model';
      const why = `${path.basename(file)} is ${INPUT_NAMES[kind]}: ${TARGET_NAMES[m.target]} does not read it (${fits} does)`;
      // A text model meeting a conn.log: the line where its reader gives up, as for any Zeek log it does not read.
      const refusal = await detectScanInput(file, true).then(
        () => `${file}: ${why}`,
        (e: unknown) => (e instanceof DataError ? refused(e) : `${file}: ${why}`),
      );
      return { why, refusal };
    }
    return { kind };
  } catch (e) {
    if (e instanceof DataError) return { why: `${path.basename(file)}${e.line ? `:${e.line}` : ''}: ${e.reason}`, refusal: refused(e) };
    throw e;
  }
}

/** How each file reads; a file the model does not read (a conn.log for a URL model, records missing columns, …) is refused up front. */
async function detectInputs(files: string[], m: ModelInput): Promise<ScanInputKind[]> {
  const kinds: ScanInputKind[] = [];
  for (const f of files) {
    const r = await fileProblem(f, m);
    if ('why' in r) throw new ContractError('BAD_INPUT', r.refusal);
    kinds.push(r.kind);
  }
  return kinds;
}

/**
 * For the Scan view's picker: each run with a model, whether it reads the chosen files, and why not. Files are
 * probed once per kind of model input (a URL model and a domain model read the same files).
 */
export async function scanModels(deps: ScanServiceDeps, paths: string[]): Promise<{ runId: string; fits: boolean; reason: string | null }[]> {
  const files = paths.map((p) => path.resolve(p));
  const out: { runId: string; fits: boolean; reason: string | null }[] = [];
  const cache = new Map<string, string | null>();
  for (const run of listRuns(deps.workspace.db)) {
    let m: ModelInput;
    try {
      m = modelInput(deps, run);
    } catch (e) {
      if (e instanceof ContractError) {
        out.push({ runId: run.id, fits: false, reason: e.message });
        continue;
      }
      throw e;
    }
    const key = m.target === 'records' ? JSON.stringify(m.items.records) : m.target === 'behaviour' ? 'behaviour' : 'text';
    if (!cache.has(key)) {
      let reason: string | null = null;
      for (const f of files) {
        if (!fs.statSync(f, { throwIfNoEntry: false })?.isFile()) {
          reason = `${f}: no such file`;
          break;
        }
        const r = await fileProblem(f, m);
        if ('why' in r) {
          reason = r.why;
          break;
        }
      }
      cache.set(key, reason);
    }
    const reason = cache.get(key)!;
    out.push({ runId: run.id, fits: reason === null, reason });
  }
  return out;
}

async function launch(deps: ScanServiceDeps, scan: ScanInfo): Promise<string> {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const run = getRun(db, scan.runId ?? '');
  if (!run) throw new ContractError('NOT_FOUND', `the model run of scan '${scan.id}' was deleted`);
  const m = modelInput(deps, run);
  const inputs = await detectInputs(scan.files.slice(scan.cursor.file), m);
  const input: ScanJobInput = {
    scanId: scan.id,
    dbPath: workspace.dbPath,
    runDir: path.join(workspace.dir, 'runs', run.id),
    files: scan.files,
    inputs: [...scan.files.slice(0, scan.cursor.file).map((): ScanInputKind => 'list'), ...inputs],
    target: m.target,
    featurizer: m.featurizer,
    items: m.items,
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
  const m = modelInput(deps, run);
  const files = req.paths.map((p) => path.resolve(p));
  for (const f of files) {
    const st = fs.statSync(f, { throwIfNoEntry: false });
    if (!st) throw new ContractError('BAD_INPUT', `${f}: no such file`);
    if (!st.isFile()) throw new ContractError('BAD_INPUT', `${f}: not a regular file`);
  }
  await detectInputs(files, m);
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
