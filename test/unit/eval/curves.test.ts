import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdSteps, type Steps } from '../../../electron/eval/steps';
import { rocAuc, rocPoints } from '../../../electron/eval/roc';
import { averagePrecision, prPoints } from '../../../electron/eval/pr';
import { tprAtFpr } from '../../../electron/eval/tpr-at-fpr';
import { rocCurve, prCurve } from '../../../electron/eval/curves';
import { evaluate } from '../../../electron/eval/evaluate';
import { EvalResultSchema } from '../../../shared/eval';
import { mulberry32 } from '../../../models/lib/random';
import { approx, binaryProba, split } from './helpers';

function steps(pos: number[], neg: number[]): Steps {
  const scores = [...pos, ...neg];
  return thresholdSteps(scores.length, (i) => scores[i], (i) => i < pos.length);
}

/*
 * 4 positives / 4 negatives with ties, two of them across the classes (0.8 and 0.5):
 *   positives 0.9 0.8 0.5 0.5      negatives 0.8 0.5 0.3 0.1
 * Mann–Whitney, pairs (p, n) scoring 1 if p > n, 1/2 if p = n:
 *   0.9 beats all four                      → 4
 *   0.8 ties 0.8, beats 0.5 0.3 0.1         → 3.5
 *   0.5 loses to 0.8, ties 0.5, beats 2     → 2.5   (twice)
 *   U = 4 + 3.5 + 2.5 + 2.5 = 12.5,  AUC = 12.5 / 16 = 0.78125
 * Tie groups (threshold: TP, FP): 0.9: 1,0   0.8: 2,1   0.5: 4,2   0.3: 4,3   0.1: 4,4
 * ROC points (FPR, TPR): (0,0) (0,.25) (.25,.5) (.5,1) (.75,1) (1,1) — 6 points, not 9: ties are one step.
 * Trapezoids: .25·(.25+.5)/2 + .25·(.5+1)/2 + .25·1 + .25·1 = .09375 + .1875 + .25 + .25 = 0.78125 ✓
 * AP = Σ (R_n − R_{n−1}) P_n: .25·(1/1) + .25·(2/3) + .5·(4/6) = .25 + 1/6 + 1/3 = 0.75
 * PR curve (recall, precision): (0,1) (.25,1) (.5,2/3) (1,2/3), stopping at the first full-recall group.
 */
const tiedPos = [0.9, 0.8, 0.5, 0.5];
const tiedNeg = [0.8, 0.5, 0.3, 0.1];

