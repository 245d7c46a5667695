import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../../electron/compute/kernels/index';
import { trainModel } from '../../../electron/train/train-model';
import { trainParallel } from '../../../electron/train/parallel';
import type { Hyperparams, Progress } from '../../../models/types';
import { TfClassifier } from '../../../electron/train/tf-classifier';
import { makeRecords, makeSequences } from '../models/synthetic';

// The replicas run on wasm, so the single-replica reference does too.
await tf.setBackend('wasm');
registerWasmKernelFixes();

function weightsOf(m: unknown): Float32Array[] {
  return (m as TfClassifier).net.getWeights().map((w) => w.dataSync() as Float32Array);
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  let d = 0;
  a.forEach((wa, i) => {
    assert.equal(wa.length, b[i].length);
    for (let j = 0; j < wa.length; j++) d = Math.max(d, Math.abs(wa[j] - b[i][j]));
  });
  return d;
}

const cases: { name: string; modelId: string; data: { x: Float32Array | Int32Array; y: Int32Array }; numClasses: number; params: Partial<Hyperparams> }[] = [
  {
    // Odd batch size and a short last batch: the two shards differ in size, so the share weighting matters.
    name: 'dnn2, 3 classes, balanced class weights, uneven shards',
    modelId: 'dnn2',
    data: makeRecords(700, 16, 3),
    numClasses: 3,
    params: { units: [48, 24], dropout: 0, batchSize: 63, classWeight: 'balanced' },
  },
  {
    name: 'char-cnn, binary (embedding + conv gradients)',
    modelId: 'char-cnn',
    data: makeSequences(300, 20, 2),
    numClasses: 2,
    params: { embeddingDim: 8, filters: 8, units: 16, dropout: 0, batchSize: 50 },
  },
  {
    // The one-step fast path gives no gradient for the recurrent kernel: the replicas treat it as zero.
    name: 'lstm, 5 classes (one time step: no recurrent-kernel gradient)',
    modelId: 'lstm',
    data: makeRecords(300, 12, 5),
    numClasses: 5,
    params: { units: 16, dropout: 0, batchSize: 50 },
  },
];

for (const c of cases) {
  test(`parallel: ${c.name} — 2 replicas match single-replica training and stay in sync`, async () => {
    const params: Partial<Hyperparams> = { ...c.params, epochs: 2, learningRate: 0.01, seed: 7, patience: 0 };
    const single = await trainModel({ modelId: c.modelId, ...c.data, numClasses: c.numClasses, params });
    const steps: Progress[] = [];
    const par = await trainParallel({
      modelId: c.modelId,
      ...c.data,
      numClasses: c.numClasses,
      params,
      replicas: 2,
      verifySync: true,
      onProgress: (p) => steps.push(p),
    });
    try {
      assert.ok(steps.filter((p) => p.phase === 'batch').length > 10);
      assert.equal(par.bestEpoch, single.bestEpoch);
      assert.equal(par.history.length, single.history.length);
      par.history.forEach((h, i) => assert.ok(Math.abs(h.loss - single.history[i].loss) < 1e-5, `epoch ${i + 1} loss ${h.loss} vs ${single.history[i].loss}`));
      const d = maxAbsDiff(weightsOf(par.model), weightsOf(single.model));
      assert.ok(d < 1e-5, `max |w_parallel - w_single| = ${d}`);
    } finally {
      single.model.dispose();
      par.model.dispose();
    }
  });
}

test('parallel: shouldStop cancels within one batch and keeps the current weights', async () => {
  const d = makeRecords(400, 8, 2);
  let batches = 0;
  const res = await trainParallel({
    modelId: 'dnn1',
    ...d,
    numClasses: 2,
    params: { units: [16], epochs: 3, batchSize: 32 },
    replicas: 2,
    onProgress: (p) => {
      if (p.phase === 'batch') batches++;
    },
    shouldStop: () => batches >= 3,
  });
  try {
    assert.equal(res.cancelled, true);
    assert.equal(batches, 3);
    assert.equal(res.bestEpoch, null);
    assert.equal(res.history.length, 0);
    const proba = await res.model.predictProba(d.x.subarray(0, 8 * 4), 4);
    assert.equal(proba.length, 8);
  } finally {
    res.model.dispose();
  }
});

test('parallel: a replica that fails to start rejects the call instead of hanging', async () => {
  const d = makeRecords(64, 4, 2);
  await assert.rejects(
    trainParallel({ modelId: 'dnn1', ...d, numClasses: 2, params: { units: [4], epochs: 1, optimizer: 'nadam' as never }, replicas: 2 }),
    /optimizer must be 'adam', 'sgd' or 'rmsprop'/,
  );
});
