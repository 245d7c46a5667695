import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../../electron/compute/kernels/index';
import { conv2DBackpropFilterOptions } from '../../../electron/compute/kernels/conv2d-backprop-filter';
import { loadNativeKernels, setNativeGemmThreads } from '../../../electron/compute/kernels/ort-native';
import { FusedAdamOptimizer, RangeAdam } from '../../../electron/compute/kernels/adam';
import { HeapKernels, heapDropoutMask } from '../../../electron/compute/kernels/heap-kernels';
import { SeededDropout, SumOverTime as SumOverTimeLayer } from '../../../models/lib/layers';
import { STEP_KERNELS_WASM } from '../../../electron/compute/kernels/step-kernels-bytes';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assemble } from '../../../scripts/build-wasm.mjs';

// Every fix is checked the way tfjs-layers checks kernels: the same case on the cpu
// backend (reference) and on wasm, forward values and gradients.

await tf.setBackend('wasm');
registerWasmKernelFixes();

/** Deterministic uniform values in [-1, 1). */
function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = (s / 0x100000000) * 2 - 1;
  }
  return out;
}

function randTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(rand(tf.util.sizeFromShape(shape), seed), shape);
}

async function runOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; data: Float32Array }[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const res = list.map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync() as Float32Array) }));
  tf.dispose(list);
  await tf.setBackend('wasm');
  return res;
}

function assertClose(label: string, got: { shape: number[]; data: Float32Array }, want: { shape: number[]; data: Float32Array }): void {
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  let scale = 0;
  for (const v of want.data) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.data.length; i++) {
    const tol = 1e-4 * Math.max(Math.abs(want.data[i]), scale, 1e-3);
    const diff = Math.abs(got.data[i] - want.data[i]);
    if (!(diff <= tol)) assert.fail(`${label}: element ${i} wasm=${got.data[i]} cpu=${want.data[i]} (|diff| ${diff} > ${tol})`);
  }
}

/** Runs fn on cpu and wasm, compares every output, and checks wasm leaked no buffers. */
async function sameOnBothBackends(label: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const want = await runOn('cpu', fn);
  const before = tf.engine().backend.numDataIds();
  const got = await runOn('wasm', fn);
  assert.equal(tf.engine().backend.numDataIds(), before, `${label}: wasm buffers leaked`);
  assert.equal(got.length, want.length, `${label}: output count`);
  got.forEach((g, i) => assertClose(`${label} [output ${i}]`, g, want[i]));
}

/** Value and gradients (w.r.t. every input) of sum(f(inputs) * random weights). */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, shapes: number[][], seed: number): () => tf.Tensor[] {
  return () => {
    const xs = shapes.map((s, i) => randTensor(s, seed + i));
    const y = f(...xs);
    const w = randTensor(y.shape, seed + 99);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), w)))(xs);
    return [y, ...grads];
  };
}

test('registerWasmKernelFixes is idempotent', () => {
  const names = ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'UnsortedSegmentSum'];
  const before = names.map((n) => tf.getKernel(n, 'wasm').kernelFunc);
  registerWasmKernelFixes();
  names.forEach((n, i) => assert.equal(tf.getKernel(n, 'wasm').kernelFunc, before[i], n));
});

test('BatchMatMul with transposes matches cpu (values and gradients)', async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[1, 9], [9, 1], false, false],
    [[2, 4, 6], [2, 6, 5], false, false],
    [[2, 6, 4], [2, 5, 6], true, true],
    [[3, 2, 6, 4], [3, 2, 6, 5], true, false],
    [[64, 33], [17, 33], false, true],
  ];
  let seed = 1;
  for (const [sa, sb, ta, tb] of cases) {
    await sameOnBothBackends(`matMul ${sa}x${sb} tA=${ta} tB=${tb}`,
      valueAndGrads((a, b) => tf.matMul(a, b, ta, tb), [sa, sb], seed += 10));
  }
});

