import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { trainModel } from '../../../electron/train/train-model';
import { deserializeClassifier } from '../../../electron/train/classifier-io';
import { accuracy, makeRecords } from './synthetic';

await tf.setBackend('cpu');

for (const k of [2, 5]) {
  const train = makeRecords(600, 10, k, 21);
  const holdout = makeRecords(200, 10, k, 22);

  for (const modelId of ['random-forest', 'logreg']) {
    test(`${modelId}, ${k} classes: > 0.9 held-out accuracy and an exact serialisation round trip`, async () => {
      const params = modelId === 'random-forest' ? { nEstimators: 10, treesPerChunk: 5, maxDepth: 8 } : { epochs: 20, batchSize: 64, learningRate: 0.05 };
      const res = await trainModel({ modelId, x: train.x, y: train.y, numClasses: k, params });
      try {
        const proba = await res.model.predictProba(holdout.x, 200);
        assert.equal(proba.length, 200 * k);
        for (let r = 0; r < 200; r++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += proba[r * k + c];
          assert.ok(Math.abs(s - 1) < 1e-5);
        }
        const acc = accuracy(proba, holdout.y, k);
        assert.ok(acc > 0.9, `accuracy ${acc}`);
        assert.equal(res.history.length > 0, true);
        const again = await deserializeClassifier(await res.model.serialize());
        assert.equal(again.modelId, modelId);
        assert.equal(again.numClasses, k);
        assert.deepEqual(await again.predictProba(holdout.x, 200), proba);
        again.dispose();
      } finally {
        res.model.dispose();
      }
    });
  }
}

test('random forest: cancel between tree chunks keeps a usable forest', async () => {
  const d = makeRecords(300, 8, 2, 5);
  let chunks = 0;
  const res = await trainModel({
    modelId: 'random-forest',
    x: d.x,
    y: d.y,
    numClasses: 2,
    params: { nEstimators: 20, treesPerChunk: 2, maxDepth: 6 },
    onProgress: (p) => {
      if (p.phase === 'batch') chunks++;
    },
    shouldStop: () => chunks >= 2,
  });
  assert.equal(res.cancelled, true);
  assert.equal(chunks, 2);
  const acc = accuracy(await res.model.predictProba(d.x, 300), d.y, 2);
  assert.ok(acc > 0.9, `accuracy ${acc}`);
});

test('random forest: seeded → identical forests', async () => {
  const d = makeRecords(300, 8, 3, 6);
  const run = async () => {
    const res = await trainModel({ modelId: 'random-forest', x: d.x, y: d.y, numClasses: 3, params: { nEstimators: 6, maxDepth: 6, seed: 9 } });
    return (await res.model.serialize()).modelJson;
  };
  assert.equal(await run(), await run());
});
