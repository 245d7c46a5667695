import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { JobInfo, JobProgress } from '../../../shared/domain';
import { JobManager } from '../../../electron/jobs/manager';
import { tempDir } from '../../helpers/temp';

const progress: JobProgress[] = [];
const updates: JobInfo[] = [];
const jobs = new JobManager({
  workspaceDir: tempDir(),
  maxConcurrent: 1,
  emitProgress: (p) => progress.push(p),
  emitUpdated: (j) => updates.push(j),
});
after(() => jobs.close());

test('a job runs in a worker, streams progress and returns its result', async () => {
  const info = jobs.start('benchmark', 'bench', { size: 64, repeats: 30 });
  const done = await jobs.wait(info.id);
  assert.equal(done.status, 'done', done.error);
  const result = done.result as { size: number; repeats: number; gflops: number; backend: string };
  assert.equal(result.size, 64);
  assert.equal(result.repeats, 30);
  assert.ok(result.gflops > 0);
  assert.equal(result.backend, 'wasm');
  const mine = progress.filter((p) => p.jobId === info.id);
  assert.ok(mine.length >= 1);
  assert.ok(mine.every((p) => p.fraction! > 0 && p.fraction! <= 1));
  assert.deepEqual(
    updates.filter((u) => u.id === info.id).map((u) => u.status),
    ['queued', 'running', 'done'],
  );
});

test('cancel stops a running job and marks it cancelled', async () => {
  const info = jobs.start('benchmark', 'long bench', { size: 512, repeats: 100_000 });
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (progress.some((p) => p.jobId === info.id)) {
        clearInterval(t);
        resolve();
      }
    }, 20);
  });
  assert.equal(jobs.cancel(info.id), true);
  const done = await jobs.wait(info.id);
  assert.equal(done.status, 'cancelled');
  assert.equal(jobs.cancel(info.id), false);
});

test('a queued job can be cancelled before it starts; the queue then moves on', async () => {
  const first = jobs.start('benchmark', 'first', { size: 64, repeats: 20 });
  const second = jobs.start('benchmark', 'second', { size: 64, repeats: 20 });
  assert.equal(jobs.get(second.id)?.status, 'queued');
  assert.equal(jobs.cancel(second.id), true);
  const third = jobs.start('benchmark', 'third', { size: 64, repeats: 5 });
  assert.equal((await jobs.wait(first.id)).status, 'done');
  assert.equal((await jobs.wait(second.id)).status, 'cancelled');
  assert.equal((await jobs.wait(third.id)).status, 'done');
});

test('a worker that crashes fails its job and the manager keeps working', async () => {
  // A real crash: the worker's heap limit is far below what TF.js needs to load.
  const crashed = jobs.start('benchmark', 'doomed', { size: 64, repeats: 5 }, { resourceLimits: { maxOldGenerationSizeMb: 4 } });
  const done = await jobs.wait(crashed.id);
  assert.equal(done.status, 'failed');
  assert.match(done.error ?? '', /worker crashed/);
  const after = jobs.start('benchmark', 'survivor', { size: 32, repeats: 3 });
  assert.equal((await jobs.wait(after.id)).status, 'done');
});

test('a job handler error fails the job with its message', async () => {
  const bad = jobs.start('benchmark', 'bad input', { size: 'huge' });
  const done = await jobs.wait(bad.id);
  assert.equal(done.status, 'failed');
  assert.match(done.error ?? '', /size/);
});

test('an onResult hook that throws fails the job', async () => {
  const info = jobs.start('benchmark', 'hooked', { size: 32, repeats: 2 }, {
    onResult: () => {
      throw new Error('store refused the row');
    },
  });
  const done = await jobs.wait(info.id);
  assert.equal(done.status, 'failed');
  assert.equal(done.error, 'store refused the row');
});