test('_FusedMatMul with transposes, bias and activation matches cpu', async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[1, 6, 8], [1, 8, 4], false, false],
    [[1, 8, 6], [1, 8, 4], true, false],
    [[1, 6, 8], [1, 4, 8], false, true],
    [[2, 8, 6], [2, 4, 8], true, true],
  ];
  let seed = 500;
  for (const [sa, sb, ta, tb] of cases) {
    const outCols = tb ? sb[sb.length - 2] : sb[sb.length - 1];
    // 'linear' keeps the fused kernel under a gradient tape; relu only fuses in inference.
    await sameOnBothBackends(`fused linear ${sa}x${sb} tA=${ta} tB=${tb}`, valueAndGrads(
      (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeA: ta, transposeB: tb, activation: 'linear' }),
      [sa, sb, [outCols]], seed += 10));
    await sameOnBothBackends(`fused relu ${sa}x${sb} tA=${ta} tB=${tb}`, () => tf.fused.matMul({
      a: randTensor(sa, seed + 1), b: randTensor(sb, seed + 2), bias: randTensor([outCols], seed + 3),
      transposeA: ta, transposeB: tb, activation: 'relu',
    }));
  }
});

test('_FusedMatMul with batch > 1 and bias matches cpu for every activation', async () => {
  // The stock wasm kernel mis-adds the bias when the batch is > 1.
  const acts = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  for (const activation of acts) {
    await sameOnBothBackends(`fused batched ${activation}`, () => tf.fused.matMul({
      a: randTensor([3, 5, 6], 700), b: randTensor([3, 6, 4], 701), bias: randTensor([4], 702),
      activation, leakyreluAlpha: 0.3,
      preluActivationWeights: activation === 'prelu' ? randTensor([4], 703) : undefined,
    }));
  }
  await sameOnBothBackends('fused batched broadcast b, transposed', () => tf.fused.matMul({
    a: randTensor([2, 6, 5], 710), b: randTensor([1, 4, 6], 711), bias: randTensor([4], 712),
    transposeA: true, transposeB: true, activation: 'relu',
  }));
});

type ConvCase = { x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' };
const convCases: ConvCase[] = [
  // Conv1D as the layers build it: height 1.
  { x: [2, 1, 11, 3], f: [1, 2, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 1, 11, 3], f: [1, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 1, 11, 3], f: [1, 4, 3, 5], stride: 1, pad: 'same' },
  { x: [3, 1, 12, 5], f: [1, 5, 5, 6], stride: 1, pad: 'valid' },
  { x: [2, 1, 9, 3], f: [1, 1, 3, 4], stride: 1, pad: 'valid' },
  { x: [2, 1, 13, 4], f: [1, 3, 4, 2], stride: 2, pad: 'same' },
  // True 2D convs.
  { x: [2, 6, 7, 3], f: [3, 2, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 7, 6, 2], f: [3, 3, 2, 3], stride: 1, pad: 'valid' },
  { x: [1, 9, 8, 2], f: [3, 3, 2, 2], stride: 2, pad: 'valid' },
];

test('Conv2DBackpropFilter (conv2d filter gradient) matches cpu', async () => {
  let seed = 1000;
  for (const c of convCases) {
    await sameOnBothBackends(`conv2d dW x=${c.x} f=${c.f} s=${c.stride} ${c.pad}`, () => {
      const x = randTensor(c.x, seed + 1);
      const conv = (f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad);
      const f = randTensor(c.f, seed + 2);
      const y = conv(f);
      const w = randTensor(y.shape, seed + 3);
      return [y, tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(conv(ff), w)))(f)];
    });
    seed += 10;
  }
});

test('Conv2DBackpropFilter in batch chunks equals one pass', async () => {
  const saved = conv2DBackpropFilterOptions.maxPatchFloats;
  conv2DBackpropFilterOptions.maxPatchFloats = 200; // forces chunks of one or two samples
  try {
    await sameOnBothBackends('conv1d dW chunked', valueAndGrads(
      (x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, 'same'), [[5, 10, 3], [3, 3, 4]], 2000));
  } finally {
    conv2DBackpropFilterOptions.maxPatchFloats = saved;
  }
});

test('Conv2DBackpropFilter rejects unsupported configs with a clear error', async () => {
  await tf.setBackend('wasm');
  const x = tf.zeros([1, 4, 4, 2]);
  const dy = tf.zeros([1, 2, 4, 4]);
  assert.throws(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 4] }),
    /Conv2DBackpropFilter \(wasm fix\): dataFormat 'NCHW' not supported/);
  tf.dispose([x, dy]);
});