test('tie groups: one threshold step per distinct score', () => {
  const s = steps(tiedPos, tiedNeg);
  assert.deepEqual([...s.thresholds], [0.9, 0.8, 0.5, 0.3, 0.1]);
  assert.deepEqual([...s.tps], [1, 2, 4, 4, 4]);
  assert.deepEqual([...s.fps], [0, 1, 2, 3, 4]);
  const p = rocPoints(s);
  assert.deepEqual([...p.fpr], [0, 0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual([...p.tpr], [0, 0.25, 0.5, 1, 1, 1]);
  assert.equal(p.thresholds[0], Infinity);
});

test('AUC with ties equals the hand Mann–Whitney value', () => {
  assert.equal(rocAuc(steps(tiedPos, tiedNeg)), 0.78125);
  // All scores equal: every pair is a tie → exactly 1/2.
  assert.equal(rocAuc(steps([0.5, 0.5, 0.5], [0.5, 0.5])), 0.5);
  // Perfect and perfectly inverted rankings.
  assert.equal(rocAuc(steps([0.9, 0.8], [0.1, 0.2])), 1);
  assert.equal(rocAuc(steps([0.1, 0.2], [0.9, 0.8])), 0);
});

test('AUC matches a brute-force Mann–Whitney count on heavily tied random scores', () => {
  const rand = mulberry32(5);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < 1500; i++) {
    const positive = rand() < 0.3;
    const s = Math.round((rand() * 0.6 + (positive ? 0.3 : 0)) * 20) / 20; // 21 distinct values → many ties
    (positive ? pos : neg).push(s);
  }
  let u = 0;
  for (const p of pos) for (const n of neg) u += p > n ? 1 : p === n ? 0.5 : 0;
  approx(rocAuc(steps(pos, neg)), u / (pos.length * neg.length), 1e-12);
});

test('average precision and PR curve on the hand example', () => {
  const s = steps(tiedPos, tiedNeg);
  approx(averagePrecision(s), 0.75);
  const p = prPoints(s);
  assert.deepEqual([...p.recall], [0, 0.25, 0.5, 1]);
  approx(p.precision[0], 1);
  approx(p.precision[1], 1);
  approx(p.precision[2], 2 / 3);
  approx(p.precision[3], 2 / 3);
  assert.deepEqual([...p.thresholds], [Infinity, 0.9, 0.8, 0.5]);
  /*
   * No ties: positives 0.9 0.6, negatives 0.7 0.2 → ranking P N P N
   * AP = .5·(1/1) + .5·(2/3) = 5/6
   */
  approx(averagePrecision(steps([0.9, 0.6], [0.7, 0.2])), 5 / 6);
});

/*
 * Constructed operating points. 1000 negatives with distinct scores k/1000 (k = 0..999), 100 positives:
 *   30 at 0.9995 (above every negative)
 *   20 at 0.999  (tied with the top negative: that group is 20 TP + 1 FP)
 *   40 at 0.9905 (between negatives 0.991 and 0.990)
 *   10 at 0.5
 * FPR ≤ 0.1 % → at most 1 FP: best is threshold 0.999 → TP 50, FP 1 → TPR 0.5, FPR 0.001.
 * FPR ≤ 1 %   → at most 10 FP: threshold 0.9905 has TP 90 with FP 9 (negatives 0.991..0.999);
 *               0.990 would add FP 10 with no more TP, so the fewer-false-alarm point is reported.
 * FPR ≤ 0.05 % → 0 FP: threshold 0.9995 → TPR 0.3.
 */
const opPos = [...Array(30).fill(0.9995), ...Array(20).fill(0.999), ...Array(40).fill(0.9905), ...Array(10).fill(0.5)];
const opNeg = Array.from({ length: 1000 }, (_, k) => k / 1000);

test('TPR at fixed FPR on a constructed example', () => {
  const f = Math.fround;
  const scores = [...opPos, ...opNeg].map(f); // what a Float32Array of probabilities would hold
  const s = thresholdSteps(scores.length, (i) => scores[i], (i) => i < opPos.length);
  const [p0005, p001, p01] = tprAtFpr(s, [0.0005, 0.001, 0.01]);
  assert.deepEqual(p0005, { targetFpr: 0.0005, tpr: 0.3, fpr: 0, threshold: f(0.9995), truePositives: 30, falsePositives: 0 });
  assert.deepEqual(p001, { targetFpr: 0.001, tpr: 0.5, fpr: 0.001, threshold: f(0.999), truePositives: 50, falsePositives: 1 });
  assert.deepEqual(p01, { targetFpr: 0.01, tpr: 0.9, fpr: 0.009, threshold: f(0.9905), truePositives: 90, falsePositives: 9 });

  // Through evaluate(): binary K = 2, normal = class 0, same numbers.
  const y = Int32Array.from([...opPos.map(() => 1), ...opNeg.map(() => 0)]);
  const r = evaluate({ yTrue: y, proba: binaryProba([...opPos, ...opNeg]), classes: ['normal', 'attack'], normalIndex: 0, split });
  assert.equal(r.tprAtFpr.basis, 'binary');
  assert.equal(r.tprAtFpr.reason, null);
  assert.deepEqual(r.tprAtFpr.points.map((p) => [p.targetFpr, p.tpr, p.fpr]), [
    [0.001, 0.5, 0.001],
    [0.01, 0.9, 0.009],
  ]);
});

test('TPR at FPR when the top score is tied with a negative: only "flag nothing" fits a zero budget', () => {
  const [p] = tprAtFpr(steps([0.9, 0.4], [0.9, 0.1]), [0]);
  assert.deepEqual(p, { targetFpr: 0, tpr: 0, fpr: 0, threshold: null, truePositives: 0, falsePositives: 0 });
});

test('curves are downsampled for display while AUC / AP stay exact', () => {
  const rand = mulberry32(11);
  const n = 20000;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) {
    const positive = rand() < 0.4;
    (positive ? pos : neg).push(Math.fround(rand() * 0.7 + (positive ? 0.3 : 0)));
  }
  const s = steps(pos, neg);
  const roc = rocCurve(s, { basis: 'class', positive: 'x' }, 500);
  const full = rocPoints(s);
  assert.equal(roc.fullPoints, full.fpr.length);
  assert.ok(roc.fullPoints > 10000);
  assert.ok(roc.fpr.length <= 500 && roc.fpr.length > 100, `${roc.fpr.length} display points`);
  assert.deepEqual([roc.fpr[0], roc.tpr[0], roc.thresholds[0]], [0, 0, null]);
  assert.deepEqual([roc.fpr.at(-1), roc.tpr.at(-1)], [1, 1]);
  assert.equal(roc.auc, rocAuc(s));
  // Every drawn point is a real point of the full curve, with its own threshold.
  const key = new Map<number, number>();
  for (let i = 1; i < full.fpr.length; i++) key.set(full.thresholds[i], i);
  for (let j = 1; j < roc.fpr.length; j++) {
    const i = key.get(roc.thresholds[j] as number);
    assert.ok(i !== undefined);
    assert.deepEqual([roc.fpr[j], roc.tpr[j]], [full.fpr[i], full.tpr[i]]);
  }
  // The drawn polyline's area is close to the exact one (a display sanity check, not the reported AUC).
  let area = 0;
  for (let j = 1; j < roc.fpr.length; j++) area += ((roc.fpr[j] - roc.fpr[j - 1]) * (roc.tpr[j] + roc.tpr[j - 1])) / 2;
  approx(area, roc.auc as number, 2e-3, 'display area');

  const pr = prCurve(s, { basis: 'class', positive: 'x' }, 500);
  assert.ok(pr.recall.length <= 500);
  assert.equal(pr.averagePrecision, averagePrecision(s));
  assert.deepEqual([pr.recall[0], pr.precision[0]], [0, 1]);
  assert.equal(pr.recall.at(-1), 1);
});

