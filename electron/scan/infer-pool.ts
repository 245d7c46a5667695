import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntry } from '../jobs/spawn';
import type { FromInfer, InferInit, ToInfer } from './infer-protocol';

/** The bundled scan-infer.js sits beside the job worker that runs the scan. */
function spawn(init: InferInit): Worker {
  return startWorker(workerEntry(import.meta.url, './infer-worker.ts', './scan-infer.js'), { workerData: init });
}

/** How long a closing worker may take to finish its batch before it is terminated. */
const CLOSE_GRACE_MS = 30_000;

interface Waiter {
  resolve: (p: Float32Array) => void;
  reject: (e: Error) => void;
}

/**
 * Worker threads that each hold the model and score batches handed to them round-robin. The scan job thread
 * keeps reading, deduplicating and committing meanwhile; it awaits results in the order it sent them.
 */
export class InferencePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, Waiter>();
  private next = 0;
  private ids = 0;
  private failure: Error | null = null;
  private closed = false;
  /** What the workers compute with (the first worker's report; all open the same run the same way). */
  engine = '';

  private constructor(init: InferInit, size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = spawn(init);
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`scan inference worker exited with code ${code}`));
      });
      return w;
    });
  }

  static async start(init: InferInit, size: number): Promise<InferencePool> {
    const pool = new InferencePool(init, size);
    try {
      await Promise.all(
        pool.workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onFirst = (m: FromInfer) => {
                if (m.type === 'ready') {
                  pool.engine ||= m.engine;
                  resolve();
                }
                else reject(new Error(m.type === 'error' ? m.message : `unexpected '${m.type}'`));
              };
              w.once('message', onFirst);
              w.once('error', reject);
            }),
        ),
      );
    } catch (e) {
      await pool.close();
      throw e;
    }
    for (const w of pool.workers) w.on('message', (m: FromInfer) => pool.onMessage(m));
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private onMessage(m: FromInfer): void {
    if (m.type === 'error') return this.fail(new Error(m.message));
    if (m.type !== 'predicted') return;
    const w = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    w?.resolve(m.proba);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  /** Scores `rows` encoded rows; `x` is transferred (unusable afterwards). */
  predict(x: Int32Array | Float32Array, rows: number): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.ids++;
    const worker = this.workers[this.next];
    this.next = (this.next + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ type: 'predict', id, x, rows } satisfies ToInfer, [x.buffer as ArrayBuffer]);
    });
  }

  /** Lets each worker finish its batch and release its model, then ends it; terminates one that hangs. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate(), CLOSE_GRACE_MS);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.postMessage({ type: 'close' } satisfies ToInfer);
          }),
      ),
    );
  }
}