test('Conv2DBackpropInput (conv2d input gradient) matches cpu, stride 1 and fallback', async () => {
  let seed = 3000;
  for (const c of convCases) {
    await sameOnBothBackends(`conv2d dx x=${c.x} f=${c.f} s=${c.stride} ${c.pad}`, valueAndGrads(
      (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad), [c.x, c.f], seed += 10));
  }
  await sameOnBothBackends('conv1d elu same, both grads', valueAndGrads(
    (x, f) => tf.elu(tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, 'same')), [[4, 15, 6], [5, 6, 7]], 3500));
});

test('Elu and EluGrad (every char-cnn activation) match cpu, values and gradients, on both sides of 0', async () => {
  // They stay the wasm module's compiled kernels: onnxruntime and JavaScript loops measured slower
  // (bench/kernels.ts --ops-only). Values span the saturated tail, 0 itself and the linear side.
  const spread = (t: tf.Tensor) => tf.mul(t, 6);
  await sameOnBothBackends('elu conv-branch shape', valueAndGrads((x) => tf.elu(spread(x)), [[3, 19, 8]], 4050));
  await sameOnBothBackends('elu dense shape, exact zeros', valueAndGrads((x) => tf.elu(tf.relu(spread(x))), [[5, 33]], 4060));
  await sameOnBothBackends('EluGrad kernel direct', () => {
    const y = tf.elu(spread(randTensor([2, 7, 5], 4080)));
    return tf.engine().runKernel('EluGrad', { dy: randTensor([2, 7, 5], 4081), y }, {}) as tf.Tensor;
  });
});

test('UnsortedSegmentSum and the Gather (embedding) gradient match cpu', async () => {
  const ids = [3, 0, 3, 1, 6, 0, 2, 3];
  await sameOnBothBackends('unsortedSegmentSum rank 2', () =>
    tf.unsortedSegmentSum(randTensor([8, 5], 4000), tf.tensor1d(ids, 'int32'), 7));
  await sameOnBothBackends('unsortedSegmentSum rank 1', () =>
    tf.unsortedSegmentSum(randTensor([8], 4001), tf.tensor1d(ids, 'int32'), 9));
  await sameOnBothBackends('unsortedSegmentSum int32', () =>
    tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8], 'int32'), tf.tensor1d(ids, 'int32'), 7));
  await sameOnBothBackends('gather grad (embedding)', () => {
    const table = randTensor([12, 4], 4002);
    const idx = tf.tensor2d([[1, 5, 5, 0], [11, 1, 3, 5], [7, 7, 7, 2]], undefined, 'int32');
    const y = tf.gather(table, idx);
    const w = randTensor(y.shape, 4003);
    return [y, tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), w)))(table)];
  });
});

test('GatherV2 (slice copies) matches cpu on every axis, batchDims and dtype, and rejects bad indices', async () => {
  await sameOnBothBackends('gather axis 1', () => tf.gather(randTensor([3, 6, 4], 4100), tf.tensor1d([5, 0, 2, 2], 'int32'), 1));
  await sameOnBothBackends('gather last axis (slices of 1)', () => tf.gather(randTensor([4, 5], 4101), tf.tensor1d([4, 1, 1], 'int32'), 1));
  await sameOnBothBackends('gather batchDims 1', () => tf.gather(randTensor([2, 5, 3], 4102), tf.tensor2d([[0, 4], [3, 3]], undefined, 'int32'), 1, 1));
  await sameOnBothBackends('gather int32 values', () => tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]], undefined, 'int32'), tf.tensor1d([2, 0], 'int32')));
  await sameOnBothBackends('gather empty indices', () => tf.gather(randTensor([3, 2], 4103), tf.tensor1d([], 'int32')));
  await sameOnBothBackends('gather axis 1 gradient', valueAndGrads((t) => tf.gather(t, tf.tensor1d([2, 0, 2], 'int32'), 1), [[4, 3, 2]], 4104));
  assert.throws(() => tf.tidy(() => tf.gather(randTensor([3, 2], 4105), tf.tensor1d([0, 3], 'int32'))), /index value 3 is not in \[0, 2\]/);
});

