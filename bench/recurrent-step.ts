// One training step of a records recurrent model (the feature vector as ONE time step) on wasm, three ways in
// one process, interleaved rounds: tf.js' generic RNN call with the loss as tf.js ops (before #16's one-step
// work), the one-step layers (models/lib/one-step-rnn.ts) with the same ops loss, and the one-step layers with
// the one-op loss and accuracy count (electron/train/loss.ts). Same model, weights, batch and Adam for all.
// Timed after a long warm-up, so it shows the steady-state step, not V8's warm-up. Figures only.
//
//   node --import tsx bench/recurrent-step.ts [--models lstm,gru,bilstm] [--steps 200] [--rounds 7]
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../electron/compute/kernels/index';
import { countCorrect, crossEntropy } from '../electron/train/loss';
import { makeOptimizer } from '../electron/train/optimizer';
import { resolveParams } from '../electron/train/params';
import { OneStepGRU, OneStepLSTM, OneStepSimpleRNN } from '../models/lib/one-step-rnn';
import { getModel } from '../models/registry';
import type { TfModelDef } from '../models/types';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const models = arg('models', 'lstm,gru,bilstm').split(',');
const steps = Number(arg('steps', '200'));
const rounds = Number(arg('rounds', '7'));
const BATCH = 64;
const FEATURES = 125;
const CLASSES = 5;
const EPS = 1e-7;

// The loss and count as they were before, in tf.js ops.
function crossEntropyOps(pred: tf.Tensor, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(tf.oneHot(y, CLASSES), tf.log(tf.clipByValue(pred, EPS, 1 - EPS))), 1))) as tf.Scalar);
}
function countCorrectOps(pred: tf.Tensor, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(pred, 1), tf.cast(y, 'int32')), 'float32')) as tf.Scalar);
}

// The generic path is the stock class's call (the parent of each one-step class).
const classes = [OneStepLSTM, OneStepGRU, OneStepSimpleRNN];
const oneStepCalls = classes.map((c) => c.prototype.call);
function useOneStep(on: boolean): void {
  classes.forEach((c, i) => {
    c.prototype.call = on ? oneStepCalls[i] : Object.getPrototypeOf(c.prototype).call;
  });
}

type Loss = (p: tf.Tensor, y: tf.Tensor1D) => tf.Scalar;
const MODES: [string, boolean, Loss, Loss][] = [
  ['generic RNN, loss as tf.js ops', false, crossEntropyOps, countCorrectOps],
  ['one-step RNN, loss as tf.js ops', true, crossEntropyOps, countCorrectOps],
  ['one-step RNN, one-op loss', true, (p, y) => crossEntropy(p, y, null), countCorrect],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

await tf.setBackend('wasm');
registerWasmKernelFixes();
console.log(`${new Date().toISOString()} | tfjs ${tf.version.tfjs} wasm | batch ${BATCH}, ${FEATURES} features, ${CLASSES} classes | ${rounds} rounds × ${steps} steps | load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const id of models) {
  const def = getModel(id) as TfModelDef;
  const params = resolveParams(def, { batchSize: BATCH, epochs: 1, patience: 0, validationFraction: 0 });
  const model = def.build({ numClasses: CLASSES, numFeatures: FEATURES, params, seed: 42 });
  const optimizer = makeOptimizer('adam', 1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const xs = tf.randomUniform([BATCH, FEATURES]);
  const ys = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % CLASSES), 'int32');
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, oneStep, loss, count] of MODES) {
      useOneStep(oneStep);
      const step = () => {
        const l = optimizer.minimize(() => {
          const p = model.apply(xs, { training: true }) as tf.Tensor;
          const c = count(p, ys);
          c.dataSync();
          c.dispose();
          return loss(p, ys);
        }, true, vars)!;
        l.dataSync();
        l.dispose();
      };
      // Warm-up: the first round long enough for V8 to optimise every path.
      for (let i = 0; i < (r === 0 ? 300 : 20); i++) step();
      const t0 = performance.now();
      const c0 = cpuMs();
      for (let i = 0; i < steps; i++) step();
      (wall[name] ??= []).push((performance.now() - t0) / steps);
      (cpu[name] ??= []).push((cpuMs() - c0) / steps);
    }
  }
  useOneStep(true);
  for (const [name] of MODES) {
    const w = median(wall[name]);
    console.log(`  ${id.padEnd(7)} ${name.padEnd(32)} ${w.toFixed(3)} ms/step wall (${((BATCH * 1000) / w).toFixed(0)} samples/s), ${median(cpu[name]).toFixed(3)} ms CPU`);
  }
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
}
console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
