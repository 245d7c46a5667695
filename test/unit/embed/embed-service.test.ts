import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../../electron/engine';
import { createRouter } from '../../../electron/router';
import type { OpName, OpRequest, OpResponse } from '../../../shared/contract';
import type { EmbeddingMap } from '../../../shared/embed';
import { tempDir } from '../../helpers/temp';
import { trainingCsv } from '../../helpers/urls';

const dir = tempDir();
let engine: Engine;
let runId = '';
let datasetId = '';

async function call<K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>> {
  const r = await createRouter(engine.handlers)(op, payload);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as OpResponse<K>;
}

async function mapOf(req: OpRequest<'embed.start'>): Promise<EmbeddingMap> {
  const { jobId, mapId } = await call('embed.start', req);
  const job = await engine.jobs.wait(jobId);
  assert.equal(job.status, 'done', job.error);
  return call('embed.get', { mapId });
}

before(async () => {
  engine = createEngine({ workspaceDir: path.join(dir, 'ws'), transport: 'cli' });
  fs.writeFileSync(path.join(dir, 'urls.csv'), trainingCsv(200));
  const imp = await engine.jobs.wait((await call('datasets.import', { path: path.join(dir, 'urls.csv'), options: {} })).jobId);
  assert.equal(imp.status, 'done', imp.error);
  datasetId = (imp.result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 2, batchSize: 32, filters: 8, units: 16 } });
  const job = await engine.jobs.wait(runs[0].jobId);
  assert.equal(job.status, 'done', job.error);
  runId = runs[0].runId;
});
after(() => engine?.close());

test('a character model’s embedding matrix maps to one labelled point per character', async () => {
  const m = await mapOf({ runId, source: { kind: 'chars' }, method: 'umap', seed: 3 });
  assert.equal(m.count, 97);
  assert.equal(m.points.length, 97);
  assert.match(m.layer, /97 characters × 32 dims/);
  const a = m.points.find((p) => p.char === 'a')!;
  assert.equal(a.row, 'a'.charCodeAt(0) - 30);
  assert.equal(a.trueLabel, 'a–z');
  assert.equal(a.predicted, null);
  assert.ok(m.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
});

test('a dataset maps through the last hidden layer: stratified, seeded rows with labels, predictions and text', async () => {
  const req = { runId, source: { kind: 'dataset', datasetId }, method: 'tsne', sampleSize: 120, seed: 5 } as const;
  const m = await mapOf(req);
  assert.equal(m.count, 120);
  assert.match(m.layer, /16 units, the layer before the output/);
  assert.equal(m.points.filter((p) => p.trueLabel === 'malicious').length, 60);
  const p = m.points[0];
  assert.match(p.id!, /^urls\.csv:\d+$/);
  assert.match(p.text, /^http:\/\//);
  assert.ok(p.predicted === 'benign' || p.predicted === 'malicious');
  assert.ok(p.confidence! >= 0.5 && p.confidence! <= 1);
  assert.ok(m.neighbourAgreement !== null);
  // Reproducible: the same run, sample and seed give the same map; another seed draws other rows.
  const again = await mapOf(req);
  assert.deepEqual(again.points, m.points);
  const other = await mapOf({ ...req, seed: 6 });
  assert.notDeepEqual(other.points.map((q) => q.row), m.points.map((q) => q.row));
  const list = await call('embed.list', { runId });
  assert.equal(list.length, 4);
  assert.equal((list[0] as Record<string, unknown>).points, undefined);
});

test('bad requests are refused before any worker starts', async () => {
  await assert.rejects(call('embed.start', { runId: 'run_nope', source: { kind: 'chars' } }), /NOT_FOUND/);
  await assert.rejects(call('embed.start', { runId, source: { kind: 'dataset', datasetId: 'ds_nope' } }), /NOT_FOUND/);
  await assert.rejects(call('embed.start', { runId, source: { kind: 'dataset', datasetId }, sampleSize: 5 }), /INVALID_PAYLOAD/);
  await assert.rejects(call('embed.get', { mapId: '../../etc' }), /NOT_FOUND/);
});
