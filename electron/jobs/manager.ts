import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { BackendInfo, JobInfo, JobKind, JobProgress } from '../../shared/domain';
import type { JobWorkerData, ProgressUpdate, WorkerToMain } from './protocol';
import { startWorker, workerEntry } from './spawn';

export interface StartOptions {
  /** Runs on the main side with the worker's result, e.g. to write rows; a throw fails the job. */
  onResult?: (result: unknown, job: JobInfo) => unknown | Promise<unknown>;
  /** Every progress update of this job, on the main side (e.g. to store each finished epoch). */
  onProgress?: (p: JobProgress) => void;
  /** Runs on the main side when the job ends without success (failed or cancelled), e.g. to remove partial files. */
  onAbandon?: (job: JobInfo) => void;
  /** Hidden jobs (the backend probe) do not show in the job list. */
  hidden?: boolean;
  resourceLimits?: ResourceLimits;
}

export interface JobManagerOptions {
  workspaceDir: string;
  backendOverride?: string;
  maxConcurrent?: number;
  emitProgress?: (p: JobProgress) => void;
  emitUpdated?: (job: JobInfo) => void;
  onBackend?: (info: BackendInfo) => void;
}

/** What a job run on the main side gets: its cancel signal and a way to report progress. */
export interface HostedJobContext {
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

interface Entry {
  info: JobInfo;
  input: unknown;
  opts: StartOptions;
  worker?: Worker;
  /** Hosted jobs only: aborted on cancel. */
  abort?: AbortController;
  cancelFlag?: Int32Array;
  settled: Promise<JobInfo>;
  settle: (info: JobInfo) => void;
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);
/** How long close() lets running jobs react to their cancel before their threads are terminated. */
const CLOSE_GRACE_MS = 5000;

/**
 * Runs each job in its own worker thread so training and scans never block the main side,
 * and a worker that crashes takes only its own job down.
 */
export class JobManager {
  private readonly jobs = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running = 0;
  private readonly maxConcurrent: number;
  private closed = false;

  constructor(private readonly opts: JobManagerOptions) {
    this.maxConcurrent = opts.maxConcurrent ?? Math.max(1, Math.min(2, os.availableParallelism()));
  }

  start(kind: JobKind, title: string, input: unknown, opts: StartOptions = {}): JobInfo {
    if (this.closed) throw new Error('job manager is closed');
    const info: JobInfo = { id: randomUUID(), kind, title, status: 'queued', createdAt: Date.now() };
    let settle!: (i: JobInfo) => void;
    const settled = new Promise<JobInfo>((r) => (settle = r));
    const entry: Entry = { info, input, opts, settled, settle };
    this.jobs.set(info.id, entry);
    this.queue.push(entry);
    this.updated(entry);
    this.pump();
    return { ...info };
  }

  /**
   * A job whose body runs on the main side and only orchestrates other jobs (a sweep starts its trials as
   * worker jobs): it takes no worker slot, so the jobs it waits for can run, yet it shows in the job list with
   * progress and is cancelled like any other job (its body sees the signal and cancels what it started).
   */
  startHosted(kind: JobKind, title: string, body: (ctx: HostedJobContext) => Promise<unknown>): JobInfo {
    if (this.closed) throw new Error('job manager is closed');
    const info: JobInfo = { id: randomUUID(), kind, title, status: 'running', createdAt: Date.now(), startedAt: Date.now() };
    let settle!: (i: JobInfo) => void;
    const settled = new Promise<JobInfo>((r) => (settle = r));
    const abort = new AbortController();
    const entry: Entry = { info, input: undefined, opts: {}, settled, settle, abort };
    this.jobs.set(info.id, entry);
    this.updated(entry);
    const ctx: HostedJobContext = {
      signal: abort.signal,
      progress: (update) => {
        const progress: JobProgress = { ...update, jobId: info.id, kind };
        entry.info.progress = progress;
        this.opts.emitProgress?.(progress);
      },
    };
    // Deferred one tick so the caller holds the job id before the body can report on it.
    void Promise.resolve()
      .then(() => body(ctx))
      .then(
        (result) => {
          entry.info.result = result;
          this.finish(entry, abort.signal.aborted ? 'cancelled' : 'done', undefined, false);
        },
        (err: unknown) => {
          if (abort.signal.aborted) this.finish(entry, 'cancelled');
          else this.finish(entry, 'failed', err instanceof Error ? err.message : String(err));
        },
      );
    return { ...info };
  }

  get(jobId: string): JobInfo | undefined {
    const e = this.jobs.get(jobId);
    return e ? { ...e.info } : undefined;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].filter((e) => !e.opts.hidden).map((e) => ({ ...e.info }));
  }

  wait(jobId: string): Promise<JobInfo> {
    const e = this.jobs.get(jobId);
    if (!e) return Promise.reject(new Error(`no job ${jobId}`));
    return e.settled;
  }

