import { parentPort, workerData } from 'node:worker_threads';
import type { JobWorkerData, MainToWorker, WorkerToMain } from './protocol';

/**
 * The worker's link to whoever started it. Under worker_threads the start data comes as workerData;
 * an Electron utilityProcess has process.parentPort instead and gets the same data as its first message,
 * so job code only ever sees this interface.
 */
export interface WorkerPort {
  data: Promise<JobWorkerData>;
  post(message: WorkerToMain): void;
  onMessage(listener: (message: MainToWorker) => void): void;
  /** Releases the link so the worker can end; messages already posted are still delivered. */
  close(): void;
}

interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectWorkerPort(): WorkerPort {
  if (parentPort) {
    const port = parentPort;
    return {
      data: Promise.resolve(workerData as JobWorkerData),
      post: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (m: MainToWorker) => l(m)),
      close: () => port.close(),
    };
  }
  const utility = (process as unknown as { parentPort?: UtilityParentPort }).parentPort;
  if (!utility) throw new Error('job worker started outside a worker thread or utility process');
  const listeners: ((m: MainToWorker) => void)[] = [];
  let resolveData!: (d: JobWorkerData) => void;
  const data = new Promise<JobWorkerData>((r) => (resolveData = r));
  let started = false;
  utility.on('message', (e) => {
    if (!started) {
      started = true;
      resolveData(e.data as JobWorkerData);
      return;
    }
    for (const l of listeners) l(e.data as MainToWorker);
  });
  return {
    data,
    post: (m) => utility.postMessage(m),
    onMessage: (l) => listeners.push(l),
    close: () => process.exit(0),
  };
}
