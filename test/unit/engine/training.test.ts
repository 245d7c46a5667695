import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../../electron/engine';
import { createRouter } from '../../../electron/router';
import { readCache } from '../../../electron/data/cache/cache-file';
import { readProba } from '../../../electron/eval/run-eval';
import { readRunModel } from '../../../electron/train/run-files';
import { deserializeClassifier } from '../../../electron/train/classifier-io';
import { selectBackend } from '../../../electron/compute/backend';
import type { OpName, OpRequest, OpResponse } from '../../../shared/contract';
import { SHARED_DATA, tempDir } from '../../helpers/temp';

const workspaceDir = tempDir();
let engine: Engine = createEngine({ workspaceDir, transport: 'cli' });
after(() => engine.close());

async function callRaw<K extends OpName>(op: K, payload: OpRequest<K>) {
  return createRouter(engine.handlers)(op, payload);
}
async function call<K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>> {
  const r = await callRaw(op, payload);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as OpResponse<K>;
}
async function importDataset(file: string, options: OpRequest<'datasets.import'>['options'] = {}): Promise<string> {
  const { jobId } = await call('datasets.import', { path: file, options });
  const job = await engine.jobs.wait(jobId);
  assert.equal(job.status, 'done', job.error);
  return (job.result as { datasetId: string }).datasetId;
}

let trainId = '';
let testId = '';
let runId = '';

