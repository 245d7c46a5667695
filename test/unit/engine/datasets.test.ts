import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../../electron/engine';
import { createRouter } from '../../../electron/router';
import type { OpName, OpRequest, OpResponse } from '../../../shared/contract';
import { SHARED_DATA, tempDir } from '../../helpers/temp';

const workspaceDir = tempDir();
let engine: Engine = createEngine({ workspaceDir, transport: 'cli' });
after(() => engine.close());

async function call<K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>> {
  const r = await createRouter(engine.handlers)(op, payload);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as OpResponse<K>;
}

async function importAndWait(payload: OpRequest<'datasets.import'>) {
  const { jobId } = await call('datasets.import', payload);
  return engine.jobs.wait(jobId);
}

const NSL_TEST = path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt');
const NSL_TRAIN20 = path.join(SHARED_DATA, 'nsl-kdd', 'KDDTrain+_20Percent.txt');
let trainId = '';

test('importing NSL-KDD through the engine stores the dataset with its summary, encoding and sample', async () => {
  const job = await importAndWait({ path: NSL_TRAIN20, options: {} });
  assert.equal(job.status, 'done', job.error);
  trainId = (job.result as { datasetId: string }).datasetId;
  const d = await call('datasets.get', { datasetId: trainId });
  assert.equal(d.rows, 25_192);
  assert.equal(d.format, 'nsl-kdd');
  assert.deepEqual(d.classes.slice().sort(), ['dos', 'normal', 'probe', 'r2l', 'u2r']);
  assert.equal(d.summary.labels?.categories.normal, 13_449);
  const sample = await call('datasets.sample', { datasetId: trainId, limit: 5 });
  assert.equal(sample.length, 5);
  assert.equal(sample[0].id, 'KDDTrain+_20Percent.txt:1');
  assert.equal(sample[0].raw, fs.readFileSync(NSL_TRAIN20, 'utf8').split('\n')[0]);
  const list = await call('datasets.list', {});
  assert.equal(list.length, 1);
  assert.equal(list[0].classes.dos, 9_234);
});

test('a test set encoded like its training set gets the same columns and classes', async () => {
  const job = await importAndWait({ path: NSL_TEST, options: { encodeLike: trainId } });
  assert.equal(job.status, 'done', job.error);
  const test = await call('datasets.get', { datasetId: (job.result as { datasetId: string }).datasetId });
  const train = await call('datasets.get', { datasetId: trainId });
  assert.equal(test.cols, train.cols);
  assert.deepEqual(test.classes, train.classes);
  assert.equal(test.encodedLike, trainId);
  assert.equal(test.rows, 22_544);
});

test('a strict import of a bad file fails naming file, line and reason, and keeps what was stored', async () => {
  const dir = tempDir();
  const bad = path.join(dir, 'bad.kdd');
  const good = fs.readFileSync(NSL_TEST, 'utf8').split('\n').slice(0, 3);
  fs.writeFileSync(bad, [...good, '0,tcp,http,SF,not-a-number' + ',0'.repeat(37) + ',normal,21', ...good].join('\n') + '\n');
  const before = await call('datasets.list', {});
  const job = await importAndWait({ path: bad, options: { format: 'nsl-kdd', errors: 'strict' } });
  assert.equal(job.status, 'failed');
  assert.match(job.error ?? '', /bad\.kdd:4: field 5 \(src_bytes\): "not-a-number" is not a number/);
  assert.deepEqual(await call('datasets.list', {}), before);
  // No half-written dataset folder is left behind.
  const folders = fs.readdirSync(path.join(workspaceDir, 'datasets'));
  assert.deepEqual(folders.sort(), before.map((d) => d.id).sort());
});

test('a lenient import skips and reports the same bad line', async () => {
  const dir = tempDir();
  const bad = path.join(dir, 'bad.kdd');
  const good = fs.readFileSync(NSL_TEST, 'utf8').split('\n').slice(0, 3);
  fs.writeFileSync(bad, [...good, 'garbage line', ...good].join('\n') + '\n');
  const job = await importAndWait({ path: bad, options: { format: 'nsl-kdd' } });
  assert.equal(job.status, 'done', job.error);
  const d = await call('datasets.get', { datasetId: (job.result as { datasetId: string }).datasetId });
  assert.equal(d.rows, 6);
  assert.equal(d.summary.malformed.count, 1);
  assert.equal(d.summary.malformed.examples[0].line, 4);
  await call('datasets.delete', { datasetId: d.id });
});

test('a missing file is refused before any job starts', async () => {
  const r = await createRouter(engine.handlers)('datasets.import', { path: '/nonexistent/file.csv' });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'BAD_INPUT');
  assert.match(!r.ok ? r.error.message : '', /\/nonexistent\/file\.csv: no such file/);
});

test('cancelling a large import leaves no dataset and no files', async () => {
  const before = await call('datasets.list', {});
  const { jobId } = await call('datasets.import', { path: path.join(SHARED_DATA, 'kddcup99', 'kddcup.data_10_percent.gz'), options: {} });
  await new Promise<void>((resolve) => {
    const off = engine.events.subscribe((name, p) => {
      if (name === 'job.progress' && (p as { jobId: string }).jobId === jobId) {
        off();
        resolve();
      }
    });
  });
  await call('jobs.cancel', { jobId });
  const job = await engine.jobs.wait(jobId);
  assert.equal(job.status, 'cancelled');
  assert.deepEqual(await call('datasets.list', {}), before);
  assert.deepEqual(fs.readdirSync(path.join(workspaceDir, 'datasets')).sort(), before.map((d) => d.id).sort());
});

test('datasets survive a restart and reopen from the cache without the source file', async () => {
  await engine.close();
  engine = createEngine({ workspaceDir, transport: 'cli' });
  const d = await call('datasets.get', { datasetId: trainId });
  assert.equal(d.rows, 25_192);
  const files = fs.readdirSync(path.join(workspaceDir, 'datasets', trainId)).sort();
  assert.ok(files.includes('encoded.dtc'), files.join(','));
  assert.equal((await call('datasets.sample', { datasetId: trainId, limit: 1 }))[0].id, 'KDDTrain+_20Percent.txt:1');
  assert.deepEqual(await call('datasets.delete', { datasetId: trainId }), { deleted: true });
  assert.equal(fs.existsSync(path.join(workspaceDir, 'datasets', trainId)), false);
});
