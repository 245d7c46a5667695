import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { MODELS } from '../../../models/registry';
import type { Hyperparams, Progress } from '../../../models/types';
import { probaMetrics } from '../../../models/lib/metrics';
import { trainModel } from '../../../electron/train/train-model';
import { deserializeClassifier } from '../../../electron/train/classifier-io';
import { TfClassifier } from '../../../electron/train/tf-classifier';
import { fitLayersModel } from '../../../electron/train/loop';
import { getModel } from '../../../models/registry';
import { accuracy, makeRecords, makeSequences } from '../models/synthetic';

await tf.setBackend('cpu');

// Shrunk widths (the defaults are built in models/registry.test.ts) keep one epoch of every architecture to seconds on the cpu backend.
const SMALL: Record<string, Partial<Hyperparams>> = {
  dnn1: { units: [32] },
  dnn2: { units: [32, 24] },
  dnn3: { units: [32, 24, 16] },
  dnn4: { units: [32, 24, 16, 12] },
  dnn5: { units: [32, 24, 16, 12, 8] },
  simplernn: { units: 16 },
  lstm: { units: 16 },
  gru: { units: 16 },
  birnn: { units: 8 },
  bilstm: { units: 8 },
  bigru: { units: 8 },
  cnn1d: { filters: 8, units: 16 },
  'cnn-lstm': { filters: 8, units: 8 },
  'char-cnn': { embeddingDim: 8, filters: 8, units: 16 },
  'char-cnn-lstm': { embeddingDim: 8, filters: 8, units: 8 },
  'char-lstm': { embeddingDim: 8, units: 8 },
  'char-bigru': { embeddingDim: 8, units: 8, denseUnits: 8 },
  logreg: {},
};

const records = makeRecords(512, 12, 2);
// Embedding / Conv1D gradients are slow on the cpu backend, so the sequence set is smaller.
const sequences = makeSequences(256, 20, 2);

function dataFor(family: 'records' | 'sequences') {
  return family === 'records' ? records : sequences;
}

for (const def of MODELS.filter((m) => m.engine === 'tfjs')) {
  test(`${def.id}: one epoch on separable data lowers the loss`, async () => {
    const d = dataFor(def.family);
    // The running mean after the first batch is that batch's loss, i.e. the loss of the initial weights.
    let firstBatchLoss = NaN;
    const res = await trainModel({
      modelId: def.id,
      x: d.x,
      y: d.y,
      numClasses: 2,
      params: { ...SMALL[def.id], epochs: 1, batchSize: 32, learningRate: 0.01, seed: 5 },
      onProgress: (p) => {
        if (p.phase === 'batch' && p.batch === 1) firstBatchLoss = p.loss;
      },
    });
    try {
      assert.equal(res.history.length, 1);
      assert.equal(res.cancelled, false);
      assert.equal(res.bestEpoch, 1);
      const rows = d.y.length;
      const proba = await res.model.predictProba(d.x, rows);
      assert.equal(proba.length, rows * 2);
      const after = probaMetrics(proba, d.y, 2).loss;
      assert.ok(after < firstBatchLoss, `${def.id}: loss ${firstBatchLoss.toFixed(4)} → ${after.toFixed(4)}`);
      assert.ok(res.history[0].valLoss !== null && Number.isFinite(res.history[0].valLoss));
    } finally {
      res.model.dispose();
    }
  });
}

test('5-class training: softmax head, per-batch and per-epoch progress fields', async () => {
  const d = makeRecords(400, 12, 5, 9);
  const events: Progress[] = [];
  const res = await trainModel({
    modelId: 'dnn2',
    x: d.x,
    y: d.y,
    numClasses: 5,
    params: { units: [32, 16], epochs: 3, batchSize: 40, learningRate: 0.01, patience: 0 },
    onProgress: (p) => events.push(p),
  });
  try {
    const batches = events.filter((e) => e.phase === 'batch');
    const epochs = events.filter((e) => e.phase === 'epoch');
    assert.equal(res.trainRows + res.valRows, 400);
    assert.equal(batches.length, 3 * Math.ceil(res.trainRows / 40));
    assert.equal(epochs.length, 3);
    for (const e of events) {
      for (const k of ['epoch', 'batch', 'batchesPerEpoch', 'loss', 'acc', 'samplesPerSec'] as const) {
        assert.ok(Number.isFinite(e[k]), `${k} = ${e[k]}`);
      }
    }
    // No time-left guess from the first batch (it carries the set-up); every later event has one.
    assert.ok(Number.isNaN(batches[0].etaSeconds), `first batch etaSeconds = ${batches[0].etaSeconds}`);
    for (const e of events.slice(events.indexOf(batches[1]))) assert.ok(Number.isFinite(e.etaSeconds) && e.etaSeconds >= 0, `etaSeconds = ${e.etaSeconds}`);
    assert.equal(batches[0].valLoss, null);
    assert.ok(epochs.every((e) => e.valLoss !== null && e.valAcc !== null));
    assert.equal(epochs[2].etaSeconds, 0);
    const acc = accuracy(await res.model.predictProba(d.x, 400), d.y, 5);
    assert.ok(acc > 0.9, `accuracy ${acc}`);
  } finally {
    res.model.dispose();
  }
});