test('a records model trains in a worker, stores its run, and is scored on the official test file', async () => {
  trainId = await importDataset(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTrain+_20Percent.txt'));
  testId = await importDataset(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'), { encodeLike: trainId });
  const epochsSeen: number[] = [];
  const off = engine.events.subscribe((name, p) => {
    const m = (p as { metrics?: Record<string, number> }).metrics;
    if (name === 'job.progress' && m?.epochEnd === 1) epochsSeen.push(m.epoch);
  });
  const { runs } = await call('train.start', { datasetId: trainId, testDatasetId: testId, modelIds: ['dnn1'], params: { epochs: 2, batchSize: 256 } });
  runId = runs[0].runId;
  const job = await engine.jobs.wait(runs[0].jobId);
  off();
  assert.equal(job.status, 'done', job.error);
  assert.deepEqual(epochsSeen, [1, 2]);
  const run = await call('runs.get', { runId });
  assert.equal(run.status, 'done');
  assert.equal(run.history.length, 2);
  assert.ok(run.history.every((e) => e.valLoss !== null && e.valAcc !== null));
  assert.equal(run.trainRows! + run.valRows!, 25_192);
  assert.equal(run.backend, 'wasm');
  assert.deepEqual([...run.classes].sort(), ['dos', 'normal', 'probe', 'r2l', 'u2r']);
  const [ev] = engine.evaluations(runId);
  assert.equal(ev.split.kind, 'official-test');
  assert.equal(ev.rows, 22_544);
  assert.ok(ev.accuracy > 0.7, `accuracy ${ev.accuracy}`);
  assert.equal(run.testAccuracy, ev.accuracy);
  assert.ok(fs.existsSync(path.join(workspaceDir, 'runs', runId, 'model.json')));
});

test('a stored run reloads from disk and predicts exactly what it predicted when trained', async () => {
  const dir = path.join(workspaceDir, 'runs', runId);
  const probaFile = fs.readdirSync(dir).find((f) => f.endsWith('.proba.f32'))!;
  const stored = readProba(path.join(dir, probaFile));
  // Same backend as the worker that trained it: identical results are promised per backend, not across them.
  await selectBackend('wasm');
  const model = await deserializeClassifier(readRunModel(dir));
  const test = await readCache(path.join(workspaceDir, 'datasets', testId, 'encoded.dtc'));
  const again = await model.predictProba(test.features, test.rows);
  model.dispose();
  assert.equal(again.length, stored.length);
  assert.ok(again.every((v, i) => v === stored[i]), 'reloaded predictions differ');
});

test('bad requests are refused before anything is queued', async () => {
  const urls = path.join(tempDir(), 'urls.csv');
  fs.writeFileSync(urls, 'url,label\nhttp://a.com/x,benign\nhttp://b.ru/y,malicious\n');
  const urlId = await importDataset(urls);
  const cases: [OpRequest<'train.start'>, RegExp][] = [
    [{ datasetId: trainId, modelIds: ['char-cnn'] }, /'char-cnn' reads sequences, but 'KDDTrain\+_20Percent\.txt' holds records/],
    [{ datasetId: urlId, modelIds: ['dnn5'] }, /'dnn5' reads records, but 'urls\.csv' holds character sequences/],
    [{ datasetId: trainId, modelIds: ['resnet'] }, /unknown model 'resnet'/],
    [{ datasetId: trainId, modelIds: ['dnn1'], params: { epochs: -3 } }, /epochs/],
    [{ datasetId: trainId, modelIds: ['dnn1'], testDatasetId: urlId }, /is urls but the run was trained on nsl-kdd .*cannot be encoded like the training set/],
    [{ datasetId: 'ds_nope', modelIds: ['dnn1'] }, /dataset 'ds_nope' does not exist/],
  ];
  const before = (await call('runs.list', {})).length;
  for (const [req, pattern] of cases) {
    const r = await callRaw('train.start', req);
    assert.equal(r.ok, false, JSON.stringify(req));
    if (!r.ok) assert.match(r.error.message, pattern);
  }
  assert.equal((await call('runs.list', {})).length, before);
});

test('a character model trains on URLs through the same path', async () => {
  const lines = ['url,label'];
  for (let i = 0; i < 200; i++) lines.push(`http://news${i % 7}.example.com/story/${i},benign`);
  for (let i = 0; i < 200; i++) lines.push(`http://login-verify${i}.xyz/secure/paypal.php?id=${i},malicious`);
  const file = path.join(tempDir(), 'gen-urls.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const id = await importDataset(file);
  const { runs } = await call('train.start', {
    datasetId: id,
    modelIds: ['char-cnn'],
    params: { epochs: 2, batchSize: 32, filters: 8, units: 16 },
  });
  const job = await engine.jobs.wait(runs[0].jobId);
  assert.equal(job.status, 'done', job.error);
  const run = await call('runs.get', { runId: runs[0].runId });
  assert.equal(run.family, 'sequences');
  assert.ok(run.history[1].loss! < run.history[0].loss!, JSON.stringify(run.history));
});

test('cancelling after the first epoch keeps the best checkpoint as a cancelled run', async () => {
  const { runs } = await call('train.start', { datasetId: trainId, modelIds: ['dnn1'], params: { epochs: 50, batchSize: 128, patience: 0 } });
  await new Promise<void>((resolve) => {
    const off = engine.events.subscribe((name, p) => {
      const m = (p as { jobId: string; metrics?: Record<string, number> }).metrics;
      if (name === 'job.progress' && (p as { jobId: string }).jobId === runs[0].jobId && m?.epochEnd === 1) {
        off();
        resolve();
      }
    });
  });
  await call('jobs.cancel', { jobId: runs[0].jobId });
  const job = await engine.jobs.wait(runs[0].jobId);
  assert.equal(job.status, 'cancelled');
  const run = await call('runs.get', { runId: runs[0].runId });
  assert.equal(run.status, 'cancelled');
  assert.ok(run.bestEpoch !== null && run.bestEpoch >= 1);
  assert.ok(run.history.length < 50);
  assert.ok(fs.existsSync(path.join(workspaceDir, 'runs', run.id, 'model.json')));
});

test('runs survive a restart, and deleting one removes its files', async () => {
  await engine.close();
  engine = createEngine({ workspaceDir, transport: 'cli' });
  const run = await call('runs.get', { runId });
  assert.equal(run.status, 'done');
  assert.equal(engine.evaluations(runId).length, 1);
  await call('runs.delete', { runId });
  assert.equal(fs.existsSync(path.join(workspaceDir, 'runs', runId)), false);
  assert.equal((await callRaw('runs.get', { runId })).ok, false);
});
