import type { BackendInfo } from '../../shared/domain';
import { createJobContext, JobCancelledError } from './context';
import { JOB_HANDLERS, JOBS_WITHOUT_TF } from './handlers';
import { connectWorkerPort } from './port';

/** Entry point of every job worker: pick the backend, run one job, report, exit. */
async function main(): Promise<void> {
  const port = connectWorkerPort();
  const data = await port.data;
  const flag = data.cancelBuffer ? new Int32Array(data.cancelBuffer) : undefined;
  let cancelRequested = false;
  port.onMessage((m) => {
    if (m.type === 'cancel') cancelRequested = true;
  });
  const isCancelled = () => cancelRequested || (flag !== undefined && Atomics.load(flag, 0) === 1);
  try {
    const handler = JOB_HANDLERS[data.kind];
    if (!handler) throw new Error(`job kind '${data.kind}' is not available in this build`);
    let backend: BackendInfo | undefined;
    if (!JOBS_WITHOUT_TF.has(data.kind)) {
      // Loaded on demand so jobs without tensors do not pay for TF.js.
      const { selectBackend } = await import('../compute/backend');
      backend = await selectBackend(data.backendOverride);
      port.post({ type: 'backend', info: backend });
    }
    const ctx = createJobContext({
      jobId: data.jobId,
      kind: data.kind,
      workspaceDir: data.workspaceDir,
      runningJobs: data.runningJobs,
      backend,
      post: (progress) => port.post({ type: 'progress', progress }),
      isCancelled,
    });
    const result = await handler(data.input, ctx);
    port.post({ type: 'result', result, cancelled: isCancelled() });
  } catch (err) {
    const cancelled = err instanceof JobCancelledError || isCancelled();
    const message = err instanceof Error ? err.message : String(err);
    port.post({ type: 'error', message, cancelled });
  }
  port.close();
}

void main();