test('Identity shares the buffer: clones outlive their source, and saved-for-backward tensors give cpu gradients', async () => {
  const before = tf.engine().backend.numDataIds();
  const x = tf.tensor1d([1, 2, 3]);
  const y = x.clone();
  assert.equal(tf.engine().backend.numDataIds(), before + 1, 'clone allocates nothing');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
  y.dispose();
  assert.equal(tf.engine().backend.numDataIds(), before, 'the shared buffer is freed with its last tensor');
  // Every op below saves its inputs or outputs for the backward pass (one Identity each).
  await sameOnBothBackends('identity through saved tensors', valueAndGrads((a, b) => tf.elu(tf.mul(tf.exp(a), tf.sigmoid(b))), [[5, 3], [5, 3]], 4200));
});

test('FusedAdam (one pass per variable) follows tf.train.adam on cpu, and summed shards equal the summed gradient', async () => {
  const shapes = [[7, 5], [5], [3]];
  const stepGrads = (step: number) => shapes.map((s, i) => rand(tf.util.sizeFromShape(s), 4300 + 10 * step + i));
  async function run(backend: 'cpu' | 'wasm', make: () => tf.Optimizer, shards: number): Promise<Float32Array[]> {
    await tf.setBackend(backend);
    const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(rand(tf.util.sizeFromShape(s), 4400 + i), s))));
    const opt = make();
    for (let step = 0; step < 4; step++) {
      const g = stepGrads(step);
      if (shards === 1) {
        const named = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(g[i], v.shape)]));
        opt.applyGradients(named);
        tf.dispose(Object.values(named));
      } else {
        // Gradient split in `shards` parts that sum to it, laid out as the replicas' shared buffer is.
        const flat = g.flatMap((a) => Array.from(a));
        const sources = Array.from({ length: shards }, (_, r) => Float32Array.from(flat, (v) => (r === 0 ? v * 0.75 : v * 0.25 / (shards - 1))));
        let off = 0;
        const publish = new Float32Array(flat.length);
        vars.forEach((v) => {
          (opt as FusedAdamOptimizer).applySummed(v, sources, off, publish, off);
          assert.deepEqual(Array.from(publish.subarray(off, off + v.size)), Array.from(v.dataSync()), 'published = new weights');
          off += v.size;
        });
      }
    }
    const out = vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    opt.dispose();
    tf.dispose(vars);
    await tf.setBackend('wasm');
    return out;
  }
  const want = await run('cpu', () => tf.train.adam(0.01), 1);
  const before = tf.engine().backend.numDataIds();
  const fusedWasm = await run('wasm', () => new FusedAdamOptimizer(0.01), 1);
  assert.equal(tf.engine().backend.numDataIds(), before, 'FusedAdam leaked wasm buffers');
  const fusedCpu = await run('cpu', () => new FusedAdamOptimizer(0.01), 1);
  const summed = await run('wasm', () => new FusedAdamOptimizer(0.01), 3);
  want.forEach((w, i) => {
    for (const [label, got] of [['wasm', fusedWasm], ['cpu', fusedCpu], ['3 shards', summed]] as const) {
      assertClose(`FusedAdam ${label} variable ${i}`, { shape: [w.length], data: got[i] }, { shape: [w.length], data: w });
    }
  });
  assert.ok(want[0].some((v, j) => v !== rand(35, 4400)[j]), 'the reference moved');
});

test('the SIMD step kernels (step-kernels.wat) load on the wasm backend from bytes that are their source assembled', async () => {
  await tf.setBackend('wasm');
  assert.ok(HeapKernels.for(tf.backend() as BackendWasm), 'the kernel loads on the tf.js heap');
  const assembled = await assemble(new URL('../../../electron/compute/kernels/step-kernels.wat', import.meta.url).pathname);
  assert.equal(STEP_KERNELS_WASM, assembled.toString('base64'), 'step-kernels-bytes.ts is stale: run node scripts/build-wasm.mjs');
});