test('collinear runs collapse losslessly: a perfect ranker needs 3 ROC points', () => {
  const pos = Array.from({ length: 1000 }, (_, i) => 0.5 + i / 4000);
  const neg = Array.from({ length: 1000 }, (_, i) => i / 4000);
  const roc = rocCurve(steps(pos, neg), { basis: 'class', positive: 'x' });
  assert.equal(roc.fullPoints, 2001);
  assert.deepEqual(roc.fpr, [0, 0, 1]);
  assert.deepEqual(roc.tpr, [0, 1, 1]);
  assert.equal(roc.auc, 1);
});

test('a test set with a single class does not crash: AUC null with a reason', () => {
  // Multi-class, every row 'normal'.
  const k = 3;
  const rows = 6;
  const proba = new Float32Array(rows * k).map((_, i) => [0.6, 0.3, 0.1][i % k] + (i % 2) * 0.01);
  const r = evaluate({ yTrue: new Int32Array(rows), proba, classes: ['normal', 'dos', 'probe'], normalIndex: 0, split });
  assert.equal(r.accuracy, 1);
  assert.equal(r.roc.auc, null);
  assert.match(r.roc.reason ?? '', /undefined for every class/);
  assert.match(r.roc.curves[0].reason ?? '', /no negatives: every row is 'normal'/);
  assert.match(r.roc.curves[1].reason ?? '', /no positives: no 'dos' rows/);
  assert.deepEqual(r.roc.curves[0].fpr, []);
  assert.equal(r.roc.attackVsNormal?.auc, null);
  assert.match(r.roc.attackVsNormal?.reason ?? '', /no positives: no attack rows/);
  // AP: 'normal' has positives and no negatives → precision is always 1, AP = 1 (sklearn agrees).
  assert.equal(r.pr.curves[0].averagePrecision, 1);
  assert.equal(r.pr.averagePrecision, 1);
  assert.match(r.pr.reason ?? '', /over 1 of 3 classes/);
  assert.equal(r.detectionRate, null);
  assert.equal(r.falseAlarmRate, 0);
  assert.equal(r.tprAtFpr.points[0].tpr, null);
  assert.match(r.tprAtFpr.reason ?? '', /no positives/);
  assert.doesNotThrow(() => EvalResultSchema.parse(JSON.parse(JSON.stringify(r))));

  // Binary, every row an attack.
  const b = evaluate({ yTrue: Int32Array.from([1, 1, 1]), proba: binaryProba([0.9, 0.2, 0.6]), classes: ['benign', 'phish'], normalIndex: 0, split });
  assert.equal(b.roc.mode, 'binary');
  assert.equal(b.roc.auc, null);
  assert.match(b.roc.reason ?? '', /no negatives: every row is 'phish'/);
  assert.equal(b.falseAlarmRate, null);
  approx(b.detectionRate, 2 / 3);
  assert.doesNotThrow(() => EvalResultSchema.parse(JSON.parse(JSON.stringify(b))));
});

test('one-vs-rest macro AUC skips a class missing from the test set and says so', () => {
  // classes [normal, dos, u2r]; no u2r rows. normal vs rest and dos vs rest are perfect.
  const yTrue = Int32Array.from([0, 0, 1, 1]);
  const proba = Float32Array.from([0.9, 0.05, 0.05, 0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1]);
  const r = evaluate({ yTrue, proba, classes: ['normal', 'dos', 'u2r'], normalIndex: 0, split });
  assert.equal(r.roc.mode, 'one-vs-rest');
  assert.deepEqual(r.roc.curves.map((c) => c.auc), [1, 1, null]);
  assert.equal(r.roc.auc, 1);
  assert.match(r.roc.reason ?? '', /macro AUC over 2 of 3 classes; undefined for 'u2r'/);
  assert.equal(r.roc.attackVsNormal?.auc, 1);
  assert.equal(r.tprAtFpr.basis, 'attack-vs-normal');
});
