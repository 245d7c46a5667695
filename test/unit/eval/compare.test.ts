import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcnemar } from '../../../electron/eval/mcnemar';
import { binomHalfCdf, chi2Sf } from '../../../electron/eval/stats';
import { pairedBootstrap, quantile } from '../../../electron/eval/bootstrap';
import { compareModels } from '../../../electron/eval/compare';
import { classificationReport } from '../../../electron/eval/classification';
import { confusionCounts } from '../../../electron/eval/confusion';
import { CompareResultSchema } from '../../../shared/eval';
import { mulberry32 } from '../../../models/lib/random';
import { approx } from './helpers';

test('χ²(1) tail matches reference values (scipy.stats.chi2.sf, 1 df)', () => {
  const ref: [number, number][] = [
    [0.01, 0.920344325445942],
    [0.5, 0.47950012218695337],
    [1, 0.31731050786291115],
    [2.5, 0.11384629800665763],
    [10, 0.001565402258002549],
    [30, 4.3204630578274955e-8],
    [60, 9.485737571073857e-15],
    [100, 1.5239706048320995e-23],
  ];
  for (const [x, p] of ref) approx(chi2Sf(x, 1), p, p * 1e-9, `chi2Sf(${x})`);
  assert.equal(chi2Sf(0, 1), 1);
});

test('McNemar, 2×2 table a=59, b=6, c=16, d=80 (only b, c enter)', () => {
  /*
   * uncorrected χ² = (6 − 16)² / 22 = 100/22 = 4.5454…, p = 0.03300…
   * corrected   χ² = (|6 − 16| − 1)² / 22 = 81/22 = 3.6818…, p = 0.05500…
   * exact: 2·P(X ≤ 6), X ~ Bin(22, ½) = 2·(C(22,0)+…+C(22,6))/2^22 = 2·110056/4194304 = 0.0524788
   * (p-values checked against scipy.stats.chi2.sf / binom.cdf)
   * b + c = 22 < 25, so the default reports the exact test.
   */
  const r = mcnemar(6, 16);
  approx(r.chi2Uncorrected.statistic, 100 / 22);
  approx(r.chi2Uncorrected.pValue, 0.0330062576612325, 1e-12);
  approx(r.chi2Corrected.statistic, 81 / 22);
  approx(r.chi2Corrected.pValue, 0.055008833629265896, 1e-12);
  assert.equal(r.method, 'exact-binomial');
  assert.equal(r.statistic, 6);
  approx(r.pValue, (2 * 110056) / 4194304, 1e-15);
  const chi = mcnemar(6, 16, { method: 'chi2-continuity' });
  assert.equal(chi.method, 'chi2-continuity');
  approx(chi.statistic, 81 / 22);
  approx(chi.pValue, 0.055008833629265896, 1e-12);
});

test('McNemar, textbook example with large counts (Agresti, presidential approval: 794 150 / 86 570)', () => {
  /*
   * Agresti, An Introduction to Categorical Data Analysis, §8.1: z² = (86 − 150)² / 236 = 17.356 (z = −4.17).
   * b + c = 236 ≥ 25 → χ² with continuity correction: (64 − 1)² / 236 = 16.818, p = 4.11e-5.
   */
  const r = mcnemar(150, 86);
  approx(r.chi2Uncorrected.statistic, 4096 / 236);
  approx(r.chi2Uncorrected.pValue, 3.099293441045215e-5, 1e-15);
  assert.equal(r.method, 'chi2-continuity');
  approx(r.statistic, 3969 / 236);
  approx(r.pValue, 4.114562281345944e-5, 1e-15);
});

test('exact binomial McNemar on small b, c', () => {
  // b = 1, c = 8: P(X ≤ 1) = (C(9,0) + C(9,1)) / 2^9 = 10/512, two-sided p = 20/512 = 0.0390625.
  const r = mcnemar(1, 8);
  assert.equal(r.method, 'exact-binomial');
  approx(r.pValue, 20 / 512, 1e-15);
  // b = 3, c = 5: 2·(1 + 8 + 28 + 56)/256 = 186/256 = 0.7265625.
  approx(mcnemar(3, 5).pValue, 186 / 256, 1e-15);
  // b = c: no evidence either way, p = 1 (2·P(X ≤ n/2) is capped); corrected χ² is 0, not 1/(b+c).
  assert.equal(mcnemar(4, 4).pValue, 1);
  assert.equal(mcnemar(4, 4).chi2Corrected.statistic, 0);
  // The models never disagree.
  const z = mcnemar(0, 0);
  assert.deepEqual([z.statistic, z.pValue, z.chi2Corrected.pValue, z.chi2Uncorrected.pValue], [0, 1, 1, 1]);
  // Large n: summed in log space, no overflow of C(1000, k) or 2^1000 (reference: 2·scipy.stats.binom.cdf).
  approx(2 * binomHalfCdf(400, 1000), 2.728464156065947e-10, 1e-18);
  assert.throws(() => mcnemar(-1, 3), /mcnemar b: must be a non-negative integer/);
});