test('dropout masks drawn on the heap: the rate share dropped, the rest scaled, reproducible per seed, any length', async () => {
  await tf.setBackend('wasm');
  for (const [rate, n] of [[0.01, 200_003], [0.5, 100_001], [0.9, 50_002]] as const) {
    const t = heapDropoutMask([n], rate, 77)!;
    assert.ok(t, 'the kernel ran');
    const a = t.dataSync() as Float32Array;
    const dropped = a.filter((v) => v === 0).length;
    assert.ok(Math.abs(dropped - n * rate) < 4 * Math.sqrt(n * rate * (1 - rate)), `rate ${rate}: ${dropped} of ${n} dropped`);
    assert.ok(a.every((v) => v === 0 || v === Math.fround(1 / (1 - rate))), 'values are 0 or 1 / (1 − rate)');
    // The scalar tail (n mod 4 values) draws too: not all kept, not all dropped over a few seeds.
    const again = heapDropoutMask([n], rate, 77)!;
    const other = heapDropoutMask([n], rate, 78)!;
    assert.deepEqual(again.dataSync(), a);
    assert.notDeepEqual(other.dataSync(), a);
    tf.dispose([t, again, other]);
  }
  // SeededDropout takes its masks from here on wasm: its first training call uses seed + 0.
  const ones = tf.ones([64, 33]);
  const viaLayer = (new SeededDropout({ rate: 0.5, seed: 3 }).apply(ones, { training: true }) as tf.Tensor).dataSync();
  assert.deepEqual(viaLayer, heapDropoutMask([64, 33], 0.5, 3)!.dataSync());
  // Neighbouring values are not correlated (four lanes from one seed must differ).
  const m = heapDropoutMask([4000], 0.5, 5)!.dataSync();
  const lanesEqual = Array.from({ length: 1000 }, (_, i) => m[4 * i] === m[4 * i + 1] && m[4 * i + 1] === m[4 * i + 2] && m[4 * i + 2] === m[4 * i + 3]).filter(Boolean).length;
  assert.ok(lanesEqual < 250, `${lanesEqual} of 1000 groups of 4 identical (independent lanes: ~125)`);
});

test('RangeAdam on the heap (a replica slice) follows a float64 Adam over summed shards, any slice length', async () => {
  await tf.setBackend('wasm');
  // 4099 values: a slice whose length is not a multiple of 4 exercises the scalar tail.
  const n = 4099;
  const [lo, hi] = [1000, n];
  const start = rand(n, 4500);
  const params = Float32Array.from(start);
  const adam = new RangeAdam(lo, hi, 0.01);
  const ref = { w: Array.from(start, Number), m: new Float64Array(n), v: new Float64Array(n) };
  for (let step = 1; step <= 5; step++) {
    const shards = [rand(n, 4600 + step), rand(n, 4700 + step), rand(n, 4800 + step)];
    adam.apply(params, shards);
    const c1 = 1 / (1 - 0.9 ** step);
    const c2 = 1 / (1 - 0.999 ** step);
    for (let j = lo; j < hi; j++) {
      const g = shards[0][j] + shards[1][j] + shards[2][j];
      ref.m[j] = 0.9 * ref.m[j] + 0.1 * g;
      ref.v[j] = 0.999 * ref.v[j] + 0.001 * g * g;
      ref.w[j] -= (0.01 * c1 * ref.m[j]) / (Math.sqrt(ref.v[j] * c2) + tf.backend().epsilon());
    }
  }
  adam.dispose();
  for (let j = 0; j < lo; j++) assert.equal(params[j], start[j], `value ${j} outside the slice moved`);
  let worst = 0;
  for (let j = lo; j < hi; j++) worst = Math.max(worst, Math.abs(params[j] - ref.w[j]) / Math.max(1e-3, Math.abs(ref.w[j])));
  assert.ok(worst < 1e-5, `worst relative difference ${worst}`);
  assert.ok(Math.abs(params[hi - 1] - start[hi - 1]) > 1e-3, 'the last value (scalar tail) was updated');
});

// --- Training on wasm ----------------------------------------------------------

