import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../../electron/eval/evaluate';
import { EvalResultSchema, EVAL_RESULT_VERSION } from '../../../shared/eval';
import { rocAuc } from '../../../electron/eval/roc';
import { thresholdSteps } from '../../../electron/eval/steps';
import { mulberry32 } from '../../../models/lib/random';
import { approx } from './helpers';

/** Softmax-like rows for a noisy K-class model; scores quantised to 3 decimals so ties are common. */
function synthetic(rows: number, k: number, seed: number) {
  const rand = mulberry32(seed);
  const yTrue = new Int32Array(rows);
  const proba = new Float32Array(rows * k);
  const raw = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const y = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * (k - 1));
    yTrue[i] = y;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      raw[c] = Math.exp(rand() * 2 + (c === y ? 1.5 : 0));
      sum += raw[c];
    }
    for (let c = 0; c < k; c++) proba[i * k + c] = Math.round((raw[c] / sum) * 1000) / 1000;
  }
  return { yTrue, proba };
}

const classes = ['normal', 'dos', 'probe', 'r2l', 'u2r'];

test('NSL-KDD-sized input (311,029 rows × 5 classes): a complete, schema-valid, JSON-stable result', () => {
  const { yTrue, proba } = synthetic(311_029, 5, 1);
  const r = evaluate({ yTrue, proba, classes, normalIndex: 0, split: { kind: 'official-test', description: 'synthetic KDD-sized' } });
  assert.equal(r.version, EVAL_RESULT_VERSION);
  assert.equal(r.rows, 311_029);
  assert.equal(r.confusion.counts.flat().reduce((a, b) => a + b, 0), 311_029);
  assert.equal(r.perClass.reduce((a, c) => a + c.support, 0), 311_029);
  approx(r.weighted.recall, r.accuracy, 1e-12, 'weighted recall = accuracy');
  assert.equal(r.roc.mode, 'one-vs-rest');
  assert.equal(r.roc.curves.length, 5);
  for (const c of [...r.roc.curves, r.roc.attackVsNormal!]) {
    assert.ok(c.fpr.length <= 500 && c.fpr.length === c.tpr.length && c.tpr.length === c.thresholds.length);
    assert.ok(c.auc !== null && c.auc > 0.5 && c.auc < 1);
  }
  for (const c of [...r.pr.curves, r.pr.attackVsNormal!]) assert.ok(c.recall.length <= 500);
  approx(r.roc.auc, r.roc.curves.reduce((a, c) => a + (c.auc as number), 0) / 5, 1e-12, 'macro AUC');
  assert.equal(r.roc.reason, null);
  assert.equal(r.tprAtFpr.basis, 'attack-vs-normal');
  for (const p of r.tprAtFpr.points) assert.ok(p.fpr !== null && p.fpr <= p.targetFpr);

  const json = JSON.stringify(r);
  const back = EvalResultSchema.parse(JSON.parse(json));
  assert.deepEqual(back, r);
  // Compared as a boolean: a failing diff of two 500 kB strings is unreadable anyway.
  assert.ok(JSON.stringify(back) === json, 'key order survives a parse');
});

test('attack-vs-normal AUC ranks by 1 − p(normal)', () => {
  const { yTrue, proba } = synthetic(3000, 5, 2);
  const r = evaluate({ yTrue, proba, classes, normalIndex: 0, split: { kind: 'random-split', description: '10 % held out' } });
  const s = thresholdSteps(yTrue.length, (i) => -proba[i * 5], (i) => yTrue[i] !== 0);
  approx(r.roc.attackVsNormal!.auc, rocAuc(s) as number, 1e-12);
});

test('multi-class without a normal class: no IDS rates, no operating points, still valid', () => {
  const { yTrue, proba } = synthetic(1000, 5, 3);
  const r = evaluate({ yTrue, proba, classes, normalIndex: null, split: { kind: 'file', description: 'my.csv' } });
  assert.equal(r.normalClass, null);
  assert.equal(r.detectionRate, null);
  assert.equal(r.roc.attackVsNormal, null);
  assert.equal(r.tprAtFpr.basis, null);
  assert.deepEqual(r.tprAtFpr.points.map((p) => [p.targetFpr, p.tpr]), [
    [0.001, null],
    [0.01, null],
  ]);
  assert.doesNotThrow(() => EvalResultSchema.parse(JSON.parse(JSON.stringify(r))));
});

test('binary model: positive is the non-normal class, whichever index normal has', () => {
  // classes [malicious, benign], normal = 1 → positive = 0, scored by proba[:, 0].
  const yTrue = Int32Array.from([0, 0, 1, 1]);
  const proba = Float32Array.from([0.9, 0.1, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]);
  const r = evaluate({ yTrue, proba, classes: ['malicious', 'benign'], normalIndex: 1, split: { kind: 'file', description: 'x' } });
  assert.equal(r.roc.curves[0].positive, 'malicious');
  assert.equal(r.roc.auc, 1); // malicious scores 0.9, 0.4 vs benign 0.3, 0.2
  approx(r.detectionRate, 0.5);
  assert.equal(r.falseAlarmRate, 0);
});
