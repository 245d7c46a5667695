import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { CompareResult } from '../../../shared/eval';
import { testEngine } from '../../helpers/engine';
import { SHARED_DATA } from '../../helpers/temp';

const { call, route, done } = testEngine();
const finished = async (jobId: string) => (await done(jobId)).result;

let trainId = '';
let testId = '';
let runA = '';
let runB = '';

before(async () => {
  trainId = ((await finished((await call('datasets.import', { path: path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'), options: { labelMode: 'binary' } })).jobId)) as { datasetId: string }).datasetId;
  testId = ((await finished((await call('datasets.import', { path: path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'), options: { labelMode: 'binary', encodeLike: trainId } })).jobId)) as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId: trainId, testDatasetId: testId, modelIds: ['logreg', 'dnn1'], params: { epochs: 2, batchSize: 128 } });
  for (const r of runs) await finished(r.jobId);
  [runA, runB] = runs.map((r) => r.runId);
});

test('evaluations are listed per run with their split; the training file scores only held-out rows, labelled a random split', async () => {
  const evals = await call('evals.list', { runIds: [runA] });
  assert.equal(evals.length, 1);
  assert.equal(evals[0].split.kind, 'official-test');
  assert.equal(evals[0].datasetName, 'KDDTest+.txt');
  const { jobId, evalId } = await call('eval.start', { runId: runA, datasetId: trainId });
  await finished(jobId);
  const { info, result } = await call('evals.get', { evalId });
  assert.equal(info.split.kind, 'random-split');
  assert.match(info.split.description, /random 10 % validation split \(seed 42\) of the training file KDDTest-21\.txt \(not an official test set\)/);
  assert.equal(result.rows, 1_185);
  assert.deepEqual([...result.classes].sort(), ['attack', 'normal']);
  assert.equal((await call('evals.list', { runIds: [runA] })).length, 2);
});

test('the records of a confusion-matrix cell are the ones the counts say, with raw lines', async () => {
  const [ev] = await call('evals.list', { runIds: [runB] });
  const { result } = await call('evals.get', { evalId: ev.id });
  const t = result.classes.indexOf('attack');
  const p = result.classes.indexOf('normal');
  const missed = result.confusion.counts[t][p];
  const page = await call('evals.records', { evalId: ev.id, trueClass: 'attack', predClass: 'normal', limit: 20 });
  assert.equal(page.total, missed);
  assert.equal(page.rows.length, Math.min(20, missed));
  for (const r of page.rows) {
    assert.equal(r.trueLabel, 'attack');
    assert.equal(r.predicted, 'normal');
    assert.match(r.id, /^KDDTest\+\.txt:\d+$/);
    assert.equal(r.raw.split(',').length, 43);
    assert.ok(r.confidence >= 0.5 && r.confidence <= 1);
  }
  const bad = await route('evals.records', { evalId: ev.id, trueClass: 'martian' });
  assert.equal(!bad.ok && bad.error.code, 'BAD_INPUT');
});

test('two runs on the same test set get McNemar and bootstrap intervals', async () => {
  const [a] = (await call('evals.list', { runIds: [runA] })).filter((e) => e.split.kind === 'official-test');
  const [b] = await call('evals.list', { runIds: [runB] });
  const { jobId } = await call('compare.start', { evalIdA: a.id, evalIdB: b.id, resamples: 200 });
  const r = (await finished(jobId)) as CompareResult;
  assert.equal(r.rows, 22_544);
  assert.ok(r.mcnemar.b + r.mcnemar.c > 0);
  assert.ok(r.mcnemar.pValue >= 0 && r.mcnemar.pValue <= 1);
  const acc = r.bootstrap.accuracy;
  assert.ok(acc.a.lower <= acc.a.estimate && acc.a.estimate <= acc.a.upper);
  assert.ok(Math.abs(acc.a.estimate - a.accuracy!) < 1e-9);
  // A paired test across different row sets is refused.
  const own = (await call('evals.list', { runIds: [runA] })).find((e) => e.split.kind === 'random-split')!;
  const refused = await route('compare.start', { evalIdA: own.id, evalIdB: b.id });
  assert.equal(!refused.ok && refused.error.code, 'BAD_INPUT');
});

test('tags and a note are stored with a run', async () => {
  const r = await call('runs.update', { runId: runA, tags: ['baseline', 'binary'], note: 'LR on KDDTest-21' });
  assert.deepEqual(r.tags, ['baseline', 'binary']);
  assert.equal(r.note, 'LR on KDDTest-21');
  const list = await call('runs.list', {});
  assert.deepEqual(list.find((x) => x.id === runA)?.tags, ['baseline', 'binary']);
});