class SumOverTime extends tf.layers.Layer {
  static className = 'SumOverTime';
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = s as tf.Shape;
    return [shape[0], shape[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.sum(Array.isArray(inputs) ? inputs[0] : inputs, 1);
  }
}

/** Labels that depend on the inputs, so a model can actually learn them. */
function sequenceTask(n: number, len: number, vocab: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const r = rand(n * len, seed);
  const tokens = new Float32Array(n * len);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let marks = 0;
    for (let t = 0; t < len; t++) {
      const tok = Math.floor(((r[i * len + t] + 1) / 2) * vocab);
      tokens[i * len + t] = tok;
      if (tok < 3) marks++;
    }
    labels[i] = marks >= 2 ? 1 : 0;
  }
  return { x: tf.tensor2d(tokens, [n, len]), y: tf.tensor2d(labels, [n, 1]) };
}

async function trainsWithFallingLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, label: string): Promise<void> {
  await tf.setBackend('wasm');
  const lossOf = () => tf.tidy(() => (model.evaluate(x, y, { batchSize: 64 }) as tf.Scalar).dataSync()[0]);
  const before = lossOf();
  await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
  const after = lossOf();
  assert.ok(Number.isFinite(after), `${label}: loss is ${after}`);
  assert.ok(after < before, `${label}: loss did not fall (${before} -> ${after})`);
}

test('a small Conv1D model trains one epoch on wasm', async () => {
  await tf.setBackend('wasm');
  const { x: tokens, y } = sequenceTask(256, 20, 12, 77);
  const x = tf.oneHot(tokens.cast('int32'), 12).cast('float32');
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ inputShape: [20, 12], filters: 16, kernelSize: 3, activation: 'relu', seed: 1 } as never));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 2, padding: 'same', activation: 'elu' }));
  model.add(tf.layers.globalMaxPooling1d());
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  await trainsWithFallingLoss(model, x, y, 'conv1d');
  tf.dispose([tokens, x, y]);
  model.dispose();
});

test('an Embedding + Conv1D(elu, same) + sum-over-time model trains one epoch on wasm', async () => {
  await tf.setBackend('wasm');
  const { x, y } = sequenceTask(256, 24, 16, 91);
  const input = tf.input({ shape: [24] });
  const emb = tf.layers.embedding({ inputDim: 16, outputDim: 8 }).apply(input) as tf.SymbolicTensor;
  const branches = [2, 3].map((k) => {
    const c = tf.layers.conv1d({ filters: 8, kernelSize: k, padding: 'same', activation: 'elu' }).apply(emb) as tf.SymbolicTensor;
    return new SumOverTime({}).apply(c) as tf.SymbolicTensor;
  });
  const merged = tf.layers.concatenate().apply(branches) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 16, activation: 'elu' }).apply(merged) as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({ rate: 0.2 }).apply(hidden) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(dropped) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  await trainsWithFallingLoss(model, x, y, 'embedding-cnn');
  tf.dispose([x, y]);
  model.dispose();
});

test('Dense, recurrent and Conv1D+LSTM architectures all fit on wasm', async () => {
  await tf.setBackend('wasm');
  const { x: tokens, y } = sequenceTask(128, 10, 8, 5);
  const seq = tf.oneHot(tokens.cast('int32'), 8).cast('float32');
  const flat = seq.reshape([128, 80]);
  const rnn = (kind: string, cfg: Record<string, unknown>) =>
    kind === 'lstm' ? tf.layers.lstm(cfg as never) : kind === 'gru' ? tf.layers.gru(cfg as never) : tf.layers.simpleRNN(cfg as never);
  const builds: [string, () => tf.Sequential, tf.Tensor][] = [
    ['dense', () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ inputShape: [80], units: 32, activation: 'relu' }));
      m.add(tf.layers.dropout({ rate: 0.3 }));
      m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
      return m;
    }, flat],
    ...['simpleRNN', 'lstm', 'gru'].flatMap((kind) => [
      [kind, () => {
        const m = tf.sequential();
        m.add(rnn(kind, { inputShape: [10, 8], units: 8 }));
        m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
        return m;
      }, seq] as [string, () => tf.Sequential, tf.Tensor],
      [`bidirectional ${kind}`, () => {
        const m = tf.sequential();
        m.add(tf.layers.bidirectional({ inputShape: [10, 8], layer: rnn(kind, { units: 8 }) as never }));
        m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
        return m;
      }, seq] as [string, () => tf.Sequential, tf.Tensor],
    ]),
    ['conv1d+maxpool+lstm', () => {
      const m = tf.sequential();
      m.add(tf.layers.conv1d({ inputShape: [10, 8], filters: 8, kernelSize: 3, activation: 'relu' }));
      m.add(tf.layers.maxPooling1d({ poolSize: 2 }));
      m.add(tf.layers.lstm({ units: 8 }));
      m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
      return m;
    }, seq],
  ];
  const y2 = tf.oneHot(y.reshape([128]).cast('int32'), 2);
  for (const [label, build, x] of builds) {
    const model = build();
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
    const h = await model.fit(x, y2, { epochs: 3, batchSize: 32, verbose: 0 });
    const losses = h.history.loss as number[];
    assert.ok(losses.every(Number.isFinite), `${label}: non-finite loss ${losses}`);
    assert.ok(losses[losses.length - 1] < losses[0], `${label}: loss did not fall ${losses}`);
    model.dispose();
  }
  tf.dispose([tokens, y, seq, flat, y2]);
});

