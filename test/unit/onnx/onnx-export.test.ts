import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../electron/compute/backend';
import { layersToOnnx, OnnxExportError } from '../../../electron/onnx/from-layers';
import { OnnxClassifier } from '../../../electron/onnx/onnx-classifier';
import { packTrimmed } from '../../../electron/onnx/pack';
import { predictProba } from '../../../electron/train/predict';
import { MODELS } from '../../../models/registry';
import type { TfModelDef } from '../../../models/types';
import { mulberry32 } from '../../../models/lib/random';

before(async () => {
  await selectBackend('wasm');
});

const STEPS = 30;

/** Rows of every length 0..STEPS (then random lengths), unknown-character id 1 included. */
function charRows(rows: number, seed: number): Int32Array {
  const rnd = mulberry32(seed);
  const x = new Int32Array(rows * STEPS);
  for (let r = 0; r < rows; r++) {
    const n = r <= STEPS ? r : Math.floor(rnd() * (STEPS + 1));
    for (let i = 0; i < n; i++) x[r * STEPS + i] = 1 + Math.floor(rnd() * 96);
  }
  return x;
}

function build(def: TfModelDef, numClasses: number): tf.LayersModel {
  const small = { filters: 8, units: 16, embeddingDim: 8 };
  return def.family === 'sequences'
    ? def.build({ numClasses, vocabSize: 97, maxLen: STEPS, params: small, seed: 3 })
    : def.build({ numClasses, numFeatures: 12, params: { units: def.id.startsWith('dnn') ? undefined : 16 }, seed: 3 });
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

for (const def of MODELS.filter((m): m is TfModelDef => m.engine === 'tfjs')) {
  test(`${def.id}: exported to ONNX, onnxruntime scores what tf.js scores`, async () => {
    for (const numClasses of [2, 5]) {
      const net = build(def, numClasses);
      try {
        const rows = 40;
        const x = def.family === 'sequences' ? charRows(rows, 11) : Float32Array.from({ length: rows * 12 }, (_, i) => Math.sin(i * 0.37) * 3);
        const ref = await predictProba(net, x, rows);
        const onnx = await OnnxClassifier.create(layersToOnnx(net), numClasses);
        const got = await onnx.predictProba(x, rows);
        await onnx.dispose();
        assert.ok(maxDiff(got, ref) < 1e-5, `${def.id} (${numClasses} classes): max difference ${maxDiff(got, ref)}`);
      } finally {
        net.dispose();
      }
    }
  });
}

test('one-time-step recurrent models with random weights (biases, saturated gates): ONNX scores what the engine\'s fast path scores', async () => {
  for (const id of ['simplernn', 'lstm', 'gru', 'birnn', 'bilstm', 'bigru']) {
    const net = build(MODELS.find((m) => m.id === id) as TfModelDef, 5);
    try {
      const rnd = mulberry32(17);
      net.setWeights(net.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => (rnd() * 2 - 1) * 1.5), w.shape)));
      const rows = 40;
      const x = Float32Array.from({ length: rows * 12 }, (_, i) => Math.sin(i * 0.37) * 3);
      const ref = await predictProba(net, x, rows);
      const onnx = await OnnxClassifier.create(layersToOnnx(net), 5);
      const got = await onnx.predictProba(x, rows);
      await onnx.dispose();
      assert.ok(maxDiff(got, ref) < 1e-5, `${id}: max difference ${maxDiff(got, ref)}`);
    } finally {
      net.dispose();
    }
  }
});

test('char-cnn trimmed to each chunk\'s lengths scores every row as the full-length model does', async () => {
  const def = MODELS.find((m) => m.id === 'char-cnn') as TfModelDef;
  const net = def.build({ numClasses: 2, vocabSize: 97, maxLen: STEPS, params: { filters: 8, units: 16, embeddingDim: 8 }, seed: 5 });
  const rows = 300;
  const x = charRows(rows, 12);
  const ref = await predictProba(net, x, rows);
  const exported = layersToOnnx(net, { trimPadding: true });
  assert.deepEqual(exported.input, { kind: 'trimmed', steps: STEPS, left: 2, right: 2, outsideId: 97 });
  const onnx = await OnnxClassifier.create(exported, 2);
  const got = await onnx.predictProba(x, rows);
  await onnx.dispose();
  net.dispose();
  assert.ok(maxDiff(got, ref) < 1e-5, `max difference ${maxDiff(got, ref)}`);
  // Distinct rows get distinct scores: the test would pass vacuously on a constant model.
  assert.ok(new Set(Array.from(got).map((v) => v.toFixed(5))).size > 50);
});

test('a layer without an ONNX mapping is refused by name', () => {
  const input = tf.input({ shape: [6] });
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(tf.layers.batchNormalization({ name: 'bn_here' }).apply(input)) as tf.SymbolicTensor;
  const net = tf.model({ inputs: input, outputs: out });
  assert.throws(() => layersToOnnx(net), (e: unknown) => e instanceof OnnxExportError && /layer 'bn_here' \(BatchNormalization\)/.test(e.message));
  net.dispose();
});

test('trimming refuses an architecture it cannot make exact', () => {
  const def = MODELS.find((m) => m.id === 'char-cnn-lstm') as TfModelDef;
  const net = def.build({ numClasses: 2, vocabSize: 97, maxLen: STEPS, params: { filters: 8, units: 8, embeddingDim: 8 }, seed: 5 });
  assert.throws(() => layersToOnnx(net, { trimPadding: true }), OnnxExportError);
  net.dispose();
});

test('packTrimmed sorts rows by length and packs outside, computed and trailing columns', () => {
  // Three rows of 6 steps with lengths 4, 0 and 2; left 1, right 2, outside id 9; two rows per chunk.
  const x = Int32Array.from([5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0]);
  const chunks = packTrimmed(x, 3, { kind: 'trimmed', steps: 6, left: 1, right: 2, outsideId: 9 }, 2);
  assert.equal(chunks.length, 2);
  // Rows 1 (length 0) and 2 (length 2): computed = 2 + 1 = 3 positions → 1 + 3 + 2 = 6 columns.
  assert.deepEqual([...chunks[0].rows], [1, 2]);
  assert.equal(chunks[0].cols, 6);
  assert.deepEqual([...chunks[0].data], [9, 0, 0, 0, 0, 0, 9, 3, 4, 0, 0, 0]);
  // Row 0 (length 4): computed = min(6, 5) = 5 → 8 columns, the last past the sequence end is the outside id.
  assert.deepEqual([...chunks[1].rows], [0]);
  assert.deepEqual([...chunks[1].data], [9, 5, 6, 7, 8, 0, 0, 9]);
});
