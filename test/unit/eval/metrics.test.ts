import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationReport } from '../../../electron/eval/classification';
import { confusionCounts, normalizeRows } from '../../../electron/eval/confusion';
import { idsRates } from '../../../electron/eval/ids';
import { argmaxRows } from '../../../electron/eval/predict';
import { evaluate } from '../../../electron/eval/evaluate';
import { EvalError } from '../../../electron/eval/errors';
import { approx, probaFor, split } from './helpers';

/*
 * Hand example, classes [normal, dos, probe], normal = 0, 10 rows:
 *   true normal (4): predicted normal 3, dos 1
 *   true dos    (3): predicted dos 2, probe 1
 *   true probe  (3): predicted normal 2, probe 1
 * counts = [[3,1,0],[0,2,1],[2,0,1]];  column sums (predicted) = [5, 3, 2]
 * accuracy = (3+2+1)/10 = 0.6
 * precision = [3/5, 2/3, 1/2]           recall = [3/4, 2/3, 1/3]
 * F1 normal = 2·0.6·0.75/(0.6+0.75) = 0.9/1.35 = 2/3
 * F1 dos    = 2/3
 * F1 probe  = 2·(1/2)(1/3)/(1/2+1/3) = (1/3)/(5/6) = 0.4
 * macro P = (0.6 + 2/3 + 0.5)/3 = 0.58888…   macro R = (0.75 + 2/3 + 1/3)/3 = 0.58333…
 * macro F1 = (2/3 + 2/3 + 0.4)/3 = 0.57777…
 * weighted P = (0.6·4 + (2/3)·3 + 0.5·3)/10 = 0.59   weighted R = 6/10 = 0.6 (always = accuracy)
 * weighted F1 = ((2/3)·4 + (2/3)·3 + 0.4·3)/10 = 0.58666…
 * detection rate = attacks flagged as any attack / attacks = (2+1 + 0+1)/6 = 2/3
 *   (the dos row predicted probe still counts: it was detected, just mislabelled)
 * false-alarm rate = normal flagged as attack / normal = 1/4
 */
const yTrue = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
const yPred = [0, 0, 0, 1, 1, 1, 2, 0, 0, 2];
const classes = ['normal', 'dos', 'probe'];

test('confusion matrix, row-normalised', () => {
  const counts = confusionCounts(yTrue, Int32Array.from(yPred), 3);
  assert.deepEqual(counts, [
    [3, 1, 0],
    [0, 2, 1],
    [2, 0, 1],
  ]);
  const norm = normalizeRows(counts);
  assert.deepEqual(norm[0], [0.75, 0.25, 0]);
  approx(norm[1][1], 2 / 3);
  approx(norm[2][0], 2 / 3);
  assert.deepEqual(normalizeRows([[0, 0], [1, 3]]), [[0, 0], [0.25, 0.75]], 'empty row stays zeros');
});

test('accuracy, per-class, macro and weighted on the hand example', () => {
  const r = classificationReport(confusionCounts(yTrue, Int32Array.from(yPred), 3), classes);
  approx(r.accuracy, 0.6);
  const want = [
    { p: 0.6, r: 0.75, f: 2 / 3, s: 4, n: 5 },
    { p: 2 / 3, r: 2 / 3, f: 2 / 3, s: 3, n: 3 },
    { p: 0.5, r: 1 / 3, f: 0.4, s: 3, n: 2 },
  ];
  want.forEach((w, c) => {
    const pc = r.perClass[c];
    assert.equal(pc.label, classes[c]);
    approx(pc.precision, w.p, 1e-12, `precision[${c}]`);
    approx(pc.recall, w.r, 1e-12, `recall[${c}]`);
    approx(pc.f1, w.f, 1e-12, `f1[${c}]`);
    assert.equal(pc.support, w.s);
    assert.equal(pc.predicted, w.n);
  });
  approx(r.macro.precision, (0.6 + 2 / 3 + 0.5) / 3);
  approx(r.macro.recall, 1.75 / 3);
  approx(r.macro.f1, (4 / 3 + 0.4) / 3);
  assert.equal(r.macro.classesAveraged, 3);
  approx(r.weighted.precision, 0.59);
  approx(r.weighted.recall, 0.6);
  approx(r.weighted.f1, (8 / 3 + 2 + 1.2) / 10);
});