test('cancel after 2 batches: stops within one batch, cancelled, model still usable', async () => {
  let batches = 0;
  const res = await trainModel({
    modelId: 'dnn1',
    x: records.x,
    y: records.y,
    numClasses: 2,
    params: { units: [16], epochs: 5, batchSize: 32 },
    onProgress: (p) => {
      if (p.phase === 'batch') batches++;
    },
    shouldStop: () => batches >= 2,
  });
  try {
    assert.equal(res.cancelled, true);
    assert.equal(batches, 2);
    assert.equal(res.history.length, 0);
    assert.equal(res.bestEpoch, null);
    const proba = await res.model.predictProba(records.x, 512);
    assert.ok(proba.every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
  } finally {
    res.model.dispose();
  }
});

test('cancel mid-epoch 2 restores the epoch-1 (best) checkpoint exactly', async () => {
  const def = getModel('dnn2');
  assert.equal(def.engine, 'tfjs');
  if (def.engine !== 'tfjs') return;
  const net = def.build({ numClasses: 2, numFeatures: 12, seed: 1, params: { units: [16, 8] } });
  const probe = tf.tensor2d(records.x.subarray(0, 12 * 20), [20, 12]);
  let atEpoch1: Float32Array | null = null;
  let batchesInEpoch2 = 0;
  const report = await fitLayersModel(
    net,
    2,
    { train: { x: records.x, y: records.y, rows: 512, cols: 12 }, val: { x: records.x.slice(0, 12 * 64), y: records.y.slice(0, 64), rows: 64, cols: 12 } },
    {
      params: { epochs: 4, batchSize: 64, learningRate: 0.01, optimizer: 'adam', patience: 0 } as Hyperparams,
      onProgress: (p) => {
        if (p.phase === 'epoch' && p.epoch === 1) atEpoch1 = tf.tidy(() => net.predict(probe) as tf.Tensor).dataSync() as Float32Array;
        if (p.phase === 'batch' && p.epoch === 2) batchesInEpoch2++;
      },
      shouldStop: () => batchesInEpoch2 >= 3,
    },
  );
  assert.equal(report.cancelled, true);
  assert.equal(report.bestEpoch, 1);
  assert.equal(batchesInEpoch2, 3);
  const now = tf.tidy(() => net.predict(probe) as tf.Tensor).dataSync();
  assert.deepEqual(now, atEpoch1);
  probe.dispose();
  net.dispose();
});

test('early stopping: no improvement beyond minDelta for `patience` epochs stops and keeps the best epoch', async () => {
  const res = await trainModel({
    modelId: 'logreg',
    x: records.x,
    y: records.y,
    numClasses: 2,
    params: { epochs: 30, batchSize: 128, learningRate: 1e-7, patience: 2, minDelta: 0.01 },
  });
  try {
    assert.equal(res.stoppedEarly, true);
    assert.equal(res.cancelled, false);
    assert.equal(res.history.length, 3);
    assert.equal(res.bestEpoch, 1);
  } finally {
    res.model.dispose();
  }
});

test('save → load predicts identically (deep models incl. custom layers)', async () => {
  for (const [id, d] of [
    ['char-cnn', sequences],
    ['char-bigru', sequences],
    ['bigru', records],
  ] as const) {
    const res = await trainModel({ modelId: id, x: d.x, y: d.y, numClasses: 2, params: { ...SMALL[id], epochs: 1, batchSize: 128 } });
    const saved = await res.model.serialize();
    assert.ok(saved.weights.byteLength > 0);
    const again = await deserializeClassifier(saved);
    assert.ok(again instanceof TfClassifier);
    assert.equal(again.modelId, id);
    assert.equal(again.numClasses, 2);
    const rows = d.y.length;
    assert.deepEqual(await again.predictProba(d.x, rows, { batchSize: 100 }), await res.model.predictProba(d.x, rows));
    res.model.dispose();
    again.dispose();
  }
});

test('same seed → identical training; another seed → different', async () => {
  const run = async (seed: number) => {
    const res = await trainModel({ modelId: 'dnn2', x: records.x, y: records.y, numClasses: 2, params: { units: [16, 8], dropout: 0.3, epochs: 2, batchSize: 64, seed } });
    const proba = await res.model.predictProba(records.x, 512);
    res.model.dispose();
    return { history: res.history.map(({ wallMs: _w, ...h }) => h), proba };
  };
  const a = await run(11);
  const b = await run(11);
  const c = await run(12);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.proba, c.proba);
});

