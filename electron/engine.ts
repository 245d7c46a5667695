import os from 'node:os';
import type { OpName, OpParsedRequest, OpResponse } from '../shared/contract';
import type { AppInfo, BackendInfo } from '../shared/domain';
import { ContractError } from '../shared/errors';
import { EventHub } from './events';
import { JobManager } from './jobs/manager';
import { openWorkspace, type Workspace } from './store/workspace';
import { startImport } from './data/import-service';
import { deleteDataset, getDataset, listDatasets, readSample } from './store/datasets';
import { deleteRun, getRun, listRuns, renameRun, updateRunNotes } from './store/runs';
import { detectFile } from './eval/encode-like';
import { getEvaluationResult, listEvalRecords, listEvaluations as listEvaluationInfos, startComparison, startEvaluation } from './eval/eval-service';
import { resumeTraining, startTraining } from './train/train-service';
import { operatingCurve, resumeScan, scanModels, startScan } from './scan/scan-service';
import { inspectExplain, inspectQuery } from './explain/inspect-service';
import { deleteEmbedding, getEmbedding, listEmbeddings, startEmbedding } from './embed/embed-service';
import { getScan, listScans, readResults, resultDetail, setScanThreshold } from './scan/scan-store';
import { listEvaluations } from './store/evaluations';
import type { EvalResult } from '../shared/eval';
import { listModelInfos } from '../models/catalog';
import { listPresets } from '../models/presets';
import { APP_VERSION } from './version';
import { startOnnxExport } from './onnx/export-service';
import { startEnsemble } from './ensemble/ensemble-service';
import { getSweep, listSweeps, startSweep } from './sweep/sweep-service';
import { deleteSweep, getSweepRow } from './store/sweeps';
import { startBundleExport } from './bundle/bundle-service';
import { triageHandlers } from './triage/triage-service';

export type Handlers = {
  [K in OpName]: (request: OpParsedRequest<K>) => Promise<OpResponse<K>>;
};

export interface EngineOptions {
  workspaceDir: string;
  transport: AppInfo['transport'];
  backendOverride?: string;
  maxConcurrentJobs?: number;
}

export interface Engine {
  handlers: Handlers;
  events: EventHub;
  jobs: JobManager;
  workspace: Workspace;
  backend(): Promise<BackendInfo>;
  /** Stored evaluations of a run, newest first. */
  evaluations(runId: string): EvalResult[];
  close(): Promise<void>;
}

