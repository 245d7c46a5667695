import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../../electron/compute/kernels/index';
import { countCorrect, crossEntropy } from '../../../electron/train/loss';

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
