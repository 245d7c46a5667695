import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../../electron/compute/kernels/index';
import { registerUnpackGradientFix } from '../../../electron/compute/unpack-gradient';
import { loadLayersModel, saveLayersModel } from '../../../electron/train/io';
import { wasmOneStepLayer } from '../../../electron/compute/kernels/one-step-layer';
import { OneStepGRU, OneStepLSTM, OneStepSimpleRNN } from '../../../models/lib/one-step-rnn';

// The one-step fast path against tf.js' generic recurrence on the SAME layer and weights (the stock call is
// the parent class's), forward values and gradients, on the cpu backend and on wasm with the kernel fixes.
// The generic path's input gradient over one step needs the engine's Unpack gradient fix (as explanations do).
registerUnpackGradientFix();

type Layer = tf.layers.Layer;
type Kwargs = Record<string, unknown>;
type Call = (this: Layer, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

const stockCall = (layer: Layer): Call => Object.getPrototypeOf(Object.getPrototypeOf(layer)).call as Call;
const fastCall = (layer: Layer, x: tf.Tensor, kwargs: Kwargs) => layer.call(x, kwargs) as tf.Tensor;
const genericCall = (layer: Layer, x: tf.Tensor, kwargs: Kwargs) => stockCall(layer).call(layer, x, kwargs) as tf.Tensor;

/** Deterministic uniform values in [-a, a). */
function rand(n: number, seed: number, a = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = ((s / 0x100000000) * 2 - 1) * a;
  }
  return out;
}

function maxDiff(a: tf.Tensor | undefined, b: tf.Tensor): number {
  const bv = b.dataSync();
  const av = a ? a.dataSync() : new Float32Array(bv.length);
  assert.equal(av.length, bv.length);
  let d = 0;
  for (let i = 0; i < av.length; i++) d = Math.max(d, Math.abs(av[i] - bv[i]));
  return d;
}

const ROWS = 24;
const FEATURES = 7;
// 9 units: the ops and the JavaScript cell on both backends; a multiple of 4 is one kernel on wasm (SIMD gates).
const UNITS = 9;
const SIMD_UNITS = 12;

/** A built layer with random weights (biases too), wide enough that hardSigmoid saturates on some units. */
function makeLayer(make: () => Layer, seed: number): Layer {
  const layer = make();
  layer.build([null, 1, FEATURES]);
  layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(rand(w.size, seed + i, 1.5), w.shape)));
  return layer;
}

/** Output and gradients (w.r.t. the input and every weight) of sum(call(x) · r). */
function valueAndGrads(layer: Layer, call: typeof fastCall, x: tf.Tensor, r: tf.Tensor): { y: tf.Tensor; dx: tf.Tensor; dw: Record<string, tf.Tensor> } {
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const y = call(layer, x, { training: true });
  const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(call(layer, xi, { training: true }), r)))(x);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(call(layer, x, { training: true }), r)) as tf.Scalar, vars);
  value.dispose();
  return { y, dx, dw: grads };
}

const cases = (units: number): { label: string; make: () => Layer }[] => [
  { label: 'LSTM (tf.js default hardSigmoid)', make: () => new OneStepLSTM({ units }) },
  { label: 'LSTM sigmoid, returnSequences', make: () => new OneStepLSTM({ units, recurrentActivation: 'sigmoid', returnSequences: true }) },
  { label: 'GRU (hardSigmoid)', make: () => new OneStepGRU({ units }) },
  { label: 'GRU without bias', make: () => new OneStepGRU({ units, useBias: false }) },
  { label: 'GRU sigmoid', make: () => new OneStepGRU({ units, recurrentActivation: 'sigmoid' }) },
  { label: 'SimpleRNN tanh', make: () => new OneStepSimpleRNN({ units }) },
  { label: 'SimpleRNN relu', make: () => new OneStepSimpleRNN({ units, activation: 'relu' }) },
  { label: 'SimpleRNN linear', make: () => new OneStepSimpleRNN({ units, activation: 'linear' }) },
];

