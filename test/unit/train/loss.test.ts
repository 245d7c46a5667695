import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../../electron/compute/kernels/index';
import { countCorrect, crossEntropy, crossEntropyFromLogits } from '../../../electron/train/loss';

// The one-op cross-entropy and accuracy count against the same formulas in tf.js ops (what they replace),
// values and gradients w.r.t. the probabilities, on cpu and on wasm.

const EPS = 1e-7;

function crossEntropyOps(pred: tf.Tensor, y: tf.Tensor1D, w: tf.Tensor1D | null): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(pred, EPS, 1 - EPS);
    let perSample: tf.Tensor1D;
    if (pred.shape[1] === 1) {
      const t = tf.cast(y, 'float32');
      const p1 = tf.reshape(p, [-1]);
      perSample = tf.neg(tf.add(tf.mul(t, tf.log(p1)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p1)))));
    } else {
      perSample = tf.neg(tf.sum(tf.mul(tf.oneHot(y, pred.shape[1] as number), tf.log(p)), 1));
    }
    return tf.mean(w ? tf.mul(perSample, w) : perSample) as tf.Scalar;
  });
}

function countCorrectOps(pred: tf.Tensor, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const cls = pred.shape[1] === 1 ? tf.cast(tf.greater(tf.reshape(pred, [-1]), 0.5), 'int32') : tf.argMax(pred, 1);
    return tf.sum(tf.cast(tf.equal(cls, tf.cast(y, 'int32')), 'float32')) as tf.Scalar;
  });
}

