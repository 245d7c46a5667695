// Training throughput on the TF.js wasm backend, with and without the kernel fixes
// in electron/compute/kernels. Figures only; nothing here passes or fails.
//
//   node --import tsx bench/kernels.ts             default run
//   node --import tsx bench/kernels.ts --sweep     also larger batch sizes (fixed only)
//   node --import tsx bench/kernels.ts --profile   per-kernel time of one fixed step
//   node --import tsx bench/kernels.ts --cpu       also the DNN on the plain cpu backend
//                                                   (the char-CNN takes minutes per step there)
//   node --import tsx bench/kernels.ts --profile-only  just the per-kernel profile, fixes on
//   node --import tsx bench/kernels.ts --ops-only  only the per-op rows (ELU and its gradient on char-CNN
//                                                   sizes: wasm kernel against onnxruntime), no training
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../electron/compute/kernels/index';
import { loadNativeKernels } from '../electron/compute/kernels/ort-native';
import { GraphBuilder } from '../electron/onnx/graph-builder';
import { DataType } from '../electron/onnx/onnx-proto';
import { SINGLE_THREAD_SESSION } from '../electron/onnx/runtime';

const args = new Set(process.argv.slice(2));
const MIN_SECONDS = 4;
const MAX_STEPS = 30;

class SumOverTime extends tf.layers.Layer {
  static className = 'BenchSumOverTime';
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = s as tf.Shape;
    return [shape[0], shape[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.sum(Array.isArray(inputs) ? inputs[0] : inputs, 1);
  }
}

type Workload = { name: string; build: () => tf.LayersModel; data: (batch: number) => { x: tf.Tensor; y: tf.Tensor } };

const dnn: Workload = {
  name: 'DNN 122-1024-768-512-256-128-5',
  build: () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [122], units: 1024, activation: 'relu' }));
    for (const units of [768, 512, 256, 128]) m.add(tf.layers.dense({ units, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 5, activation: 'softmax' }));
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    return m;
  },
  data: (batch) => ({
    x: tf.randomUniform([batch, 122]),
    y: tf.oneHot(tf.randomUniform([batch], 0, 5, 'int32'), 5).cast('float32'),
  }),
};

