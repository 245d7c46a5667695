import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { SHARED_DATA } from '../../helpers/temp';

const { call, done } = testEngine();
const DGA = path.join(SHARED_DATA, 'dga');

test('DGA end to end: Alexa and two families into one dataset, a character model trained and scored', async () => {
  const files = [path.join(DGA, 'clicksecurity', 'alexa_100k.csv'), path.join(DGA, 'umudga-10k', 'banjori.txt'), path.join(DGA, 'umudga-10k', 'corebot.txt')];
  const { jobId } = await call('datasets.import', {
    path: files[0],
    inputs: [{ path: files[0], fixedLabel: 'legit' }, { path: files[1], fixedLabel: 'dga' }, { path: files[2], fixedLabel: 'dga' }],
    options: { format: 'domains', maxRowsPerFile: 400, sampleSeed: 1, benignLabels: ['legit'] },
  });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const d = await call('datasets.get', { datasetId });
  assert.equal(d.rows, 1_200);
  assert.deepEqual(Object.entries(d.summary.labels!.raw).sort(), [['dga', 800], ['legit', 400]]);
  const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 4, batchSize: 32, filters: 16, units: 32, validationFraction: 0.2 } });
  await done(runs[0].jobId);
  const run = await call('runs.get', { runId: runs[0].runId });
  assert.ok(run.history.at(-1)!.loss! < run.history[0].loss!, JSON.stringify(run.history));
  const ev = await call('eval.start', { runId: run.id, datasetId });
  await done(ev.jobId);
  const { info, result } = await call('evals.get', { evalId: ev.evalId });
  assert.equal(info.split.kind, 'random-split');
  assert.equal(result.rows, 240);
  assert.ok(result.roc.auc! > 0.8, `AUC ${result.roc.auc}`);
  // Row ids keep the file they came from.
  const page = await call('evals.records', { evalId: ev.evalId, limit: 1000 });
  assert.ok(page.rows.some((r) => r.id.startsWith('banjori.txt:')) && page.rows.some((r) => r.id.startsWith('alexa_100k.csv:')));
});

test('behaviour strings from a labelled Zeek log train a sequence model and explain letter by letter', async () => {
  const { jobId } = await call('datasets.import', {
    path: path.join(SHARED_DATA, 'stratosphere-zeek', '010-zeek-mixed.conn.log.labeled'),
    // Strings cut at 40 letters and a small LSTM keep this a test of the path, not of training (bench/ trains full size).
    options: { format: 'zeek-behaviour', maxLength: 40 },
  });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const d = await call('datasets.get', { datasetId });
  assert.equal(d.kind, 'text');
  assert.deepEqual(Object.keys(d.summary.labels!.raw).sort(), ['Benign', 'Malicious']);
  const { runs } = await call('train.start', { datasetId, modelIds: ['char-lstm'], params: { epochs: 2, batchSize: 64, units: 16, embeddingDim: 8 } });
  await done(runs[0].jobId);
  const run = await call('runs.get', { runId: runs[0].runId });
  assert.equal(run.history.length, 2);
  const sample = await call('datasets.sample', { datasetId, limit: 1 });
  const why = await call('inspect.explain', { runIds: [run.id], datasetId, row: sample[0].row });
  const letters = why.models[0].chars.map((c) => c.char).join('');
  assert.equal(letters, why.modelInput);
  assert.match(letters, /^[a-iA-Ir-zR-Z1-9.,+*0]+$/);
  // The raw line carries the flows behind the letters, for the analyst to read.
  assert.match(why.record.raw, /"uid"/);
});
