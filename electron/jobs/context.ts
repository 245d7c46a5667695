import type { BackendInfo, JobKind } from '../../shared/domain';
import type { ProgressUpdate } from './protocol';

export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

/** What every job handler gets: a way to report progress and to learn that it should stop. */
export interface JobContext {
  jobId: string;
  kind: JobKind;
  workspaceDir: string;
  /** Jobs running when this one started, itself included. */
  runningJobs: number;
  /** Undefined for jobs that do not use TF.js (see JOBS_WITHOUT_TF). */
  backend: BackendInfo | undefined;
  /** Throttled; pass force for milestones (an epoch end) that must reach the UI. */
  progress(update: ProgressUpdate, force?: boolean): void;
  shouldStop(): boolean;
  throwIfCancelled(): void;
}

export type JobHandler = (input: unknown, ctx: JobContext) => Promise<unknown>;

const PROGRESS_INTERVAL_MS = 100;

export function createJobContext(opts: {
  jobId: string;
  kind: JobKind;
  workspaceDir: string;
  runningJobs: number;
  backend: BackendInfo | undefined;
  post: (update: ProgressUpdate) => void;
  isCancelled: () => boolean;
}): JobContext {
  let last = 0;
  return {
    jobId: opts.jobId,
    kind: opts.kind,
    workspaceDir: opts.workspaceDir,
    runningJobs: opts.runningJobs,
    backend: opts.backend,
    progress(update, force = false) {
      const now = Date.now();
      if (!force && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      opts.post(update);
    },
    shouldStop: opts.isCancelled,
    throwIfCancelled() {
      if (opts.isCancelled()) throw new JobCancelledError();
    },
  };
}