const charCnn: Workload = {
  name: 'char-CNN emb(97,32) len75, conv1d k2..5 x256',
  build: () => {
    const input = tf.input({ shape: [75] });
    const emb = tf.layers.embedding({ inputDim: 97, outputDim: 32 }).apply(input) as tf.SymbolicTensor;
    const branches = [2, 3, 4, 5].map((k) => {
      const c = tf.layers.conv1d({ filters: 256, kernelSize: k, padding: 'same', activation: 'elu' }).apply(emb) as tf.SymbolicTensor;
      return new SumOverTime({}).apply(c) as tf.SymbolicTensor;
    });
    let h = tf.layers.concatenate().apply(branches) as tf.SymbolicTensor;
    for (let i = 0; i < 2; i++) {
      h = tf.layers.dense({ units: 1024, activation: 'elu' }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.dropout({ rate: 0.5 }).apply(h) as tf.SymbolicTensor;
    }
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
    return m;
  },
  data: (batch) => ({
    x: tf.randomUniform([batch, 75], 0, 97, 'int32').cast('float32'),
    y: tf.randomUniform([batch, 1]).round(),
  }),
};

/** Samples/s over repeated trainOnBatch calls after one warm-up step. */
async function measure(w: Workload, batch: number): Promise<string> {
  const model = w.build();
  const { x, y } = w.data(batch);
  try {
    await model.trainOnBatch(x, y);
    let steps = 0;
    const t0 = performance.now();
    while (steps < MAX_STEPS && (steps < 2 || performance.now() - t0 < MIN_SECONDS * 1000)) {
      await model.trainOnBatch(x, y);
      steps++;
    }
    const s = (performance.now() - t0) / 1000;
    return `${((steps * batch) / s).toFixed(0).padStart(7)} samples/s  (${steps} steps, ${((s / steps) * 1000).toFixed(0)} ms/step)`;
  } catch (e) {
    return `FAILS: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

async function profileStep(w: Workload, batch: number): Promise<void> {
  const model = w.build();
  const { x, y } = w.data(batch);
  await model.trainOnBatch(x, y);
  const info = await tf.profile(async () => { await model.trainOnBatch(x, y); });
  const byName = new Map<string, number>();
  for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log(`  profile ${w.name} batch ${batch}: ${total.toFixed(0)} ms in kernels`);
  for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`    ${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms`);
  }
  tf.dispose([x, y]);
  model.dispose();
}

/**
 * ELU and its gradient per op, on the sizes of a char-CNN step (a conv branch's output and a dense layer's):
 * the wasm kernels the step runs, against the same op on onnxruntime through the synchronous binding,
 * reading and writing the wasm heap in place as the engine's native kernels do (the candidate a native
 * kernel would be). The gradient on onnxruntime is dy * (min(y, 0) + 1), three ops in one session.
 */
async function eluOps(): Promise<void> {
  await tf.setBackend('wasm');
  const backend = tf.backend() as BackendWasm;
  const req = createRequire(import.meta.url);
  type Session = { loadModel(b: ArrayBufferLike, o: number, l: number, opts: object): void; run(f: object, o: object, opts: object): unknown };
  const ort = loadNativeKernels()
    ? { binding: (req('onnxruntime-node/dist/binding') as { binding: { InferenceSession: new () => Session } }).binding, Tensor: (req('onnxruntime-node') as { Tensor: new (t: string, d: Float32Array, dims: number[]) => unknown }).Tensor }
    : null;
  const session = (inputs: string[], build: (g: GraphBuilder) => void): Session => {
    const g = new GraphBuilder();
    inputs.forEach((n) => g.reserve(n));
    build(g);
    const bytes = g.encode({ name: 'op', doc: 'bench', inputs: inputs.map((name) => ({ name, dataType: DataType.FLOAT, shape: ['n'] })), outputs: [{ name: 'Y', dataType: DataType.FLOAT, shape: ['n'] }] });
    const s = new ort!.binding.InferenceSession();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, SINGLE_THREAD_SESSION);
    return s;
  };
  const eluSession = ort && session(['X'], (g) => g.nodes.push({ opType: 'Elu', name: 'elu', inputs: ['X'], outputs: [g.reserve('Y')], attributes: [{ name: 'alpha', kind: 'float', value: 1 }] }));
  const gradSession = ort && session(['YF', 'DY'], (g) => {
    const slope = g.op('Add', [g.op('Min', ['YF', g.floatScalar('zero', 0)]), g.floatScalar('one', 1)]);
    g.nodes.push({ opType: 'Mul', name: 'mul', inputs: ['DY', slope], outputs: [g.reserve('Y')], attributes: [] });
  });
  const heap = (t: tf.Tensor) => backend.typedArrayFromHeap(t) as Float32Array;
  /** Median ms of `reps` calls after two warm-up calls. */
  const time = (reps: number, f: () => void): number => {
    f(); f();
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) { const t0 = performance.now(); f(); ms.push(performance.now() - t0); }
    return ms.sort((a, b) => a - b)[reps >> 1];
  };
  for (const [label, shape] of [['conv branch output', [128, 75, 256]], ['dense output', [128, 1024]]] as const) {
    const n = tf.util.sizeFromShape([...shape]);
    const reps = n > 1e6 ? 15 : 101;
    const x = tf.randomNormal([...shape]);
    const dy = tf.randomNormal([...shape]);
    const y = tf.elu(x);
    const out = tf.zerosLike(x);
    const row = (name: string, ms: number | null) =>
      console.log(`  ${`${label} [${shape}]`.padEnd(34)} ${name.padEnd(22)} ${ms == null ? '   n/a' : `${ms.toFixed(2).padStart(7)} ms  ${((ms * 1e6) / n).toFixed(2).padStart(6)} ns/value`}`);
    row('Elu, wasm', time(reps, () => tf.elu(x).dispose()));
    row('EluGrad, wasm', time(reps, () => (tf.engine().runKernel('EluGrad', { dy, y }, {}) as tf.Tensor).dispose()));
    const t = (a: tf.Tensor) => new ort!.Tensor('float32', heap(a), [n]);
    row('Elu, onnxruntime', eluSession && time(reps, () => eluSession.run({ X: t(x) }, { Y: t(out) }, {})));
    row('EluGrad, onnxruntime', gradSession && time(reps, () => gradSession.run({ YF: t(y), DY: t(dy) }, { Y: t(out) }, {})));
    tf.dispose([x, dy, y, out]);
  }
}

if (args.has('--ops') || args.has('--ops-only')) {
  console.log('per op (median):');
  await eluOps();
  if (args.has('--ops-only')) process.exit(0);
}

const runs: [Workload, number][] = [[dnn, 256], [charCnn, 128]];

if (args.has('--cpu')) {
  await tf.setBackend('cpu');
  console.log(`cpu            ${dnn.name}, batch 256: ${await measure(dnn, 256)}`);
}

if (args.has('--profile-only')) {
  await tf.setBackend('wasm');
  registerWasmKernelFixes();
  for (const [w, b] of runs) await profileStep(w, b);
  process.exit(0);
}

await tf.setBackend('wasm');
for (const [w, b] of runs) console.log(`wasm, no fixes ${w.name}, batch ${b}: ${await measure(w, b)}`);

registerWasmKernelFixes();
for (const [w, b] of runs) console.log(`wasm + fixes   ${w.name}, batch ${b}: ${await measure(w, b)}`);

if (args.has('--sweep')) {
  for (const b of [512, 1024, 2048]) console.log(`wasm + fixes   ${dnn.name}, batch ${b}: ${await measure(dnn, b)}`);
  for (const b of [32, 64, 256, 512]) console.log(`wasm + fixes   ${charCnn.name}, batch ${b}: ${await measure(charCnn, b)}`);
}

if (args.has('--profile')) {
  for (const [w, b] of runs) await profileStep(w, b);
}