test('class weights: balanced weighting trains on imbalanced data', async () => {
  const x = records.x;
  const y = records.y.map((v, i) => (v === 1 && i % 8 !== 1 ? 0 : v)) as Int32Array;
  const res = await trainModel({ modelId: 'logreg', x, y, numClasses: 2, params: { epochs: 5, batchSize: 64, classWeight: 'balanced', learningRate: 0.05 } });
  try {
    const proba = await res.model.predictProba(x, 512);
    let tp = 0;
    let pos = 0;
    for (let r = 0; r < 512; r++) if (y[r] === 1) { pos++; if (proba[r * 2 + 1] > 0.5) tp++; }
    assert.ok(tp / pos > 0.5, `minority recall ${tp}/${pos}`);
  } finally {
    res.model.dispose();
  }
});

test('bad input names the problem', async () => {
  await assert.rejects(trainModel({ modelId: 'dnn1', x: new Float32Array(10), y: new Int32Array(3), numClasses: 2 }), /not a whole number of 3 rows/);
  await assert.rejects(trainModel({ modelId: 'dnn1', x: new Float32Array(6), y: Int32Array.from([0, 1, 2]), numClasses: 2 }), /y\[2\] = 2/);
  await assert.rejects(trainModel({ modelId: 'char-lstm', x: new Float32Array(6), y: Int32Array.from([0, 1, 0]), numClasses: 2 }), /Int32Array/);
  await assert.rejects(trainModel({ modelId: 'dnn1', x: Float32Array.from([0, NaN]), y: Int32Array.from([0, 1]), numClasses: 2 }), /row 1, column 0 is NaN/);
  await assert.rejects(trainModel({ modelId: 'dnn1', x: new Float32Array(4), y: Int32Array.from([0, 1]), numClasses: 2, params: { optimizer: 'lbfgs' as 'adam' } }), /optimizer/);
});

test('no tensors leak across a train / predict / save / load cycle', async () => {
  const res0 = await trainModel({ modelId: 'dnn1', x: records.x, y: records.y, numClasses: 2, params: { units: [8], epochs: 1 } });
  res0.model.dispose();
  const before = tf.memory().numTensors;
  const res = await trainModel({ modelId: 'dnn1', x: records.x, y: records.y, numClasses: 2, params: { units: [8], epochs: 2 } });
  await res.model.predictProba(records.x, 512, { batchSize: 100 });
  const again = await deserializeClassifier(await res.model.serialize());
  res.model.dispose();
  again.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('char-lstm masks the right padding: a label set by the first character of short, padded strings is learned', async () => {
  // Strings of 2–5 characters in 40 slots: without the mask the final state has read 35+ padding steps
  // after the deciding character.
  const rows = 400;
  const len = 40;
  const x = new Int32Array(rows * len);
  const y = new Int32Array(rows);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let r = 0; r < rows; r++) {
    y[r] = r % 2;
    x[r * len] = y[r] ? 3 : 4;
    const n = 2 + Math.floor(rnd() * 4);
    for (let i = 1; i < n; i++) x[r * len + i] = 5 + Math.floor(rnd() * 20);
  }
  const res = await trainModel({ modelId: 'char-lstm', x, y, numClasses: 2, vocabSize: 30, params: { embeddingDim: 8, units: 8, epochs: 8, batchSize: 32, learningRate: 0.02, seed: 3, validationFraction: 0 } });
  const proba = await res.model.predictProba(x, rows);
  assert.ok(accuracy(proba, y, 2) > 0.95, `accuracy ${accuracy(proba, y, 2)}`);
  res.model.dispose();
});

test('a model whose output starts saturated on the wrong class still learns (the loss is taken from its logits)', async () => {
  const def = getModel('dnn1');
  if (def.engine !== 'tfjs') throw new Error('dnn1 is a tf.js model');
  const net = def.build({ numClasses: 2, numFeatures: 12, seed: 3, params: { units: [16] } });
  // Every row scored class 0 with p(class 1) below 1e-7 (output bias −25): past the clip, the clipped-
  // probability loss has no gradient at all, so before the fix this run stayed at the majority class.
  const out = net.getLayer('output');
  const [kernel] = out.getWeights();
  out.setWeights([kernel, tf.fill([1], -25)]);
  const ones = records.y.reduce((a, v) => a + v, 0);
  const report = await fitLayersModel(
    net,
    2,
    { train: { x: records.x, y: records.y, rows: 512, cols: 12 }, val: null },
    { params: { epochs: 6, batchSize: 64, learningRate: 0.05, optimizer: 'adam', patience: 0 } as Hyperparams },
  );
  const proba = tf.tidy(() => net.predict(tf.tensor2d(records.x, [512, 12])) as tf.Tensor).dataSync();
  let right = 0;
  for (let i = 0; i < 512; i++) if ((proba[i] > 0.5 ? 1 : 0) === records.y[i]) right++;
  assert.ok(right / 512 > Math.max(ones, 512 - ones) / 512 + 0.1, `accuracy ${right / 512} after 6 epochs (majority ${Math.max(ones, 512 - ones) / 512})`);
  assert.ok(report.history[5].loss < report.history[0].loss, `training loss ${report.history.map((h) => h.loss.toFixed(2)).join(' → ')}`);
  net.dispose();
});
