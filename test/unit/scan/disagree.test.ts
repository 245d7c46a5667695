import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { flowCsv } from '../../helpers/flows';

// One thread scores: a dozen records do not need inference workers.
process.env.DEEPTRIAGE_SCAN_WORKERS = '0';
const dir = tempDir();
const { call, route, done } = testEngine(path.join(dir, 'ws'));

let csvRun = '';
let csvRun2 = '';

/** Two small models of the same records: a network and a logistic regression, which disagree on some items. */
before(async () => {
  const csv = path.join(dir, 'flows.csv');
  fs.writeFileSync(csv, flowCsv(100));
  const { jobId } = await call('datasets.import', { path: csv, options: {} });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: ['dnn1', 'logreg'], params: { epochs: 2, batchSize: 32 } });
  for (const r of runs) await done(r.jobId);
  [csvRun, csvRun2] = runs.map((r) => r.runId);
});

test('the work queue orders by where two models disagree (|p1 - p2|) and says how many remain', async () => {
  const file = path.join(dir, 'both.csv');
  fs.writeFileSync(file, flowCsv(12, ['bytes', 'packets', 'proto']));
  const a = await call('scan.start', { runId: csvRun, paths: [file], threshold: 0.5 });
  await done(a.jobId);
  const b = await call('scan.start', { runId: csvRun2, paths: [file], threshold: 0.5 });
  await done(b.jobId);
  const p1 = new Map((await call('scans.results', { scanId: a.scanId, limit: 100 })).rows.map((r) => [r.url, r.score]));
  const p2 = new Map((await call('scans.results', { scanId: b.scanId, limit: 100 })).rows.map((r) => [r.url, r.score]));
  const page = await call('triage.items', { scanId: a.scanId, order: 'disagree', otherScanId: b.scanId, verdict: 'any' });
  assert.equal(page.total, 12);
  const gaps = page.rows.map((r) => Math.abs(r.score - r.otherScore!));
  assert.deepEqual(gaps, [...gaps].sort((x, y) => y - x));
  for (const r of page.rows) {
    assert.equal(r.score, p1.get(r.item));
    assert.equal(r.otherScore, p2.get(r.item));
  }
  const flaggedByEither = [...p1.keys()].filter((k) => p1.get(k)! >= 0.5 || p2.get(k)! >= 0.5).length;
  assert.equal(page.remaining, flaggedByEither);
  // A verdict takes the item out of what remains.
  await call('verdicts.set', { items: [{ item: page.rows[0].item, kind: 'record', score: page.rows[0].score }], verdict: 'benign', scanId: a.scanId });
  const after = await call('triage.items', { scanId: a.scanId, order: 'disagree', otherScanId: b.scanId, verdict: 'open' });
  assert.equal(after.rows.some((r) => r.item === page.rows[0].item), false);
  assert.equal(after.remaining, flaggedByEither - (p1.get(page.rows[0].item)! >= 0.5 || p2.get(page.rows[0].item)! >= 0.5 ? 1 : 0));
  const same = await route('triage.items', { scanId: a.scanId, order: 'disagree', otherScanId: a.scanId });
  assert.equal(same.ok, false);
  const none = await route('triage.items', { scanId: a.scanId, order: 'disagree' });
  assert.match(!none.ok ? none.error.message : '', /needs a second scan of the same files/);
});
