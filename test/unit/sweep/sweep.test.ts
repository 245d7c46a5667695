import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { mulberry32 } from '../../../models/lib/random';

const t = testEngine();
const dir = tempDir();

/** Two numeric features; the label is which side of a line a point falls — learnable in a few epochs. */
function csv(n: number, seed: number, flip = false): string {
  const rand = mulberry32(seed);
  const lines = ['a,b,label'];
  for (let i = 0; i < n; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    const attack = a + 0.5 * b > 0;
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${attack !== flip ? 'attack' : 'normal'}`);
  }
  return lines.join('\n') + '\n';
}

async function importCsv(name: string, body: string, encodeLike?: string): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  const { jobId } = await t.call('datasets.import', { path: file, options: encodeLike ? { encodeLike } : {} });
  return ((await t.done(jobId)).result as { datasetId: string }).datasetId;
}

const SPEC = {
  modelIds: ['logreg'],
  // Known best: the largest step; 1e-6 cannot move a logistic regression in four epochs.
  space: { learningRate: { values: [0.05, 0.000001, 0.003] } },
  params: { epochs: 4, batchSize: 32, patience: 0, replicas: 1 },
  metric: 'valLoss' as const,
  asha: { graceEpochs: 1, reductionFactor: 2 },
};

let trainId = '';
let first: Awaited<ReturnType<typeof sweepOn>>;

async function sweepOn(testDatasetId: string) {
  const { sweepId, jobId } = await t.call('sweep.start', { ...SPEC, datasetId: trainId, testDatasetId });
  await t.done(jobId);
  return t.call('sweeps.get', { sweepId });
}

test('a sweep finds the known-best learning rate, stops the clearly worse trial at the first rung, and stores validation thresholds', async () => {
  trainId = await importCsv('train.csv', csv(600, 1));
  const testId = await importCsv('test.csv', csv(300, 2), trainId);
  first = await sweepOn(testId);
  const { info, trials } = first;
  assert.equal(info.status, 'done');
  assert.equal(trials.length, 3);
  const best = trials.find((x) => x.runId === info.bestRunId)!;
  assert.deepEqual(best.point, { learningRate: 0.05 });
  // Trial 2 meets trial 1's value at rung 1 (epoch 1) and falls below it: stopped there, a run of one epoch.
  assert.equal(trials[1].state, 'stopped');
  assert.equal(trials[1].stoppedAt, 1);
  assert.equal(trials[1].epochs, 1);
  assert.equal(trials[0].state, 'done');
  assert.equal(trials[0].epochs, 4);
  // Each trial's run is named by the sweep, its number and the values it drew, in the table and the run list.
  assert.deepEqual(
    trials.map((x) => x.runName),
    ['logreg on train.csv · trial 1 · lr 5e-2', 'logreg on train.csv · trial 2 · lr 1e-6', 'logreg on train.csv · trial 3 · lr 3e-3'],
  );
  assert.equal((await t.call('runs.get', { runId: trials[2].runId! })).name, trials[2].runName);

  const run = await t.call('runs.get', { runId: best.runId! });
  assert.equal(run.sweepId, info.id);
  assert.ok(run.tags.some((tag) => tag.startsWith('sweep:')));
  const v = run.validation!;
  assert.equal(v.rows, run.valRows);
  assert.match(v.description, /validation split/);
  assert.equal(v.basis, 'binary');
  assert.equal(v.positive, 'attack');
  assert.deepEqual(v.thresholds.map((p) => p.targetFpr), [0.001, 0.01]);
  for (const p of v.thresholds) {
    assert.ok(p.threshold !== null && p.threshold > 0 && p.threshold <= 1, `threshold ${p.threshold}`);
    assert.ok(p.fpr! <= p.targetFpr);
  }
  assert.ok(v.accuracy > 0.85, `validation accuracy ${v.accuracy}`);
  // Stopped trials are runs too, and have their validation figures.
  assert.ok((await t.call('runs.get', { runId: trials[1].runId! })).validation);
});

test('flipping the test file’s labels does not change the chosen trial (trials are chosen on validation only)', async () => {
  const flippedId = await importCsv('test-flipped.csv', csv(300, 2, true), trainId);
  const second = await sweepOn(flippedId);
  const chosen = (d: typeof first) => d.trials.find((x) => x.runId === d.info.bestRunId)!;
  assert.deepEqual(chosen(second).point, chosen(first).point);
  assert.equal(second.info.bestMetric, first.info.bestMetric);
  // The flipped file would have chosen differently: the chosen trial is the worst there, the best on the true file.
  const testAcc = (d: typeof first) => d.trials.filter((x) => x.testAccuracy !== null).map((x) => x.testAccuracy!);
  assert.equal(chosen(second).testAccuracy, Math.min(...testAcc(second)));
  assert.equal(chosen(first).testAccuracy, Math.max(...testAcc(first)));
  // Thresholds come from the same validation rows, whatever the test file says.
  const a = await t.call('runs.get', { runId: chosen(first).runId! });
  const b = await t.call('runs.get', { runId: chosen(second).runId! });
  assert.deepEqual(b.validation, a.validation);
});

test('a sweep refuses a search space no chosen architecture reads, and a range in a grid', async () => {
  const r = await t.route('sweep.start', { datasetId: trainId, modelIds: ['logreg'], space: { filters: { values: [8, 16] } } });
  assert.ok(!r.ok && /no chosen architecture reads 'filters'/.test(r.error.message), JSON.stringify(r));
  const g = await t.route('sweep.start', { datasetId: trainId, modelIds: ['logreg'], space: { learningRate: { min: 0.001, max: 0.1, scale: 'log' } } });
  assert.ok(!g.ok && /a grid needs a list of values/.test(g.error.message), JSON.stringify(g));
  const v = await t.route('sweep.start', { datasetId: trainId, modelIds: ['logreg'], space: { learningRate: { values: [0.01] } }, params: { validationFraction: 0 } });
  assert.ok(!v.ok && /validation split/.test(v.error.message), JSON.stringify(v));
});

test('cancelling a sweep cancels its running trial and keeps the finished ones', async () => {
  const { sweepId, jobId } = await t.call('sweep.start', {
    datasetId: trainId,
    modelIds: ['logreg'],
    // The second trial would train for minutes: it is the one running when the sweep is cancelled.
    space: { epochs: { values: [2, 2000] } },
    params: { batchSize: 32, patience: 0, replicas: 1 },
    asha: { enabled: false },
  });
  for (;;) {
    const d = await t.call('sweeps.get', { sweepId });
    const run = d.trials[1].runId ? await t.call('runs.get', { runId: d.trials[1].runId }) : null;
    if (run && run.history.length >= 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(await t.call('jobs.cancel', { jobId }), { cancelled: true });
  const job = await t.engine.jobs.wait(jobId);
  assert.equal(job.status, 'cancelled');
  const { info, trials } = await t.call('sweeps.get', { sweepId });
  assert.equal(info.status, 'cancelled');
  assert.equal(trials[0].state, 'done');
  assert.equal((await t.call('runs.get', { runId: trials[0].runId! })).status, 'done');
  assert.equal(trials[1].state, 'cancelled');
  const cancelledRun = await t.call('runs.get', { runId: trials[1].runId! });
  assert.equal(cancelledRun.status, 'cancelled');
  assert.ok(cancelledRun.history.length < 2000);
  assert.equal(info.bestRunId, trials[0].runId);
});
