import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../electron/compute/backend';
import { integratedGradients, occlusion } from '../../../electron/explain/attribution';
import { nearestRows } from '../../../electron/explain/knn';

before(async () => {
  await selectBackend('wasm');
});

function smallNet(outUnits: number, seed: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [6], units: 16, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.dense({ units: outUnits, activation: outUnits === 1 ? 'sigmoid' : 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

test('integrated-gradient attributions sum to f(x) − f(baseline) (completeness), softmax and sigmoid', () => {
  const x = Float32Array.from([1.5, -0.7, 2.2, 0.1, -1.9, 0.8]);
  const b = Float32Array.from([0.1, 0.2, -0.3, 0.0, 0.4, -0.1]);
  for (const [units, cls] of [[3, 0], [3, 2], [1, 1], [1, 0]] as const) {
    const net = smallNet(units, 11 + units);
    const ig = integratedGradients(net, x, b, cls, 128);
    const sum = ig.attributions.reduce((a, v) => a + v, 0);
    const out = tf.tidy(() => (net.predict(tf.tensor2d([...x, ...b], [2, 6])) as tf.Tensor).arraySync() as number[][]);
    const p = (row: number[]) => (units === 1 ? (cls === 1 ? row[0] : 1 - row[0]) : row[cls]);
    assert.ok(Math.abs(ig.fx - p(out[0])) < 1e-5);
    assert.ok(Math.abs(ig.fBaseline - p(out[1])) < 1e-5);
    assert.ok(Math.abs(sum - (ig.fx - ig.fBaseline)) < 2e-3, `units ${units} class ${cls}: Σ=${sum} vs Δ=${ig.fx - ig.fBaseline}`);
    net.dispose();
  }
});

test('a feature equal to its baseline gets no attribution; a feature the model ignores gets none either', () => {
  const m = tf.sequential();
  // Output depends only on inputs 0 and 1 (the others have zero weights).
  m.add(tf.layers.dense({ inputShape: [4], units: 1, activation: 'sigmoid', useBias: false, weights: [tf.tensor2d([[2], [-1], [0], [0]])] }));
  const ig = integratedGradients(m, Float32Array.from([1, 1, 5, 0.3]), Float32Array.from([0, 1, 0, 0]), 1, 64);
  assert.ok(ig.attributions[0] > 0.1);
  assert.equal(Math.abs(ig.attributions[1]), 0); // x1 equals its baseline
  assert.equal(Math.abs(ig.attributions[2]), 0); // weight 0
  assert.equal(Math.abs(ig.attributions[3]), 0);
});

test('occlusion attributes the drop in the class probability to each group', async () => {
  // A "model" that says attack = mean of features 0 and 2.
  const predict = async (x: Float32Array | Int32Array, rows: number) => {
    const out = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      const p = (x[r * 3] + x[r * 3 + 2]) / 2;
      out[r * 2] = 1 - p;
      out[r * 2 + 1] = p;
    }
    return out;
  };
  const r = await occlusion(predict, Float32Array.from([1, 1, 0.6]), Float32Array.from([0, 0, 0]), [[0], [1], [2], [0, 2]], 1, 2);
  assert.ok(Math.abs(r.fx - 0.8) < 1e-6);
  assert.deepEqual(Array.from(r.attributions, (v) => Math.round(v * 1000) / 1000), [0.5, 0, 0.3, 0.8]);
});

test('nearest neighbours are correct on a hand-made set, nearest first', () => {
  // Points on a line and one off it: (0,0) (1,0) (2,0) (10,0) (0,3)
  const data = Float32Array.from([0, 0, 1, 0, 2, 0, 10, 0, 0, 3]);
  assert.deepEqual(nearestRows(data, 2, [0.9, 0.1], 3).map((n) => n.row), [1, 0, 2]);
  const two = nearestRows(data, 2, [0, 2.4], 2);
  assert.deepEqual(two.map((n) => n.row), [4, 0]);
  assert.ok(Math.abs(two[0].distance - 0.6) < 1e-6);
  assert.deepEqual(nearestRows(data, 2, [1, 0], 2, 1).map((n) => n.row), [0, 2]);
  assert.equal(nearestRows(data, 2, [0, 0], 10).length, 5);
});
