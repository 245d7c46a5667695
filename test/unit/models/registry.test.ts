import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { MODELS, getModel, modelsFor } from '../../../models/registry';
import type { ModelSpec } from '../../../models/types';
import { dropoutScale, SumOverTime } from '../../../models/lib/layers';
import { loadLayersModel, saveLayersModel } from '../../../electron/train/io';

await tf.setBackend('cpu');

function specFor(family: 'records' | 'sequences', numClasses: number): ModelSpec {
  return family === 'records' ? { numClasses, numFeatures: 41, seed: 3 } : { numClasses, vocabSize: 40, maxLen: 20, seed: 3 };
}

test('registry: unique ids, one-line descriptions, complete defaults', () => {
  assert.equal(new Set(MODELS.map((m) => m.id)).size, MODELS.length);
  for (const m of MODELS) {
    assert.ok(m.description.length > 10 && !m.description.includes('\n'), m.id);
    for (const k of ['epochs', 'batchSize', 'learningRate', 'optimizer'] as const) assert.ok(m.defaults[k] !== undefined, `${m.id}.${k}`);
    assert.equal(getModel(m.id), m);
  }
  assert.deepEqual(
    modelsFor('sequences').map((m) => m.id),
    ['char-cnn', 'char-cnn-lstm', 'char-lstm', 'char-bigru'],
  );
  assert.deepEqual(getModel('dnn3').defaults.units, [1024, 768, 512]);
  assert.throws(() => getModel('nope'), /unknown model 'nope'/);
});

test('every tf.js architecture builds with its defaults: sigmoid(1) for binary, softmax(5) for 5 classes', () => {
  for (const m of MODELS) {
    if (m.engine !== 'tfjs') continue;
    for (const k of [2, 5]) {
      const spec = specFor(m.family, k);
      const net = m.build(spec);
      try {
        assert.deepEqual(net.outputs[0].shape, [null, k === 2 ? 1 : k], `${m.id} k=${k}`);
        const input =
          m.family === 'records' ? tf.randomNormal([3, 41]) : tf.randomUniform([3, 20], 0, 40, 'int32');
        const out = net.predict(input) as tf.Tensor;
        assert.deepEqual(out.shape, [3, k === 2 ? 1 : k], `${m.id} k=${k}`);
        const sums = tf.sum(out, 1).arraySync() as number[];
        if (k > 2) for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-4, `${m.id} softmax rows sum to 1`);
        tf.dispose([input, out]);
      } finally {
        net.dispose();
      }
    }
  }
});

test('records recurrent models see the features as one time step', () => {
  const net = getModel('lstm').build(specFor('records', 2)) as tf.LayersModel;
  const i = net.layers.findIndex((l) => l.getClassName() === 'LSTM');
  assert.deepEqual(net.layers[i - 1].outputShape, [null, 1, 41]);
  net.dispose();
});

test('dnnN takes the first N widths of 1024-768-512-256-128', () => {
  for (const n of [1, 3, 5]) {
    const net = getModel(`dnn${n}`).build(specFor('records', 2)) as tf.LayersModel;
    const widths = net.layers.filter((l) => l.getClassName() === 'Dense' && l.name !== 'output').map((l) => (l.outputShape as number[])[1]);
    assert.deepEqual(widths, [1024, 768, 512, 256, 128].slice(0, n));
    net.dispose();
  }
});

test('same seed → identical initial weights; bidirectional directions start different', () => {
  const def = getModel('bilstm');
  const a = def.build({ ...specFor('records', 2), params: { units: 8 } }) as tf.LayersModel;
  const b = def.build({ ...specFor('records', 2), params: { units: 8 } }) as tf.LayersModel;
  const wa = a.getWeights().map((w) => w.dataSync());
  const wb = b.getWeights().map((w) => w.dataSync());
  assert.deepEqual(wa, wb);
  const bidi = a.layers.find((l) => l.getClassName() === 'Bidirectional') as tf.layers.Layer;
  const [fwdKernel] = bidi.getWeights();
  const backKernel = bidi.getWeights()[bidi.getWeights().length / 2];
  assert.notDeepEqual(fwdKernel.dataSync(), backKernel.dataSync());
  a.dispose();
  b.dispose();
});