test('quantile uses linear interpolation between order statistics', () => {
  const s = Float64Array.from([1, 2, 3, 4, 5]);
  assert.equal(quantile(s, 0.5), 3);
  assert.equal(quantile(s, 0.1), 1.4); // h = 4·0.1 = 0.4 → 1 + 0.4·(2 − 1)
  assert.equal(quantile(s, 1), 5);
});

/** Two noisy models on 3 classes: A is right 85 % of the time, B 78 %. */
function twoModels(n: number, seed: number) {
  const rand = mulberry32(seed);
  const y = new Int32Array(n);
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(rand() * 3);
    a[i] = rand() < 0.85 ? y[i] : (y[i] + 1 + Math.floor(rand() * 2)) % 3;
    b[i] = rand() < 0.78 ? y[i] : (y[i] + 1 + Math.floor(rand() * 2)) % 3;
  }
  return { y, a, b };
}

test('bootstrap: reproducible with the same seed, intervals contain the point estimates', () => {
  const { y, a, b } = twoModels(2000, 3);
  const r1 = pairedBootstrap(y, a, b, 3, { resamples: 500, seed: 9 });
  const r2 = pairedBootstrap(y, a, b, 3, { resamples: 500, seed: 9 });
  assert.deepEqual(r1, r2);
  assert.notDeepEqual(pairedBootstrap(y, a, b, 3, { resamples: 500, seed: 10 }).accuracy.a, r1.accuracy.a);

  const accA = classificationReport(confusionCounts(y, a, 3), ['x', 'y', 'z']);
  const accB = classificationReport(confusionCounts(y, b, 3), ['x', 'y', 'z']);
  approx(r1.accuracy.a.estimate, accA.accuracy);
  approx(r1.macroF1.b.estimate, accB.macro.f1);
  approx(r1.accuracy.diff.estimate, accA.accuracy - accB.accuracy);
  for (const m of [r1.accuracy, r1.macroF1]) {
    for (const ci of [m.a, m.b, m.diff]) {
      assert.ok(ci.lower <= ci.estimate && ci.estimate <= ci.upper, JSON.stringify(ci));
      assert.ok(ci.upper - ci.lower < 0.08, `interval too wide: ${JSON.stringify(ci)}`);
    }
  }
  // A is clearly better: the paired difference interval excludes 0.
  assert.ok(r1.accuracy.diff.lower > 0);
});

test('bootstrap cell counting equals the naive resample-rows loop with the same draws', () => {
  const { y, a, b } = twoModels(300, 4);
  const r = pairedBootstrap(y, a, b, 3, { resamples: 50, seed: 21, confidence: 0.9 });
  const rand = mulberry32(21);
  const diffs: number[] = [];
  for (let rep = 0; rep < 50; rep++) {
    let okA = 0;
    let okB = 0;
    for (let i = 0; i < y.length; i++) {
      const j = Math.floor(rand() * y.length);
      if (a[j] === y[j]) okA++;
      if (b[j] === y[j]) okB++;
    }
    diffs.push(okA / y.length - okB / y.length);
  }
  const sorted = Float64Array.from(diffs).sort();
  approx(r.accuracy.diff.lower, quantile(sorted, 0.05), 1e-15);
  approx(r.accuracy.diff.upper, quantile(sorted, 0.95), 1e-15);
});

test('compareModels: identical models → b = c = 0, p = 1, zero-width difference', () => {
  const { y, a } = twoModels(500, 5);
  const r = compareModels({ yTrue: y, predA: a, predB: a, classes: ['x', 'y', 'z'] }, { bootstrap: { resamples: 200 } });
  assert.deepEqual([r.mcnemar.b, r.mcnemar.c, r.mcnemar.pValue], [0, 0, 1]);
  assert.deepEqual(r.bootstrap.accuracy.diff, { estimate: 0, lower: 0, upper: 0 });
  assert.equal(r.bootstrap.seed, 42);
  assert.doesNotThrow(() => CompareResultSchema.parse(JSON.parse(JSON.stringify(r))));
});

test('compareModels: discordant counts and bad input', () => {
  // rows: A right/B wrong ×2, A wrong/B right ×1, both right ×1 → b = 2, c = 1
  const y = Int32Array.from([0, 1, 1, 0]);
  const r = compareModels({ yTrue: y, predA: Int32Array.from([0, 1, 0, 0]), predB: Int32Array.from([1, 0, 1, 0]), classes: ['n', 'a'] });
  assert.deepEqual([r.mcnemar.b, r.mcnemar.c], [2, 1]);
  assert.throws(
    () => compareModels({ yTrue: y, predA: Int32Array.from([0, 1, 0]), predB: y, classes: ['n', 'a'] }),
    /predA: has 3 rows but yTrue has 4: not the same test set/,
  );
  assert.throws(() => compareModels({ yTrue: y, predA: y, predB: Int32Array.from([0, 2, 0, 0]), classes: ['n', 'a'] }), /predB row 1: class index 2/);
  assert.throws(() => pairedBootstrap(y, y, y, 2, { confidence: 95 }), /bootstrap confidence: must be in \(0, 1\)/);
});