for (const [backend, units, path] of [['cpu', UNITS, 'loop'], ['wasm', UNITS, 'loop'], ['wasm', SIMD_UNITS, 'SIMD kernel']] as const) {
  test(`${backend}, ${units} units (${path}): one-step LSTM / GRU / SimpleRNN equal tf.js' generic recurrence, values and gradients`, async () => {
    await tf.setBackend(backend);
    if (backend === 'wasm') registerWasmKernelFixes();
    cases(units).forEach(({ label, make }, k) => {
      const layer = makeLayer(make, 100 * k + 1);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.tensor(rand(ROWS * FEATURES, 7 + k, 2), [ROWS, 1, FEATURES]);
        const outShape = (layer.getConfig() as { returnSequences?: boolean }).returnSequences ? [ROWS, 1, units] : [ROWS, units];
        const r = tf.tensor(rand(ROWS * units, 11 + k), outShape);
        const fast = valueAndGrads(layer, fastCall, x, r);
        const ref = valueAndGrads(layer, genericCall, x, r);
        assert.deepEqual(fast.y.shape, ref.y.shape, label);
        assert.ok(maxDiff(fast.y, ref.y) < 1e-6, `${label}: output differs by ${maxDiff(fast.y, ref.y)}`);
        assert.ok(maxDiff(fast.dx, ref.dx) < 1e-5, `${label}: d/dx differs by ${maxDiff(fast.dx, ref.dx)}`);
        for (const [name, g] of Object.entries(ref.dw)) {
          // From a zero state tf.js' recurrent-kernel gradient is exactly zero; the fast path gives none (which
          // also shows the fast path ran: a fallback would give the zeros).
          if (name.endsWith('recurrent_kernel')) {
            assert.equal(fast.dw[name], undefined, `${label}: the one-step path did not run`);
            assert.equal(maxDiff(fast.dw[name], g), 0, `${label}: ${name}`);
          }
          else assert.ok(maxDiff(fast.dw[name], g) < 1e-5, `${label}: d/d${name} differs by ${maxDiff(fast.dw[name], g)}`);
        }
      });
      assert.equal(tf.memory().numTensors, before, `${label}: tensors leaked`);
      // (Layer.dispose refuses a layer never applied symbolically.)
      for (const w of layer.weights) w.dispose();
    });
  });
}

test('cases the fast path does not take run tf.js\' own recurrence: several steps, input dropout while training', async () => {
  await tf.setBackend('cpu');
  tf.tidy(() => {
    const lstm = makeLayer(() => new OneStepLSTM({ units: UNITS }), 3);
    const seq = tf.tensor(rand(ROWS * 3 * FEATURES, 5), [ROWS, 3, FEATURES]);
    assert.equal(maxDiff(fastCall(lstm, seq, {}), genericCall(lstm, seq, {})), 0);
    // Dropout inside the cell: at inference it is the identity, so the fast path serves it.
    const gru = makeLayer(() => new OneStepGRU({ units: UNITS, dropout: 0.5 }), 9);
    const x = tf.tensor(rand(ROWS * FEATURES, 6), [ROWS, 1, FEATURES]);
    assert.ok(maxDiff(fastCall(gru, x, { training: false }), genericCall(gru, x, { training: false })) < 1e-6);
    // While training it draws masks: generic path (two draws differ, as tf.js' own do).
    assert.ok(maxDiff(fastCall(gru, x, { training: true }), fastCall(gru, x, { training: false })) > 1e-3);
  });
});

test('Bidirectional rebuilds both directions as one-step layers and equals their generic concat', async () => {
  await tf.setBackend('cpu');
  const bidi = tf.layers.bidirectional({ layer: new OneStepLSTM({ units: UNITS }) as unknown as tf.RNN, mergeMode: 'concat' });
  bidi.build([null, 1, FEATURES]);
  bidi.setWeights(bidi.getWeights().map((w, i) => tf.tensor(rand(w.size, 40 + i, 1.5), w.shape)));
  const { forwardLayer, backwardLayer } = bidi as unknown as { forwardLayer: Layer; backwardLayer: Layer };
  assert.ok(forwardLayer instanceof OneStepLSTM && backwardLayer instanceof OneStepLSTM);
  tf.tidy(() => {
    const x = tf.tensor(rand(ROWS * FEATURES, 8, 2), [ROWS, 1, FEATURES]);
    const want = tf.concat([genericCall(forwardLayer, x, {}), genericCall(backwardLayer, x, {})], 1);
    assert.ok(maxDiff(bidi.apply(x) as tf.Tensor, want) < 1e-6);
    // Both directions took the one-step path: neither recurrent kernel gets a gradient.
    const vars = bidi.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.sum(bidi.apply(x) as tf.Tensor) as tf.Scalar, vars);
    assert.deepEqual(vars.filter((v) => grads[v.name] === undefined).length, 2);
  });
});

test('a model saved with tf.js\' own LSTM (as before this change) loads into OneStepLSTM and scores the same', async () => {
  await tf.setBackend('cpu');
  const Stock = Object.getPrototypeOf(OneStepLSTM) as new (args: { units: number }) => Layer;
  const input = tf.input({ shape: [FEATURES] });
  const seq = tf.layers.reshape({ targetShape: [1, FEATURES] }).apply(input) as tf.SymbolicTensor;
  const h = new Stock({ units: UNITS }).apply(seq) as tf.SymbolicTensor;
  const old = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, activation: 'softmax' }).apply(h) as tf.SymbolicTensor });
  old.setWeights(old.getWeights().map((w, i) => tf.tensor(rand(w.size, 60 + i, 1.5), w.shape)));
  assert.ok(!(old.layers[2] instanceof OneStepLSTM));
  const saved = await saveLayersModel(old);
  assert.match(saved.modelJson, /"class_name":"LSTM"/);
  const loaded = await loadLayersModel(saved);
  assert.ok(loaded.layers[2] instanceof OneStepLSTM);
  const x = tf.tensor(rand(ROWS * FEATURES, 9, 2), [ROWS, FEATURES]);
  const a = old.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  assert.ok(maxDiff(b, a) < 1e-6, `scores differ by ${maxDiff(b, a)}`);
  tf.dispose([x, a, b]);
  old.dispose();
  loaded.dispose();
});