test('custom layers (SumOverTime, SeededDropout, SeededOrthogonal) survive save → tf.loadLayersModel', async () => {
  for (const id of ['char-cnn', 'char-bigru', 'dnn2']) {
    const def = getModel(id);
    if (def.engine !== 'tfjs') continue;
    const family = def.family;
    const net = def.build({ ...specFor(family, 5), params: { filters: 8, units: 16 } });
    const input = family === 'records' ? tf.randomNormal([4, 41]) : tf.randomUniform([4, 20], 0, 40, 'int32');
    const saved = await saveLayersModel(net);
    const again = await loadLayersModel(saved);
    const p1 = (net.predict(input) as tf.Tensor).dataSync();
    const p2 = (again.predict(input) as tf.Tensor).dataSync();
    assert.deepEqual(p2, p1, id);
    assert.ok(JSON.parse(saved.modelJson).modelTopology, id);
    tf.dispose([input]);
    net.dispose();
    again.dispose();
  }
});

test('builders reject missing input info', () => {
  assert.throws(() => (getModel('dnn1') as { build: (s: ModelSpec) => unknown }).build({ numClasses: 2 }), /numFeatures/);
  assert.throws(() => (getModel('char-lstm') as { build: (s: ModelSpec) => unknown }).build({ numClasses: 2, vocabSize: 10 }), /maxLen/);
  assert.throws(() => (getModel('dnn1') as { build: (s: ModelSpec) => unknown }).build({ numClasses: 1, numFeatures: 3 }), /numClasses/);
});

test('dropoutScale: drops the share set by the rate, scales the rest by 1 / (1 − rate), reproducible per seed', () => {
  for (const rate of [0.01, 0.5]) {
    const n = 200_000;
    const a = dropoutScale(n, rate, 7);
    const dropped = a.filter((v) => v === 0).length;
    // Within 4 standard deviations of a binomial(n, rate).
    assert.ok(Math.abs(dropped - n * rate) < 4 * Math.sqrt(n * rate * (1 - rate)), `rate ${rate}: ${dropped} of ${n} dropped`);
    assert.ok(a.every((v) => v === 0 || v === Math.fround(1 / (1 - rate))));
    assert.deepEqual(dropoutScale(1000, rate, 7), a.subarray(0, 1000));
    assert.notDeepEqual(dropoutScale(1000, rate, 8), a.subarray(0, 1000));
  }
});

test('SumOverTime: values and gradient equal tf.sum over time (its own gradient skips the ones tensor)', () => {
  const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 11);
  const w = tf.randomNormal([3, 4], 0, 1, 'float32', 12);
  const layer = new SumOverTime({});
  const mine = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, w)))(x);
  const ref = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.sum(t, 1), w)))(x);
  assert.ok(Math.abs(mine.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-5);
  assert.deepEqual(mine.grad.shape, [3, 5, 4]);
  const [a, b] = [mine.grad.dataSync(), ref.grad.dataSync()];
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `gradient ${i}: ${v} vs ${b[i]}`));
  assert.deepEqual((layer.apply(x) as tf.Tensor).shape, [3, 4]);
});

test('SeededDropout: a fresh mask per training call, identity at inference', () => {
  const net = getModel('dnn1').build({ numClasses: 2, numFeatures: 8, seed: 4, params: { units: [64], dropout: 0.5 } }) as tf.LayersModel;
  const x = tf.ones([2, 8]);
  const hidden = tf.model({ inputs: net.inputs, outputs: net.layers[2].output as tf.SymbolicTensor });
  assert.equal(net.layers[2].getClassName(), 'SeededDropout');
  const a = (hidden.apply(x, { training: true }) as tf.Tensor).dataSync();
  const b = (hidden.apply(x, { training: true }) as tf.Tensor).dataSync();
  const inf = (hidden.predict(x) as tf.Tensor).dataSync();
  const pre = (tf.model({ inputs: net.inputs, outputs: net.layers[1].output as tf.SymbolicTensor }).predict(x) as tf.Tensor).dataSync();
  assert.notDeepEqual(a, b);
  assert.ok(a.some((v) => v === 0));
  assert.deepEqual(inf, pre);
  net.dispose();
});
