import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readRunModel } from '../../../electron/train/run-files';
import { trainModel } from '../../../electron/train/train-model';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { trainingCsv } from '../../helpers/urls';

process.env.DEEPTRIAGE_SCAN_WORKERS = '0';
const dir = tempDir();
const ws = path.join(dir, 'ws');
const { call, route, done } = testEngine(ws);

const intranet = (i: number) => `http://secure-login-intranet${i}.corp-example.org/verify/account.php?id=${i}`;

test('retraining from the old run\'s weights starts where the old run ended, not from scratch', async () => {
  const train = path.join(dir, 'train.csv');
  fs.writeFileSync(train, trainingCsv(100));
  const ds = ((await done((await call('datasets.import', { path: train, options: {} })).jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId: ds, modelIds: ['char-cnn'], params: { epochs: 3, batchSize: 32, filters: 16, units: 16 } });
  await done(runs[0].jobId);
  const old = await call('runs.get', { runId: runs[0].runId });
  await call('verdicts.set', { items: Array.from({ length: 10 }, (_, i) => ({ item: intranet(i), kind: 'url' as const })), verdict: 'benign' });

  const r = await call('retrain.start', { runId: old.id, epochs: 1, fromWeights: true });
  await done(r.jobId);
  const fresh = await call('runs.get', { runId: r.runId });
  assert.ok(fresh.tags.includes('from-weights'), fresh.tags.join());
  // From scratch the first epoch averages a loss near ln 2; from the old weights it starts near where they ended.
  const first = fresh.history[0].loss!;
  assert.ok(first < old.history[0].loss! * 0.7, `first epoch loss ${first} vs the old run's first ${old.history[0].loss} (last ${old.history.at(-1)!.loss})`);

  // Weights of another architecture are refused with the reason, before any fitting.
  const x = new Int32Array(4 * 75).fill(5);
  await assert.rejects(
    trainModel({ modelId: 'char-lstm', x, y: new Int32Array([0, 1, 0, 1]), numClasses: 2, params: { epochs: 1 }, initialWeights: readRunModel(path.join(ws, 'runs', old.id)) }),
    /the saved weights do not fit this model \(.*\): same architecture, encoding and classes needed/,
  );
  const nonNeural = await route('retrain.start', { runId: 'run-does-not-exist', fromWeights: true });
  assert.equal(nonNeural.ok, false);
});