test('matrix products and convolutions run on onnxruntime here, and match cpu (values and gradients)', async () => {
  // onnxruntime-node's CPU binary ships in the npm package: on these machines the native path must be taken.
  assert.ok(loadNativeKernels(), 'onnxruntime-node did not load');
  for (const [label, xShape, fShape, strides, pad, dil] of [
    ['same, stride 1', [2, 1, 23, 6], [1, 4, 6, 5], 1, 'same', 1],
    ['valid, stride 2', [2, 1, 23, 6], [1, 3, 6, 5], 2, 'valid', 1],
    ['same, dilation 2', [1, 1, 17, 3], [1, 3, 3, 4], 1, 'same', 2],
    ['2-D, explicit pads', [2, 7, 9, 3], [3, 2, 3, 4], 1, [[0, 0], [1, 2], [0, 1], [0, 0]], 1],
  ] as const) {
    await sameOnBothBackends(`conv2d ${label}`, () => {
      const x = randTensor([...xShape], 11);
      const f = randTensor([...fShape], 12);
      const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad as never, 'NHWC', dil);
      if (dil !== 1) return conv(x, f); // tf.js has no gradient for dilated convolutions
      const dy = randTensor(conv(x, f).shape, 13);
      const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dy)))([x, f]);
      return [conv(x, f), gx, gf];
    });
  }
  for (const [axis, keep] of [[1, false], [[0, 1], false], [0, true], [2, true]] as const) {
    await sameOnBothBackends(`sum over ${axis}${keep ? ', keepDims' : ''}`, () => tf.sum(randTensor([6, 75, 64], 31), axis as number | number[], keep));
  }
  // Tile along one axis as block copies (the broadcast a sum-over-time gradient makes, and the first and last
  // axes), on several axes by onnxruntime (large) or wasm (small).
  await sameOnBothBackends('tile [6, 1, 64] over time', () => tf.tile(randTensor([6, 1, 64], 32), [1, 75, 1]));
  await sameOnBothBackends('tile along the first and the last axis, and not at all', () =>
    [tf.tile(randTensor([3, 5, 7], 35), [4, 1, 1]), tf.tile(randTensor([3, 5, 7], 36), [1, 1, 3]), tf.tile(randTensor([3, 5], 37), [1, 1])]);
  await sameOnBothBackends('tile on every axis', () => tf.tile(randTensor([8, 16, 9], 33), [3, 2, 4]));
  await sameOnBothBackends('tile, small (stays on wasm)', () => tf.tile(randTensor([2, 3], 34), [2, 2]));
  await sameOnBothBackends('SumOverTime value and gradient', valueAndGrads((x) => new SumOverTimeLayer({}).apply(x) as tf.Tensor, [[6, 75, 64]], 4900));
  await sameOnBothBackends('dense with bias and relu', () => {
    const x = randTensor([33, 17], 21);
    const w = randTensor([17, 9], 22);
    const b = randTensor([9], 23);
    const [gx, gw, gb] = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.fused.matMul({ a: a as tf.Tensor2D, b: c as tf.Tensor2D, bias: d, activation: 'relu' })))([x, w, b]);
    return [tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' }), gx, gw, gb];
  });
});


