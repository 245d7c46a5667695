import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../electron/compute/backend';
import { combine, fitStacker, memberShares, validationWeights, type Combiner } from '../../../electron/ensemble/combine';
import { EnsembleClassifier } from '../../../electron/ensemble/ensemble-classifier';
import { fitCombiner } from '../../../electron/ensemble/fit';
import { deserializeClassifier } from '../../../electron/train/classifier-io';
import { TfClassifier } from '../../../electron/train/tf-classifier';
import { ensembleToOnnx } from '../../../electron/onnx/from-ensemble';
import { OnnxClassifier } from '../../../electron/onnx/onnx-classifier';
import { getModel } from '../../../models/registry';
import type { TfModelDef } from '../../../models/types';
import { mulberry32 } from '../../../models/lib/random';

before(async () => {
  await selectBackend('wasm');
});

const f32 = (...v: number[]) => Float32Array.from(v);

test('mean: each probability is the members’ average; weighted: weights ∝ 1 / validation log-loss', () => {
  const a = f32(0.9, 0.1, 0.2, 0.8);
  const b = f32(0.5, 0.5, 0.4, 0.6);
  const mean = combine({ method: 'mean', numClasses: 2, weights: [0.5, 0.5] }, [a, b], 2);
  assert.deepEqual(Array.from(mean, (v) => +v.toFixed(6)), [0.7, 0.3, 0.3, 0.7]);

  // Labels [0, 1]: A's log-loss = −(ln .9 + ln .8)/2, B's = −(ln .5 + ln .6)/2.
  const y = Int32Array.from([0, 1]);
  const r = fitCombiner('weighted', 2, 2, { proba: [a, b], y });
  const lossA = -(Math.log(0.9) + Math.log(0.8)) / 2;
  const lossB = -(Math.log(0.5) + Math.log(0.6)) / 2;
  const wA = 1 / lossA / (1 / lossA + 1 / lossB);
  assert.ok(Math.abs(r.combiner.weights[0] - wA) < 1e-6, `weight of A ${r.combiner.weights[0]} vs ${wA}`);
  assert.ok(Math.abs(r.combiner.weights[0] + r.combiner.weights[1] - 1) < 1e-12);
  const w = combine(r.combiner, [a, b], 2);
  assert.ok(Math.abs(w[0] - (wA * 0.9 + (1 - wA) * 0.5)) < 1e-6);
  assert.deepEqual(validationWeights([0.1, 0.2]).map((v) => +v.toFixed(6)), [0.666667, 0.333333]);
  // Shares of the predicted class add up to the ensemble's probability of it.
  const shares = memberShares(r.combiner, [[0.9, 0.1], [0.5, 0.5]], 0);
  assert.ok(Math.abs(shares[0] + shares[1] - w[0]) < 1e-6);
});

test('stack: predictions are softmax(coef · [p₁ p₂] + intercept), and the fit is the penalised optimum', () => {
  // A hand-set stacker on one row: logits z0 = 0.5 + 2·0.9 − 1·0.4 = 1.9, z1 = −0.5 + 1·0.1 + 3·0.6 = 1.4.
  const c: Combiner = { method: 'stack', numClasses: 2, weights: [0.5, 0.5], stacker: { coef: [2, 0, -1, 0, 0, 1, 0, 3], intercept: [0.5, -0.5] } };
  const p = combine(c, [f32(0.9, 0.1), f32(0.4, 0.6)], 1);
  const p0 = Math.exp(1.9) / (Math.exp(1.9) + Math.exp(1.4));
  assert.ok(Math.abs(p[0] - p0) < 1e-6 && Math.abs(p[1] - (1 - p0)) < 1e-6);

  // Member A tracks the label, member B is noise: the stacker leans on A and its gradient vanishes.
  const rnd = mulberry32(5);
  const n = 200;
  const y = Int32Array.from({ length: n }, (_, i) => i % 2);
  const a = new Float32Array(n * 2);
  const b = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const pa = y[i] === 1 ? 0.6 + 0.3 * rnd() : 0.1 + 0.3 * rnd();
    const pb = rnd();
    a.set([1 - pa, pa], i * 2);
    b.set([1 - pb, pb], i * 2);
  }
  const fit = fitStacker([a, b], y, 2);
  assert.ok(fit.gradNorm < 1e-5, `gradient norm at the fit ${fit.gradNorm} after ${fit.iterations} iterations`);
  const r = fitCombiner('stack', 2, 2, { proba: [a, b], y });
  assert.ok(r.combiner.weights[0] > 0.8, `A's share of the stacker ${r.combiner.weights[0]}`);
  assert.equal(r.ensemble!.acc, 1);
});