test('detection rate and false-alarm rate', () => {
  const counts = confusionCounts(yTrue, Int32Array.from(yPred), 3);
  const r = idsRates(counts, 0);
  approx(r.detectionRate, 4 / 6);
  approx(r.falseAlarmRate, 1 / 4);
  assert.deepEqual(idsRates(counts, null), { detectionRate: null, falseAlarmRate: null });
  // No attack rows at all: detection rate does not exist (null), false alarms still do.
  assert.deepEqual(idsRates([[3, 1], [0, 0]], 0), { detectionRate: null, falseAlarmRate: 0.25 });
});

test('0/0 := 0, and classes absent from y_true and y_pred stay out of the macro mean', () => {
  /*
   * classes [a, b, c, d]; true [0,0,1,1], predicted [0,2,1,1]:
   *   a: P 1/1, R 1/2, F1 2/3     b: P 2/2, R 2/2, F1 1
   *   c: never true, predicted once → P 0/1 = 0, R 0/0 := 0, F1 := 0  (in the macro: it was predicted)
   *   d: never true, never predicted → all 0, left out of the macro mean
   * macro F1 = (2/3 + 1 + 0)/3 = 5/9;  weighted F1 = (2/3·2 + 1·2)/4 = 5/6
   */
  const r = classificationReport(confusionCounts(Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 2, 1, 1]), 4), ['a', 'b', 'c', 'd']);
  assert.deepEqual(
    r.perClass.slice(2).map((c) => [c.precision, c.recall, c.f1]),
    [
      [0, 0, 0],
      [0, 0, 0],
    ],
  );
  assert.equal(r.macro.classesAveraged, 3);
  approx(r.macro.f1, 5 / 9);
  approx(r.weighted.f1, 5 / 6);
});

test('argmax ties go to the lower class index', () => {
  assert.deepEqual([...argmaxRows(Float32Array.from([0.5, 0.5, 0.2, 0.8, 0.3, 0.3]), 2)], [0, 1, 0]);
  assert.deepEqual([...argmaxRows(Float32Array.from([0.4, 0.4, 0.2]), 3)], [0]);
});

test('evaluate() fills the same numbers into the result', () => {
  const r = evaluate({ yTrue, proba: probaFor(yPred, 3), classes, normalIndex: 0, split });
  approx(r.accuracy, 0.6);
  approx(r.detectionRate, 2 / 3);
  approx(r.falseAlarmRate, 0.25);
  assert.equal(r.normalClass, 'normal');
  assert.equal(r.rows, 10);
  assert.deepEqual(r.confusion.counts[2], [2, 0, 1]);
});

test('bad input names the argument, the row and the reason', () => {
  const base = { yTrue, proba: probaFor(yPred, 3), classes, normalIndex: 0, split };
  assert.throws(() => evaluate({ ...base, yTrue: Int32Array.from([0, 0, 0, 0, 1, 1, 7, 2, 2, 2]) }), (e: unknown) => {
    assert.ok(e instanceof EvalError);
    assert.match(e.message, /^yTrue row 6: class index 7 outside 0\.\.2$/);
    return true;
  });
  const nan = probaFor(yPred, 3);
  nan[3 * 3 + 1] = NaN;
  assert.throws(() => evaluate({ ...base, proba: nan }), /proba row 3: score for class 1 is NaN/);
  assert.throws(() => evaluate({ ...base, proba: new Float32Array(29) }), /proba: length 29 is not rows × classes = 10 × 3/);
  assert.throws(() => evaluate({ ...base, normalIndex: 3 }), /normalIndex: 3 is not a class index/);
  assert.throws(() => evaluate({ ...base, yTrue: new Int32Array(0), proba: new Float32Array(0) }), /yTrue: empty test set/);
  assert.throws(() => evaluate({ ...base, classes: ['x'], proba: new Float32Array(10) }), /classes: need at least 2/);
});