test('the native kernels raise glibc\'s malloc thresholds on load, so a char-cnn convolution stops faulting its 10 MB output in afresh (fresh processes, page faults per call)', async () => {
  const probe = new URL('./probes/malloc-probe.ts', import.meta.url).pathname;
  const run = async (warmup: boolean) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe], {
      env: { ...process.env, DEEPTRIAGE_MALLOC_WARMUP: warmup ? '1' : '0' },
    });
    return (JSON.parse(stdout.trim().split('\n').pop()!) as { faultsPerCall: number }).faultsPerCall;
  };
  const [without, withWarmup] = await Promise.all([run(false), run(true)]);
  // One [128, 75, 256] output is 2,400 pages: without the warm-up each call maps fresh ones for its buffers.
  assert.ok(without > 1000, `without the warm-up: ${without} faults a call (the case it fixes did not show)`);
  assert.ok(withWarmup < 0.6 * without, `with the warm-up: ${withWarmup} faults a call, without: ${without}`);
});

test('a large matrix product on two onnxruntime threads (a lone replica on 2 cores) matches cpu, values and gradients', async () => {
  setNativeGemmThreads(2);
  try {
    // 256 × 512 × 128: above the size from which products take the second thread.
    await sameOnBothBackends('matMul 256x512x128, 2 threads', valueAndGrads((a, b) => tf.matMul(a, b), [[256, 512], [512, 128]], 7100));
  } finally {
    setNativeGemmThreads(1);
  }
});

test('MaxPoolGrad (MaxPooling1D\'s gradient) matches cpu: SIMD windows with a tail, ties, both axes, and the fallbacks', async () => {
  const pooled = (shape: number[], seed: number, filter: [number, number], strides: [number, number], pad: 'valid' | 'same') =>
    valueAndGrads((x) => tf.maxPool(x as tf.Tensor4D, filter, strides, pad), [shape], seed);
  // Ties: values rounded to a few levels, so windows hold equal maxima and the first one must take the gradient.
  const tied = (shape: number[], seed: number) => () => {
    const x = tf.round(tf.mul(randTensor(shape, seed), 2));
    const w = randTensor([shape[0], Math.floor(shape[1] / 4), 1, shape[3]], seed + 1);
    return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, [4, 1], [4, 1], 'valid'), w)))(x)];
  };
  await sameOnBothBackends('maxPool1d pool 4 over time, 3 steps of tail', pooled([3, 11, 1, 8], 7300, [4, 1], [4, 1], 'valid'));
  await sameOnBothBackends('maxPool1d with tied maxima', tied([2, 12, 1, 8], 7310));
  await sameOnBothBackends('maxPool along width', pooled([2, 1, 9, 4], 7320, [1, 3], [1, 3], 'valid'));
  await sameOnBothBackends('maxPool overlapping windows (JavaScript scatter)', pooled([2, 10, 1, 8], 7330, [3, 1], [1, 1], 'valid'));
  await sameOnBothBackends('maxPool 6 channels (JavaScript scatter)', pooled([2, 8, 1, 6], 7340, [2, 1], [2, 1], 'valid'));
  await sameOnBothBackends('maxPool same padding (JavaScript scatter)', pooled([2, 9, 1, 8], 7350, [4, 1], [4, 1], 'same'));
});

test('Unpack (an RNN\'s time steps) as strided copies matches cpu on every axis, float and int, with its gradient', async () => {
  for (const axis of [0, 1, 2]) {
    await sameOnBothBackends(`unstack axis ${axis}`, () => tf.unstack(randTensor([3, 5, 8], 7400 + axis), axis));
  }
  await sameOnBothBackends('unstack int32', () => tf.unstack(tf.cast(tf.mul(randTensor([4, 3, 2], 7410), 100), 'int32'), 1).map((t) => tf.cast(t, 'float32')));
  await sameOnBothBackends('unstack gradient', valueAndGrads((x) => tf.stack(tf.unstack(x, 1).map((t, i) => tf.mul(t, i + 1)), 1), [[3, 6, 4]], 7420));
});
