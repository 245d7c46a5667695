import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { benignUrl, maliciousUrl } from '../../helpers/urls';

const ws = tempDir();
const { call, done, route, engine } = testEngine(ws);
const dir = tempDir();

/** An ISCX-like URL list: benign plus three kinds of malicious URL. */
function urlCsv(file: string, from: number, n: number): string {
  const kinds = ['phishing', 'defacement', 'malware'];
  const lines = ['url,label'];
  for (let i = from; i < from + n; i++) lines.push(`${benignUrl(i)},benign`, `${maliciousUrl(i)},${kinds[i % 3]}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function importUrls(file: string, options: Record<string, unknown> = {}): Promise<string> {
  const { jobId } = await call('datasets.import', { path: file, options: { format: 'auto', ...options } });
  return ((await done(jobId)).result as { datasetId: string }).datasetId;
}

const trainFile = urlCsv(path.join(dir, 'urls_labeled.csv'), 0, 80);
const testFile = urlCsv(path.join(dir, 'urls_test.csv'), 500, 20);
const TINY = { batchSize: 16, filters: 8, units: 8, learningRate: 0.001 };
let trainId = '';

test('URL imports are benign / malicious by default; the raw classes are one label mode away', async () => {
  trainId = await importUrls(trainFile);
  const binary = await call('datasets.get', { datasetId: trainId });
  assert.deepEqual(binary.classes, ['benign', 'malicious']);
  assert.equal(binary.summary.labels!.mode, 'binary');
  assert.deepEqual({ ...binary.summary.labels!.categories }, { benign: 80, malicious: 80 });
  assert.deepEqual(Object.keys(binary.summary.labels!.raw).sort(), ['benign', 'defacement', 'malware', 'phishing']);
  const raw = await call('datasets.get', { datasetId: await importUrls(trainFile, { labelMode: 'attack' }) });
  assert.deepEqual(raw.classes, ['benign', 'defacement', 'malware', 'phishing']);
});

test('runs get a readable name from their settings, renamed through the contract and the CLI', async () => {
  const { runs } = await call('train.start', { datasetId: trainId, modelIds: ['char-cnn'], params: { ...TINY, epochs: 2 }, tags: [] });
  await done(runs[0].jobId);
  const run = await call('runs.get', { runId: runs[0].runId });
  assert.equal(run.name, 'char-cnn · urls_labeled.csv · 2 ep · b16 · lr 1e-3');
  assert.equal((await call('runs.list', {})).find((r) => r.id === run.id)!.name, run.name);

  // The batch curve is stored with the run: a reloaded page draws what the live page drew.
  const curve = run.batchCurve!;
  assert.ok(curve.batchesPerEpoch >= 7, JSON.stringify(curve.batchesPerEpoch));
  // Every step of both epochs (the worker records them; progress to the main side is throttled).
  const steps = curve.points.map((p) => p.step);
  assert.deepEqual(steps, Array.from({ length: 2 * curve.batchesPerEpoch }, (_, i) => i + 1));
  assert.ok(curve.points.every((p) => Number.isFinite(p.loss) && p.acc >= 0 && p.acc <= 1));

  const renamed = await call('runs.rename', { runId: run.id, name: '  baseline CNN for the phishing feed  ' });
  assert.equal(renamed.name, 'baseline CNN for the phishing feed');
  // Refused by the contract: empty, control characters, too long; and an unknown run.
  for (const name of ['   ', 'two\nlines', 'x'.repeat(121)]) {
    const r = await route('runs.rename', { runId: run.id, name });
    assert.equal(r.ok ? 'ok' : r.error.code, 'INVALID_PAYLOAD', name);
  }
  const missing = await route('runs.rename', { runId: 'run_nope', name: 'x' });
  assert.equal(missing.ok ? 'ok' : missing.error.code, 'NOT_FOUND');

  // The CLI renames through the same engine operation (its own engine on the same workspace).
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['runs', 'rename', run.id, 'cnn', 'v2', '--workspace', ws, '--json'], { out: (l) => out.push(l), err: (l) => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  assert.deepEqual(JSON.parse(out.join('')), { id: run.id, name: 'cnn v2' });
  assert.equal((await call('runs.get', { runId: run.id })).name, 'cnn v2');
  const usage = await runCli(['runs', 'rename', run.id, '--workspace', ws], { out: () => {}, err: (l) => err.push(l) });
  assert.equal(usage, 2);

  // Evaluations carry the run's name, so every list of them shows names, not ids.
  const ev = await call('eval.start', { runId: run.id, datasetId: trainId });
  await done(ev.jobId);
  assert.equal((await call('evals.get', { evalId: ev.evalId })).info.runName, 'cnn v2');
});

test('a cancelled run is scored on the test set with its best checkpoint', async () => {
  const testId = await importUrls(testFile, { encodeLike: trainId });
  const { runs } = await call('train.start', { datasetId: trainId, testDatasetId: testId, modelIds: ['char-cnn'], params: { ...TINY, epochs: 500, patience: 0 }, tags: [] });
  const { runId, jobId } = runs[0];
  // Cancel once an epoch has ended (there is a checkpoint to keep).
  while ((await call('runs.get', { runId })).history.length < 1) await new Promise((r) => setTimeout(r, 25));
  await call('jobs.cancel', { jobId });
  await engine.jobs.wait(jobId);
  const run = await call('runs.get', { runId });
  assert.equal(run.status, 'cancelled');
  assert.ok(run.bestEpoch !== null && run.bestEpoch >= 1);
  const evals = await call('evals.list', { runIds: [runId] });
  assert.equal(evals.length, 1);
  assert.equal(evals[0].rows, 40);
  assert.equal(evals[0].datasetId, testId);
  assert.ok(evals[0].accuracy !== null && evals[0].accuracy >= 0 && evals[0].accuracy <= 1);
  assert.equal(run.testAccuracy, evals[0].accuracy);
});
