import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntry } from '../../jobs/spawn';
import { CTRL, type FromReplica, type ReplicaInit, type ToReplica } from './protocol';

function spawn(init: ReplicaInit): Worker {
  return startWorker(workerEntry(import.meta.url, './replica-worker.ts', './train-replica.js'), { workerData: init });
}

/** The replica workers, driven in lock-step: every request goes to all of them and resolves when all answered. */
export class ReplicaPool {
  private readonly workers: Worker[];
  private pending: { expect: FromReplica['type']; left: number; replies: FromReplica[]; resolve: (r: FromReplica[]) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private closed = false;

  private constructor(inits: ReplicaInit[], private readonly ctrl: Int32Array) {
    this.workers = inits.map((init) => {
      const w = spawn(init);
      w.on('message', (m: FromReplica) => this.onMessage(m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`replica worker exited with code ${code}`));
      });
      return w;
    });
  }

  static async start(inits: ReplicaInit[]): Promise<ReplicaPool> {
    const pool = new ReplicaPool(inits, inits[0].ctrl);
    try {
      await pool.expect('ready');
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private onMessage(m: FromReplica): void {
    if (m.type === 'error') return this.fail(new Error(m.message));
    const p = this.pending;
    if (!p || m.type !== p.expect) return this.fail(new Error(`replica sent '${m.type}' unexpectedly`));
    p.replies.push(m);
    if (--p.left === 0) {
      this.pending = null;
      p.resolve(p.replies);
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    Atomics.store(this.ctrl, CTRL.abort, 1);
    Atomics.notify(this.ctrl, CTRL.generation);
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  private expect(type: FromReplica['type'], send?: ToReplica): Promise<FromReplica[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { expect: type, left: this.workers.length, replies: [], resolve, reject };
      if (send) for (const w of this.workers) w.postMessage(send);
    });
  }

  /** One optimiser step on rows [from, to) of the shared order; loss = the full batch's mean loss. */
  async step(from: number, to: number): Promise<{ loss: number; correct: number }> {
    const replies = (await this.expect('stepped', { type: 'step', from, to })) as Extract<FromReplica, { type: 'stepped' }>[];
    let loss = 0;
    let correct = 0;
    for (const r of replies) {
      loss += r.loss;
      correct += r.correct;
    }
    return { loss, correct };
  }

  async predict(from: number, to: number, batchSize: number): Promise<void> {
    await this.expect('predicted', { type: 'predict', from, to, batchSize });
  }

  /** Replica `r` (default 0; all hold the same weights) writes its weights to the shared weights buffer. */
  async pull(r = 0): Promise<void> {
    const p = this.expect('pulled');
    this.pending!.left = 1;
    this.workers[r].postMessage({ type: 'pull' } satisfies ToReplica);
    await p;
  }

  get size(): number {
    return this.workers.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
