import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { getModel, MODELS } from '../../../models/registry';
import { checkTrainParams, resolveParams } from '../../../electron/train/params';
import { testEngine } from '../../helpers/engine';
import { SHARED_DATA } from '../../helpers/temp';

test('checkTrainParams: random-forest passes with its own defaults (learningRate 0 is an unused placeholder)', () => {
  const rf = getModel('random-forest');
  assert.equal(rf.defaults.learningRate, 0);
  assert.doesNotThrow(() => checkTrainParams(resolveParams(rf), rf));
  // Keys it ignores are not validated at all; the ones every model uses still are.
  assert.doesNotThrow(() => checkTrainParams(resolveParams(rf, { learningRate: -1, epochs: 0, optimizer: 'none' as never }), rf));
  assert.throws(() => checkTrainParams(resolveParams(rf, { validationFraction: 0.9 }), rf), /validationFraction/);
  assert.throws(() => checkTrainParams(resolveParams(rf, { seed: -1 }), rf), /seed/);
});

test('checkTrainParams: every gradient-trained model still requires learningRate > 0', () => {
  for (const def of MODELS.filter((m) => m.engine === 'tfjs')) {
    assert.doesNotThrow(() => checkTrainParams(resolveParams(def), def), def.id);
    assert.throws(() => checkTrainParams(resolveParams(def, { learningRate: 0 }), def), /learningRate' must be > 0, got 0/, def.id);
    assert.throws(() => checkTrainParams(resolveParams(def, { epochs: 0 }), def), /epochs/, def.id);
  }
  // Without a definition nothing is treated as unused.
  assert.throws(() => checkTrainParams(resolveParams(getModel('random-forest'))), /learningRate/);
});

const { call, route, done } = testEngine();

test('train.start: random-forest with its defaults is accepted and trains; dnn1 with learningRate 0 is refused', async () => {
  const { jobId } = await call('datasets.import', {
    path: path.join(SHARED_DATA, 'nsl-kdd', 'KDDTrain+_20Percent.txt'),
    options: { labelMode: 'binary', maxRowsPerFile: 300, sampleSeed: 1 },
  });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;

  const { runs } = await call('train.start', { datasetId, modelIds: ['random-forest'], params: { nEstimators: 5 } });
  await done(runs[0].jobId);
  const run = await call('runs.get', { runId: runs[0].runId });
  assert.equal(run.status, 'done');
  assert.equal(run.params.learningRate, 0);

  const refused = await route('train.start', { datasetId, modelIds: ['dnn1'], params: { learningRate: 0 } });
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.error.code, 'BAD_INPUT');
    assert.match(refused.error.message, /dnn1: parameter 'learningRate' must be > 0, got 0/);
  }
});
