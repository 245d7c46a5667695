// Training throughput on the TF.js wasm backend, with and without the kernel fixes
// in electron/compute/kernels. Figures only; nothing here passes or fails.
//
//   node --import tsx bench/kernels.ts             default run
//   node --import tsx bench/kernels.ts --sweep     also larger batch sizes (fixed only)
//   node --import tsx bench/kernels.ts --profile   per-kernel time of one fixed step
//   node --import tsx bench/kernels.ts --cpu       also the DNN on the plain cpu backend
//                                                   (the char-CNN takes minutes per step there)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../electron/compute/kernels/index';

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

const runs: [Workload, number][] = [[dnn, 256], [charCnn, 128]];

if (args.has('--cpu')) {
  await tf.setBackend('cpu');
  console.log(`cpu            ${dnn.name}, batch 256: ${await measure(dnn, 256)}`);
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
