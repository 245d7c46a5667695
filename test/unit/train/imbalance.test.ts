import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../electron/compute/backend';
import { oversample } from '../../../electron/train/balance';
import { crossEntropy, focalLoss, lossSettings } from '../../../electron/train/loss';
import { prepareTraining, trainModel } from '../../../electron/train/train-model';
import { checkTrainParams, resolveParams } from '../../../electron/train/params';
import { getModel } from '../../../models/registry';

before(async () => {
  await selectBackend('wasm');
});

const scalar = (t: tf.Scalar) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

test('focal loss equals a hand-computed case and is cross-entropy at γ = 0', () => {
  // Softmax rows [0.7, 0.2, 0.1] (label 0) and [0.25, 0.5, 0.25] (label 2); γ = 2:
  // −(0.3² · ln 0.7 + 0.75² · ln 0.25) / 2.
  const pred = tf.tensor2d([0.7, 0.2, 0.1, 0.25, 0.5, 0.25], [2, 3]);
  const y = tf.tensor1d([0, 2], 'int32');
  const hand = -(0.09 * Math.log(0.7) + 0.5625 * Math.log(0.25)) / 2;
  assert.ok(Math.abs(scalar(focalLoss(pred, y, null, 2)) - hand) < 1e-6);
  // Class weights multiply each row, as they do for cross-entropy: w = [2, 1, 0.5].
  const w = tf.tensor1d([2, 0.5]);
  assert.ok(Math.abs(scalar(focalLoss(pred, y, w, 2)) - -(2 * 0.09 * Math.log(0.7) + 0.5 * 0.5625 * Math.log(0.25)) / 2) < 1e-6);
  assert.ok(Math.abs(scalar(focalLoss(pred, y, w, 0)) - scalar(crossEntropy(pred, y, w))) < 1e-7);

  // One sigmoid column: p = 0.8 with label 1, p = 0.8 with label 0 (p_t = 0.2); γ = 1.
  const sig = tf.tensor2d([0.8, 0.8], [2, 1]);
  const yb = tf.tensor1d([1, 0], 'int32');
  assert.ok(Math.abs(scalar(focalLoss(sig, yb, null, 1)) - -(0.2 * Math.log(0.8) + 0.8 * Math.log(0.2)) / 2) < 1e-6);
  assert.ok(Math.abs(scalar(focalLoss(sig, yb, null, 0)) - scalar(crossEntropy(sig, yb, null))) < 1e-7);
  tf.dispose([pred, y, w, sig, yb]);

  assert.deepEqual(lossSettings({}), { kind: 'crossentropy' });
  assert.deepEqual(lossSettings({ loss: 'focal' }), { kind: 'focal', gamma: 2 });
  assert.throws(() => lossSettings({ loss: 'hinge' }), /'loss' must be 'crossentropy' or 'focal'/);
  assert.throws(() => checkTrainParams(resolveParams(getModel('dnn1'), { loss: 'focal', focalGamma: -1 })), /focalGamma/);
  assert.throws(() => checkTrainParams(resolveParams(getModel('dnn1'), { balance: 'smote' })), /'balance' must be 'none' or 'oversample'/);
});

/** 90 rows of class 0, 9 of class 1, 3 of class 2: two features that identify the row. */
function skewed() {
  const counts = [90, 9, 3];
  const y = Int32Array.from(counts.flatMap((n, c) => Array.from({ length: n }, () => c)));
  const x = Float32Array.from(Array.from(y).flatMap((c, i) => [c, i]));
  return { x, y };
}

test('oversampling balances the training split only: validation rows keep their distribution and are never copied into training', () => {
  const { x, y } = skewed();
  const plain = prepareTraining({ modelId: 'logreg', x, y, numClasses: 3, params: { validationFraction: 0.2, seed: 4 } }, 'test');
  const over = prepareTraining({ modelId: 'logreg', x, y, numClasses: 3, params: { validationFraction: 0.2, seed: 4, balance: 'oversample' } }, 'test');
  const count = (ys: Int32Array) => [0, 1, 2].map((c) => ys.filter((v) => v === c).length);
  const trainCounts = count(plain.split.train.y);
  const max = Math.max(...trainCounts);
  assert.deepEqual(count(over.split.train.y), [max, max, max]);
  // Validation: the same rows, same counts, with or without oversampling.
  assert.deepEqual(Array.from(over.split.val!.x), Array.from(plain.split.val!.x));
  assert.deepEqual(count(over.split.val!.y), count(plain.split.val!.y));
  // Every training row (column 1 is the row's index) is one of the plain training rows: none from validation.
  const allowed = new Set(Array.from({ length: plain.split.train.rows }, (_, i) => plain.split.train.x[i * 2 + 1]));
  for (let i = 0; i < over.split.train.rows; i++) assert.ok(allowed.has(over.split.train.x[i * 2 + 1]));
  // Seeded: the same draw twice.
  assert.deepEqual(Array.from(oversample(plain.split.train, 4).x), Array.from(over.split.train.x));
});

test('a model trains with oversampling and focal loss, and records both in its parameters', async () => {
  const { x, y } = skewed();
  const r = await trainModel({ modelId: 'logreg', x, y, numClasses: 3, params: { epochs: 2, batchSize: 16, balance: 'oversample', loss: 'focal', focalGamma: 2, validationFraction: 0.2 } });
  try {
    assert.equal(r.params.balance, 'oversample');
    assert.equal(r.params.loss, 'focal');
    assert.equal(r.trainRows, 3 * 72);
    assert.ok(r.history.every((h) => Number.isFinite(h.loss)));
  } finally {
    r.model.dispose();
  }
});
