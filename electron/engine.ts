import os from 'node:os';
import type { OpName, OpParsedRequest, OpResponse } from '../shared/contract';
import type { AppInfo, BackendInfo } from '../shared/domain';
import { ContractError } from '../shared/errors';
import { EventHub } from './events';
import { JobManager } from './jobs/manager';
import { openWorkspace, type Workspace } from './store/workspace';
import { listDatasets } from './store/datasets';
import { deleteRun, listRuns } from './store/runs';
import { listModelInfos } from '../models/catalog';
import { APP_VERSION } from './version';

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
    'datasets.list': async () => listDatasets(workspace.db),
    'runs.list': async () => listRuns(workspace.db),
    'runs.delete': async ({ runId }) => {
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
    async close() {
      await jobs.close();
      workspace.close();
    },
  };
}