/** Small random-init members of one family, wrapped as an ensemble: the ONNX graph must match the engine. */
async function onnxMatchesEngine(ids: string[], family: 'records' | 'sequences', k: number, combiner: Omit<Combiner, 'numClasses'>) {
  const rows = 33;
  const steps = 20;
  const rnd = mulberry32(9);
  const x = family === 'records' ? Float32Array.from({ length: rows * 12 }, () => rnd() * 4 - 2) : Int32Array.from({ length: rows * steps }, (_, i) => (i % steps < 3 + (Math.floor(i / steps) % 17) ? 2 + Math.floor(rnd() * 90) : 0));
  const members = ids.map((id, i) => {
    const def = getModel(id) as TfModelDef;
    const params = { filters: 8, units: 12, embeddingDim: 8 };
    const spec = family === 'records' ? { numClasses: k, numFeatures: 12, params: {}, seed: 3 + i } : { numClasses: k, vocabSize: 97, maxLen: steps, params, seed: 3 + i };
    return { runId: `run_${i}`, modelId: id, model: new TfClassifier(def.build(spec), { modelId: id, family, numClasses: k }) };
  });
  const bytes = await Promise.all(members.map((m) => m.model.serialize()));
  const ens = new EnsembleClassifier(members, { ...combiner, numClasses: k }, bytes);
  try {
    const engine = await ens.predictProba(x, rows);
    // The engine's ensemble is what the members' probabilities make.
    const each = await ens.memberProba(x, rows);
    if (combiner.method === 'mean') {
      for (let i = 0; i < rows * k; i++) assert.ok(Math.abs(engine[i] - each.reduce((s, p) => s + p[i], 0) / each.length) < 1e-6);
    }
    // Round trip through serialize / deserializeClassifier gives the same scores.
    const back = await deserializeClassifier(await ens.serialize());
    assert.ok(back instanceof EnsembleClassifier);
    const again = await back.predictProba(x, rows);
    back.dispose();
    assert.deepEqual(Array.from(again), Array.from(engine));
    const onnx = await OnnxClassifier.create(ensembleToOnnx(ens), k);
    const got = await onnx.predictProba(x, rows);
    await onnx.dispose();
    let d = 0;
    for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - engine[i]));
    assert.ok(d < 1e-5, `${ids.join('+')} ${combiner.method}: ONNX vs engine max difference ${d}`);
  } finally {
    ens.dispose();
  }
}

test('ONNX: one graph of a records ensemble (dnn + lstm + logreg) equals the engine within 1e-5, for each combiner', async () => {
  const ids = ['dnn2', 'lstm', 'logreg'];
  await onnxMatchesEngine(ids, 'records', 5, { method: 'mean', weights: [1 / 3, 1 / 3, 1 / 3] });
  await onnxMatchesEngine(ids, 'records', 2, { method: 'weighted', weights: [0.5, 0.3, 0.2] });
  const d = 3 * 5;
  const coef = Array.from({ length: 5 * d }, (_, i) => Math.sin(i) * 2);
  await onnxMatchesEngine(ids, 'records', 5, { method: 'stack', weights: [1 / 3, 1 / 3, 1 / 3], stacker: { coef, intercept: [0.1, -0.2, 0.3, 0, -0.1] } });
});

test('ONNX: one graph of a character ensemble (char-cnn + char-lstm) equals the engine within 1e-5', async () => {
  await onnxMatchesEngine(['char-cnn', 'char-lstm'], 'sequences', 2, { method: 'stack', weights: [0.5, 0.5], stacker: { coef: [1, -1, 2, 0.5, -1, 1, -2, 0.3], intercept: [0.2, -0.2] } });
});
