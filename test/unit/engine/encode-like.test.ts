import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { getEncoding } from '../../../electron/store/datasets';
import { testEngine } from '../../helpers/engine';
import { nslKddFile } from '../../helpers/kdd';
import { tempDir } from '../../helpers/temp';

const dir = tempDir();
const { engine, call, done } = testEngine(path.join(dir, 'ws'));
const importFile = async (file: string, options = {}) =>
  ((await done((await call('datasets.import', { path: file, options })).jobId)).result as { datasetId: string }).datasetId;

test('a test file imported with its own encoding is encoded like the training set when a run is scored on it, once', async () => {
  const trainFile = path.join(dir, 'KDDTrain+.txt');
  const testFile = path.join(dir, 'KDDTest+.txt');
  fs.writeFileSync(trainFile, nslKddFile(90));
  // Only two of the three kinds: fitted on its own, this file's one-hot columns differ from the training set's.
  fs.writeFileSync(testFile, nslKddFile(60, 1).split('\n').filter((l) => !l.includes(',smurf,')).join('\n'));
  const trainId = await importFile(trainFile);

  // The import form's offer: the file's columns match the training set.
  const detected = await call('datasets.detect', { path: testFile });
  assert.equal(detected.format, 'nsl-kdd');
  assert.deepEqual(detected.encodeLike, { datasetId: trainId, name: 'KDDTrain+.txt' });
  assert.equal((await call('datasets.detect', { path: path.join(dir, 'nope.txt') })).encodeLike, null);

  const testId = await importFile(testFile); // the defaults: its own encoding
  const db = engine.workspace.db;
  assert.notDeepEqual(getEncoding(db, testId)!.featurizer, getEncoding(db, trainId)!.featurizer);

  // Train with it as the test set: accepted, and scored after training on a copy encoded like the training set.
  const { runs: [run] } = await call('train.start', { datasetId: trainId, testDatasetId: testId, modelIds: ['dnn1'], params: { epochs: 1, batchSize: 32 } });
  await done(run.jobId);
  const evalJob = engine.jobs.list().find((j) => j.kind === 'eval')!;
  await done(evalJob.id);
  const [first] = await call('evals.list', { runIds: [run.runId] });
  assert.equal(first.rows, 40);
  assert.equal(first.split.kind, 'official-test');
  assert.equal(first.split.description, 'official test file KDDTest+.txt');
  const copy = (await call('datasets.list', {})).find((d) => d.id === first.datasetId)!;
  assert.notEqual(copy.id, testId);
  assert.equal(copy.encodedLike, trainId);
  assert.equal(copy.sourcePath, testFile);
  assert.deepEqual(getEncoding(db, copy.id)!.featurizer, getEncoding(db, trainId)!.featurizer);

  // Evaluating again on the original dataset reuses the copy: no third dataset.
  const again = await call('eval.start', { runId: run.runId, datasetId: testId });
  await done(again.jobId);
  assert.equal((await call('datasets.list', {})).length, 3);
  const evals = await call('evals.list', { runIds: [run.runId] });
  assert.equal(evals.length, 2);
  assert.ok(evals.every((e) => e.datasetId === copy.id && e.rows === 40));

  // Another format cannot be encoded like it, and says why.
  const urls = path.join(dir, 'urls.txt');
  fs.writeFileSync(urls, 'http://a.example/x,benign\nhttp://b.example/y,malicious\nhttp://c.example/z,benign\n');
  const urlId = await importFile(urls, { format: 'urls' });
  const refused = await engine.handlers['eval.start']({ runId: run.runId, datasetId: urlId }).then(
    () => null,
    (e: Error) => e.message,
  );
  assert.match(refused ?? '', /dataset 'urls\.txt' is urls but the run was trained on nsl-kdd \('KDDTrain\+\.txt'\)/);
});
