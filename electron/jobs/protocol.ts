import type { BackendInfo, JobKind, JobProgress } from '../../shared/domain';

/** What a job worker is started with. */
export interface JobWorkerData {
  jobId: string;
  kind: JobKind;
  input: unknown;
  workspaceDir: string;
  backendOverride?: string;
  /** Jobs running when this one started (itself included): a job alone on the machine may use every core. */
  runningJobs: number;
  /** Int32Array[0] = 1 asks the job to stop; shared memory lets a busy synchronous loop see it at once. */
  cancelBuffer?: SharedArrayBuffer;
}

export type ProgressUpdate = Omit<JobProgress, 'jobId' | 'kind'>;

export type WorkerToMain =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'progress'; progress: ProgressUpdate }
  /** cancelled: the job stopped early on request but still produced something worth keeping (a checkpoint). */
  | { type: 'result'; result: unknown; cancelled: boolean }
  | { type: 'error'; message: string; cancelled: boolean };

export type MainToWorker = { type: 'cancel' };