/** Rows of probabilities (softmax rows, or one sigmoid column) including exact 0, 1, ties and the clip ends. */
function cases(): { pred: tf.Tensor2D; y: tf.Tensor1D; w: tf.Tensor1D }[] {
  const rows = 40;
  const soft: number[] = [];
  for (let r = 0; r < rows; r++) {
    const logits = [0, 1, 2, 3, 4].map((c) => Math.sin(r * 1.7 + c * 2.3) * (r % 7));
    const e = logits.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    soft.push(...e.map((v) => v / s));
  }
  soft.splice(0, 5, 1, 0, 0, 0, 0);
  soft.splice(5, 5, 0.25, 0.25, 0.25, 0.25, 0);
  soft.splice(10, 5, EPS, 1 - EPS, 0, 0, 0);
  const sig = Array.from({ length: rows }, (_, r) => (r === 0 ? 0 : r === 1 ? 1 : r === 2 ? 0.5 : 0.5 + 0.5 * Math.sin(r * 0.9)));
  const w = tf.tensor1d(Array.from({ length: rows }, (_, r) => 0.5 + (r % 3)));
  return [
    { pred: tf.tensor2d(soft, [rows, 5]), y: tf.tensor1d(Array.from({ length: rows }, (_, r) => (r * 3) % 5), 'int32'), w },
    { pred: tf.tensor2d(sig, [rows, 1]), y: tf.tensor1d(Array.from({ length: rows }, (_, r) => r % 2), 'int32'), w },
  ];
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  const av = a.dataSync();
  const bv = b.dataSync();
  let d = 0;
  for (let i = 0; i < av.length; i++) d = Math.max(d, Math.abs(av[i] - bv[i]));
  return d;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: one-op cross-entropy and correct count equal tf.js ops, values and gradients`, async () => {
    await tf.setBackend(backend);
    if (backend === 'wasm') registerWasmKernelFixes();
    for (const { pred, y, w } of cases()) {
      const label = `${pred.shape[1]} column(s)`;
      tf.tidy(() => {
        for (const weights of [null, w]) {
          const loss = crossEntropy(pred, y, weights);
          const want = crossEntropyOps(pred, y, weights);
          assert.ok(Math.abs(loss.dataSync()[0] - want.dataSync()[0]) < 1e-6 * Math.max(1, Math.abs(want.dataSync()[0])), `${label}: loss ${loss.dataSync()[0]} vs ${want.dataSync()[0]}`);
          // An upstream gradient other than 1 (the replicas scale their shard's loss).
          const g = tf.grad((p: tf.Tensor) => tf.mul(crossEntropy(p, y, weights), 0.75))(pred);
          const gWant = tf.grad((p: tf.Tensor) => tf.mul(crossEntropyOps(p, y, weights), 0.75))(pred);
          assert.ok(maxDiff(g, gWant) < 1e-5 * Math.max(1, ...Array.from(gWant.dataSync()).map(Math.abs)), `${label}: gradient differs by ${maxDiff(g, gWant)}`);
        }
        assert.equal(countCorrect(pred, y).dataSync()[0], countCorrectOps(pred, y).dataSync()[0], label);
      });
      tf.dispose([pred, y]);
    }
  });
}

/** Logits for one sigmoid column and for 5 softmax columns, moderate (no clip reached) and their labels. */
function logitCases(): { z: tf.Tensor2D; y: tf.Tensor1D; w: tf.Tensor1D; act: (z: tf.Tensor) => tf.Tensor }[] {
  const rows = 30;
  const z5 = Array.from({ length: rows * 5 }, (_, i) => Math.sin(i * 1.3) * 4);
  const z1 = Array.from({ length: rows }, (_, i) => Math.cos(i * 0.7) * 6);
  const y5 = Array.from({ length: rows }, (_, r) => (r * 3) % 5);
  const y1 = Array.from({ length: rows }, (_, r) => r % 2);
  const w = tf.tensor1d(Array.from({ length: rows }, (_, r) => 0.5 + (r % 3)));
  return [
    { z: tf.tensor2d(z5, [rows, 5]), y: tf.tensor1d(y5, 'int32'), w, act: (z) => tf.softmax(z) },
    { z: tf.tensor2d(z1, [rows, 1]), y: tf.tensor1d(y1, 'int32'), w, act: (z) => tf.sigmoid(z) },
  ];
}

test('cross-entropy from logits: the clipped formula of the probabilities where no clip is reached, gradient p − y', async () => {
  await tf.setBackend('cpu');
  for (const { z, y, w, act } of logitCases()) {
    const label = `${z.shape[1]} column(s)`;
    tf.tidy(() => {
      for (const weights of [null, w]) {
        const got = crossEntropyFromLogits(z, y, weights).dataSync()[0];
        const want = crossEntropyOps(act(z), y, weights).dataSync()[0];
        assert.ok(Math.abs(got - want) < 1e-5 * Math.max(1, want), `${label}: ${got} vs ${want}`);
        const g = tf.grad((x: tf.Tensor) => tf.mul(crossEntropyFromLogits(x, y, weights), 0.75))(z);
        const gWant = tf.grad((x: tf.Tensor) => tf.mul(crossEntropyOps(act(x), y, weights), 0.75))(z);
        assert.ok(maxDiff(g, gWant) < 1e-5, `${label}: gradient differs by ${maxDiff(g, gWant)}`);
      }
    });
  }
});

test('a confidently wrong prediction keeps its gradient from the logits; from clipped probabilities it has none', async () => {
  await tf.setBackend('cpu');
  // Row 0 is wrong and saturated (logit −80 for its true class 1; softmax: its true class 80 below the rest),
  // row 1 is right: the mean gradient on row 0's logit is (p − y) / 2 ≈ −0.5.
  const y = tf.tensor1d([1, 0], 'int32');
  const sig = tf.tensor2d([[-80], [-3]]);
  const gLogits = tf.grad((x: tf.Tensor) => crossEntropyFromLogits(x, y, null))(sig).dataSync();
  const gProba = tf.grad((x: tf.Tensor) => crossEntropy(tf.sigmoid(x), y, null))(sig).dataSync();
  assert.ok(Math.abs(gLogits[0] + 0.5) < 1e-6, `from logits: ${gLogits[0]}`);
  assert.equal(gProba[0], 0, 'the clipped-probability gradient vanishes: the trap the logits avoid');
  // Past logit ~17 a float32 sigmoid is exactly 1: a benign row scored malicious that hard.
  const y0 = tf.tensor1d([0], 'int32');
  const high = tf.tensor2d([[30]]);
  assert.ok(Math.abs(tf.grad((x: tf.Tensor) => crossEntropyFromLogits(x, y0, null))(high).dataSync()[0] - 1) < 1e-6);
  assert.equal(tf.grad((x: tf.Tensor) => crossEntropy(tf.sigmoid(x), y0, null))(high).dataSync()[0], 0);
  const soft = tf.tensor2d([[-80, 0, 0], [5, 0, 0]]);
  const gs = tf.grad((x: tf.Tensor) => crossEntropyFromLogits(x, tf.tensor1d([0, 0], 'int32'), null))(soft).dataSync();
  assert.ok(Math.abs(gs[0] + 0.5) < 1e-6 && Math.abs(gs[1] - 0.25) < 1e-6, `softmax: ${Array.from(gs.slice(0, 3))}`);
  assert.equal(crossEntropyFromLogits(sig, y, null).dataSync()[0] > 40, true, 'unclipped: the wrong row costs its ~80 nats');
});