/** The engine's services behind the contract; it neither knows nor cares which front door called it. */
export function createEngine(opts: EngineOptions): Engine {
  const workspace = openWorkspace(opts.workspaceDir);
  const events = new EventHub();
  const jobs = new JobManager({
    workspaceDir: workspace.dir,
    ...(opts.backendOverride ? { backendOverride: opts.backendOverride } : {}),
    ...(opts.maxConcurrentJobs ? { maxConcurrent: opts.maxConcurrentJobs } : {}),
    emitProgress: (p) => events.emit('job.progress', p),
    emitUpdated: (j) => events.emit('job.updated', j),
  });

  let backendPromise: Promise<BackendInfo> | undefined;
  const backend = () => {
    // Probed in a worker: loading TF.js is compute-side work and must not stall the main side.
    backendPromise ??= jobs.run('probe', 'backend probe', {}, { hidden: true }).then((r) => r as BackendInfo);
    backendPromise.catch(() => (backendPromise = undefined));
    return backendPromise;
  };

  const notFound = (what: string, id: string) => new ContractError('NOT_FOUND', `${what} '${id}' does not exist`);

  const handlers: Handlers = {
    ...triageHandlers({ workspace, events, jobs }),
    'app.info': async () => ({
      name: 'DeepTriage',
      version: APP_VERSION,
      transport: opts.transport,
      workspace: workspace.info(),
      platform: `${process.platform}-${process.arch}`,
      cpus: os.availableParallelism(),
    }),
    'backend.info': () => backend(),
    'models.list': async () => listModelInfos(),
    'models.presets': async () => listPresets(),
    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw notFound('job', jobId);
      return job;
    },
    'jobs.cancel': async ({ jobId }) => {
      if (!jobs.get(jobId)) throw notFound('job', jobId);
      return { cancelled: jobs.cancel(jobId) };
    },
    'compute.benchmark': async ({ size, repeats }) => {
      const job = jobs.start('benchmark', `matmul benchmark ${size}×${size} ×${repeats}`, { size, repeats });
      return { jobId: job.id };
    },
    'scan.start': async (req) => startScan({ workspace, jobs, events }, req),
    'scan.resume': async ({ scanId }) => resumeScan({ workspace, jobs, events }, scanId),
    'scan.models': async ({ paths }) => scanModels({ workspace, jobs, events }, paths),
    'scans.detail': async ({ scanId, item }) => {
      const scan = getScan(workspace.db, scanId);
      if (!scan) throw new ContractError('NOT_FOUND', `scan '${scanId}' does not exist`);
      const d = resultDetail(workspace.db, scanId, item);
      if (!d) throw new ContractError('NOT_FOUND', `scan '${scanId}' has no result '${item.slice(0, 80)}'`);
      return { item, file: scan.files[d.fileIndex] ?? '', line: d.line, record: d.detail };
    },
    'scans.list': async () => listScans(workspace.db),
    'scans.get': async ({ scanId }) => {
      const scan = getScan(workspace.db, scanId);
      if (!scan) throw notFound('scan', scanId);
      return { scan, curve: scan.runId ? operatingCurve({ workspace, jobs, events }, scan.runId) : null };
    },
    'scans.setThreshold': async ({ scanId, threshold }) => {
      if (!getScan(workspace.db, scanId)) throw notFound('scan', scanId);
      setScanThreshold(workspace.db, scanId, threshold);
      return getScan(workspace.db, scanId)!;
    },
    'scans.results': async ({ scanId, offset, limit, minScore }) => {
      const scan = getScan(workspace.db, scanId);
      if (!scan) throw notFound('scan', scanId);
      return readResults(workspace.db, scanId, scan.files, { offset, limit, minScore });
    },
    'scans.delete': async ({ scanId }) => {
      const scan = getScan(workspace.db, scanId);
      if (!scan) throw notFound('scan', scanId);
      if (scan.jobId) jobs.cancel(scan.jobId);
      workspace.db.prepare('DELETE FROM scans WHERE id = ?').run(scanId);
      events.emit('scans.changed', {});
      return { deleted: true };
    },
    'datasets.list': async () => listDatasets(workspace.db),
    'datasets.import': async (req) => startImport({ workspace, jobs, events }, req),
    'datasets.detect': async ({ path: file }) => detectFile(workspace.db, file),
    'datasets.get': async ({ datasetId }) => {
      const d = getDataset(workspace.db, datasetId);
      if (!d) throw notFound('dataset', datasetId);
      return d;
    },
    'datasets.sample': async ({ datasetId, limit }) => {
      const rows = readSample(workspace.db, datasetId, limit);
      if (!rows) throw notFound('dataset', datasetId);
      return rows;
    },
    'datasets.delete': async ({ datasetId }) => {
      if (!deleteDataset(workspace, datasetId)) throw notFound('dataset', datasetId);
      events.emit('datasets.changed', {});
      return { deleted: true };
    },
    'files.pick': async () => {
      throw new ContractError('NOT_AVAILABLE', 'the native file dialog exists only in the desktop window; type a path or drop a file');
    },
    'runs.list': async () => listRuns(workspace.db),
    'runs.get': async ({ runId }) => {
      const r = getRun(workspace.db, runId);
      if (!r) throw notFound('run', runId);
      return r;
    },
    'train.start': async (req) => ({ runs: startTraining({ workspace, jobs, events }, req) }),
    'sweep.start': async (req) => startSweep({ workspace, jobs, events }, req),
    'sweeps.list': async () => listSweeps({ workspace, jobs, events }),
    'sweeps.get': async ({ sweepId }) => getSweep({ workspace, jobs, events }, sweepId),
    'sweeps.delete': async ({ sweepId }) => {
      const row = getSweepRow(workspace.db, sweepId);
      if (!row) throw notFound('sweep', sweepId);
      if (row.job_id) jobs.cancel(row.job_id);
      deleteSweep(workspace.db, sweepId);
      events.emit('sweeps.changed', {});
      return { deleted: true };
    },
    'runs.resume': async (req) => resumeTraining({ workspace, jobs, events }, req),
    'runs.update': async ({ runId, tags, note }) => {
      if (!updateRunNotes(workspace.db, runId, tags, note)) throw notFound('run', runId);
      events.emit('runs.changed', {});
      return getRun(workspace.db, runId)!;
    },
    'runs.rename': async ({ runId, name }) => {
      if (!renameRun(workspace.db, runId, name)) throw notFound('run', runId);
      events.emit('runs.changed', {});
      return getRun(workspace.db, runId)!;
    },
    'eval.start': async (req) => startEvaluation({ workspace, jobs, events }, req),
    'evals.list': async ({ runIds }) => listEvaluationInfos({ workspace, jobs, events }, runIds),
    'evals.get': async ({ evalId }) => {
      const { info, result } = getEvaluationResult({ workspace, jobs, events }, evalId);
      return { info, result };
    },
    'evals.records': async (req) => listEvalRecords({ workspace, jobs, events }, req),
    'inspect.query': (req) => inspectQuery({ workspace, jobs }, req),
    'inspect.explain': (req) => inspectExplain({ workspace, jobs }, req),
    'compare.start': async (req) => startComparison({ workspace, jobs, events }, req),
    'embed.start': async (req) => startEmbedding({ workspace, jobs }, req),
    'embed.get': async ({ mapId }) => getEmbedding({ workspace, jobs }, mapId),
    'embed.list': async ({ runId }) => listEmbeddings({ workspace, jobs }, runId),
    'embed.delete': async ({ mapId }) => ({ deleted: deleteEmbedding({ workspace, jobs }, mapId) }),
    'runs.exportOnnx': async (req) => startOnnxExport({ workspace, jobs }, req),
    'ensemble.create': async (req) => startEnsemble({ workspace, jobs, events }, req),
    'runs.exportBundle': async (req) => startBundleExport({ workspace, jobs }, req),
    'runs.delete': async ({ runId }) => {
      // A run still training is stopped first, so no worker writes into a folder that is being removed.
      const jobId = getRun(workspace.db, runId)?.jobId;
      if (jobId) jobs.cancel(jobId);
      const deleted = deleteRun(workspace, runId);
      if (!deleted) throw notFound('run', runId);
      events.emit('runs.changed', {});
      return { deleted };
    },
  };

  return {
    handlers,
    events,
    jobs,
    workspace,
    backend,
    evaluations: (runId) => listEvaluations(workspace.db, runId).map((e) => e.result as EvalResult),
    async close() {
      await jobs.close();
      workspace.close();
    },
  };
}