test('wasm: the one-step layer kernel takes units in fours (else the ops run), and its tanh / sigmoid are within 3e-7 of the exact values', async () => {
  await tf.setBackend('wasm');
  registerWasmKernelFixes();
  tf.tidy(() => {
    const lstm = { kind: 'lstm', units: UNITS, activation: 'tanh', recurrentActivation: 'hardSigmoid' } as const;
    assert.equal(wasmOneStepLayer(tf.zeros([2, 1, 3]), tf.zeros([3, 4 * UNITS]) as tf.Tensor2D, undefined, lstm), null);
    // A grid over the clamp (±7.9), the small-x branch (|x| < 4e-4) and far past both, through an identity kernel.
    const grid = Float32Array.from({ length: 4096 }, (_, i) => (i < 64 ? (i - 32) * 1.3e-5 : -24 + (48 * i) / 4096));
    const x = tf.tensor3d(grid, [64, 1, 64]);
    const eye = tf.eye(64) as tf.Tensor2D;
    for (const [activation, exact] of [['tanh', Math.tanh], ['sigmoid', (v: number) => 1 / (1 + Math.exp(-v))]] as const) {
      const h = wasmOneStepLayer(x, eye, undefined, { kind: 'simplernn', units: 64, activation, recurrentActivation: 'linear' });
      assert.ok(h, `${activation}: the layer kernel ran`);
      const got = h.dataSync();
      let worst = 0;
      for (let i = 0; i < grid.length; i++) worst = Math.max(worst, Math.abs(got[i] - exact(grid[i])));
      assert.ok(worst < 3e-7, `${activation}: off by ${worst}`);
    }
  });
});

test('wasm: an LSTM over a sequence (the sequence kernel) equals tf.js\' generic recurrence, values and every gradient', async () => {
  await tf.setBackend('wasm');
  registerWasmKernelFixes();
  const STEPS = 5;
  const seqCases: { label: string; make: () => Layer }[] = [
    { label: 'LSTM, hardSigmoid', make: () => new OneStepLSTM({ units: UNITS }) },
    { label: 'LSTM, sigmoid, no bias', make: () => new OneStepLSTM({ units: 8, recurrentActivation: 'sigmoid', useBias: false }) },
  ];
  seqCases.forEach(({ label, make }, k) => {
    const layer = make();
    layer.build([null, STEPS, FEATURES]);
    layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(rand(w.size, 500 + 10 * k + i, 0.8), w.shape)));
    const units = (layer.getConfig() as { units: number }).units;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor(rand(ROWS * STEPS * FEATURES, 600 + k, 1.5), [ROWS, STEPS, FEATURES]);
      const r = tf.tensor(rand(ROWS * units, 700 + k), [ROWS, units]);
      const fast = valueAndGrads(layer, fastCall, x, r);
      const ref = valueAndGrads(layer, genericCall, x, r);
      assert.ok(maxDiff(fast.y, ref.y) < 1e-5, `${label}: output differs by ${maxDiff(fast.y, ref.y)}`);
      assert.ok(maxDiff(fast.dx, ref.dx) < 1e-4, `${label}: d/dx differs by ${maxDiff(fast.dx, ref.dx)}`);
      for (const [name, g] of Object.entries(ref.dw)) {
        assert.ok(fast.dw[name], `${label}: no gradient for ${name}`);
        assert.ok(maxDiff(fast.dw[name], g) < 1e-4, `${label}: d/d${name} differs by ${maxDiff(fast.dw[name], g)}`);
      }
      // The kernel ran: tf.js' own recurrence would have dispatched Unpack for the time steps.
      const kernels = new Set<string>();
      const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
      const run = engine.runKernel.bind(engine);
      engine.runKernel = (name: string, ...rest: unknown[]) => (kernels.add(name), run(name, ...rest));
      try {
        fastCall(layer, x, {});
      } finally {
        engine.runKernel = run;
      }
      assert.ok(kernels.has('DeepTriageLstmSequence') && !kernels.has('Unpack'), `${label}: kernels ${[...kernels].join(', ')}`);
    });
    assert.equal(tf.memory().numTensors, before, `${label}: tensors leaked`);
    for (const w of layer.weights) w.dispose();
  });
});
