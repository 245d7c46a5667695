import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { SHARED_DATA, tempDir } from '../../helpers/temp';
import { benignUrl, maliciousUrl, trainingCsv } from '../../helpers/urls';

const dir = tempDir();
const { engine, call, done: finished } = testEngine(path.join(dir, 'ws'));
const done = async (jobId: string) => (await finished(jobId)).result as { datasetId: string };

let testId = '';
let evalIds: string[] = [];
let runIds: string[] = [];

before(async () => {
  // The first 6,000 records of the 20 % training file (written to a temp folder, same name) teach enough for
  // these checks; the whole file made this the slowest engine test.
  const train = path.join(dir, 'KDDTrain+_20Percent.txt');
  fs.writeFileSync(train, fs.readFileSync(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTrain+_20Percent.txt'), 'utf8').split('\n').slice(0, 6000).join('\n') + '\n');
  const trainId = (await done((await call('datasets.import', { path: train, options: {} })).jobId)).datasetId;
  testId = (await done((await call('datasets.import', { path: path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'), options: { encodeLike: trainId } })).jobId)).datasetId;
  const { runs } = await call('train.start', { datasetId: trainId, testDatasetId: testId, modelIds: ['dnn1', 'random-forest'], params: { epochs: 2, batchSize: 256, nEstimators: 3, maxTrainRows: 500 } });
  for (const r of runs) await done(r.jobId);
  runIds = runs.map((r) => r.runId);
  const evals = await call('evals.list', { runIds });
  evalIds = runIds.map((id) => evals.find((e) => e.runId === id)!.id);
});

test('the inspect table filters misclassified and disagreeing rows, sorts by confidence, and searches raw lines', async () => {
  const all = await call('inspect.query', { datasetId: testId, evalIds, limit: 5 });
  assert.equal(all.total, 11_850);
  assert.equal(all.rows[0].id, 'KDDTest-21.txt:1');
  assert.equal(all.rows[0].preds.length, 2);

  const wrong = await call('inspect.query', { datasetId: testId, evalIds, misclassified: true, sort: 'conf', descending: true, limit: 2000 });
  const [ev] = engine.evaluations(runIds[0]);
  assert.equal(wrong.total, Math.round(ev.rows * (1 - ev.accuracy)));
  assert.ok(wrong.rows.every((r) => r.preds[0]!.label !== r.trueLabel));
  for (let i = 1; i < wrong.rows.length; i++) assert.ok(wrong.rows[i - 1].preds[0]!.confidence >= wrong.rows[i].preds[0]!.confidence);

  const disagree = await call('inspect.query', { datasetId: testId, evalIds, disagree: true, limit: 2000 });
  assert.ok(disagree.rows.every((r) => r.preds[0]!.label !== r.preds[1]!.label));

  const u2r = await call('inspect.query', { datasetId: testId, evalIds, trueClass: 'u2r', limit: 2000 });
  assert.equal(u2r.total, ev.perClass.find((c) => c.label === 'u2r')!.support);

  const raw = fs.readFileSync(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'), 'utf8').split('\n').filter(Boolean);
  const expected = raw.filter((l) => l.includes(',ftp_data,')).length;
  const found = await call('inspect.query', { datasetId: testId, evalIds, search: ',ftp_data,', limit: 1 });
  assert.equal(found.total, expected);

  // A group picked on the embedding map: only those rows, in row order, unknown rows ignored.
  const picked = await call('inspect.query', { datasetId: testId, evalIds, rows: [42, 7, 99_999_999] });
  assert.deepEqual(picked.rows.map((r) => r.row), [7, 42]);
});

test('explaining a record gives probabilities per model, IG attributions that add up, and labelled neighbours', async () => {
  const r = await call('inspect.explain', { runIds, datasetId: testId, row: 3, neighbours: 4 });
  assert.equal(r.record.id, 'KDDTest-21.txt:4');
  assert.equal(r.record.raw, fs.readFileSync(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'), 'utf8').split('\n')[3]);
  const [deep, forest] = r.models;
  assert.equal(deep.method, 'integrated-gradients');
  assert.equal(forest.method, 'occlusion');
  for (const m of r.models) {
    assert.ok(Math.abs(m.proba.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.equal(m.features.length, 41);
    assert.equal(m.predicted, m.classes[m.proba.indexOf(Math.max(...m.proba))]);
  }
  assert.ok(deep.completeness);
  assert.ok(Math.abs(deep.completeness!.sum - deep.completeness!.expected) < 0.02, JSON.stringify(deep.completeness));
  const service = deep.features.find((f) => f.feature === 'service')!;
  assert.equal(service.value, r.record.raw.split(',')[2]);
  assert.equal(r.neighbours.length, 4);
  for (let i = 1; i < 4; i++) assert.ok(r.neighbours[i - 1].distance <= r.neighbours[i].distance);
  assert.ok(r.neighbours.every((n) => n.label !== null && /^KDDTrain\+_20Percent\.txt:\d+$/.test(n.id)));
});

test('character models explain a URL with per-character saliency', async () => {
  fs.writeFileSync(path.join(dir, 'urls.csv'), trainingCsv(200));
  const ds = (await done((await call('datasets.import', { path: path.join(dir, 'urls.csv'), options: {} })).jobId)).datasetId;
  const { runs } = await call('train.start', { datasetId: ds, modelIds: ['char-cnn'], params: { epochs: 3, batchSize: 32, filters: 16, units: 32 } });
  await done(runs[0].jobId);
  const url = maliciousUrl(4242);
  const r = await call('inspect.explain', { runIds: [runs[0].runId], text: url });
  const m = r.models[0];
  assert.equal(r.modelInput, url);
  assert.equal(m.chars.map((c) => c.char).join(''), url);
  assert.equal(m.predicted, 'malicious');
  const benign = await call('inspect.explain', { runIds: [runs[0].runId], text: benignUrl(4242) });
  assert.equal(benign.models[0].predicted, 'benign');
});