  cancel(jobId: string): boolean {
    const e = this.jobs.get(jobId);
    if (!e || FINISHED.has(e.info.status)) return false;
    if (e.abort) {
      e.abort.abort();
      return true;
    }
    if (e.info.status === 'queued') {
      this.queue.splice(this.queue.indexOf(e), 1);
      this.finish(e, 'cancelled');
      return true;
    }
    if (e.cancelFlag) Atomics.store(e.cancelFlag, 0, 1);
    e.worker?.postMessage({ type: 'cancel' });
    return true;
  }

  /** Run a job and resolve with its result; rejects with the job's error. */
  async run(kind: JobKind, title: string, input: unknown, opts: StartOptions = {}): Promise<unknown> {
    const info = this.start(kind, title, input, opts);
    const done = await this.wait(info.id);
    if (done.status !== 'done') throw new Error(done.error ?? `job ${done.status}`);
    return done.result;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.queue.splice(0)) this.finish(e, 'cancelled');
    for (const e of this.jobs.values()) if (e.abort && !FINISHED.has(e.info.status)) e.abort.abort();
    // Running jobs get a cancel and a moment to stop cleanly first: a job holding native sessions
    // (onnxruntime in scan workers) aborts the process if its thread is terminated mid-use.
    const running = [...this.jobs.values()].filter((e) => e.worker && !FINISHED.has(e.info.status));
    for (const e of running) this.cancel(e.info.id);
    await Promise.race([Promise.all(running.map((e) => this.wait(e.info.id))), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
    await Promise.all([...this.jobs.values()].map((e) => e.worker?.terminate()));
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      this.launch(entry);
    }
  }

  private launch(entry: Entry): void {
    this.running++;
    entry.info.status = 'running';
    entry.info.startedAt = Date.now();
    const cancelBuffer = new SharedArrayBuffer(4);
    entry.cancelFlag = new Int32Array(cancelBuffer);
    const data: JobWorkerData = {
      jobId: entry.info.id,
      kind: entry.info.kind,
      input: entry.input,
      workspaceDir: this.opts.workspaceDir,
      runningJobs: this.running,
      cancelBuffer,
      ...(this.opts.backendOverride ? { backendOverride: this.opts.backendOverride } : {}),
    };
    let worker: Worker;
    try {
      worker = startWorker(workerEntry(import.meta.url, './worker.ts', './job-worker.js'), { workerData: data, ...(entry.opts.resourceLimits ? { resourceLimits: entry.opts.resourceLimits } : {}) });
    } catch (err) {
      this.running--;
      this.finish(entry, 'failed', `could not start worker: ${(err as Error).message}`);
      this.pump();
      return;
    }
    entry.worker = worker;
    this.updated(entry);
    let outcome: WorkerToMain | undefined;
    worker.on('message', (m: WorkerToMain) => {
      switch (m.type) {
        case 'backend':
          this.opts.onBackend?.(m.info);
          break;
        case 'progress': {
          const progress: JobProgress = { ...m.progress, jobId: entry.info.id, kind: entry.info.kind };
          entry.info.progress = progress;
          try {
            entry.opts.onProgress?.(progress);
          } catch {
            // A bookkeeping failure must not stop the job; the final result is stored again at the end.
          }
          if (!entry.opts.hidden) this.opts.emitProgress?.(progress);
          break;
        }
        case 'result':
        case 'error':
          outcome = m;
          break;
      }
    });
    let crash: Error | undefined;
    worker.on('error', (err) => (crash = err));
    worker.on('exit', (code) => {
      entry.worker = undefined;
      this.running--;
      void this.conclude(entry, outcome, crash, code).finally(() => this.pump());
    });
  }

  private async conclude(entry: Entry, outcome: WorkerToMain | undefined, crash: Error | undefined, code: number) {
    if (outcome?.type === 'result') {
      try {
        entry.info.result = entry.opts.onResult ? await entry.opts.onResult(outcome.result, { ...entry.info }) : outcome.result;
        // A cancelled job that still delivered (the best checkpoint so far) is kept, and reported as cancelled.
        this.finish(entry, outcome.cancelled ? 'cancelled' : 'done', undefined, false);
      } catch (err) {
        this.finish(entry, 'failed', (err as Error).message);
      }
    } else if (outcome?.type === 'error') {
      this.finish(entry, outcome.cancelled ? 'cancelled' : 'failed', outcome.cancelled ? undefined : outcome.message);
    } else if (entry.cancelFlag && Atomics.load(entry.cancelFlag, 0) === 1 && !crash) {
      this.finish(entry, 'cancelled');
    } else {
      const why = crash ? crash.message : `worker exited with code ${code}`;
      this.finish(entry, 'failed', `worker crashed: ${why}`);
    }
  }

  private finish(entry: Entry, status: 'done' | 'failed' | 'cancelled', error?: string, abandoned = status !== 'done'): void {
    entry.info.status = status;
    entry.info.finishedAt = Date.now();
    if (error !== undefined) entry.info.error = error;
    if (abandoned) {
      try {
        entry.opts.onAbandon?.({ ...entry.info });
      } catch {
        // Clean-up is best effort; the job's own outcome is what the analyst needs to see.
      }
    }
    this.updated(entry);
    entry.settle({ ...entry.info });
  }

  private updated(entry: Entry): void {
    if (!entry.opts.hidden) this.opts.emitUpdated?.({ ...entry.info });
  }
}
