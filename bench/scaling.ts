// How the data-parallel replica design (electron/train/parallel) would scale to N workers, PROJECTED from
// measurements on this machine — for machines with more cores than this one. Figures only.
//
//   node --import tsx bench/scaling.ts [--models dnn5,char-cnn,lstm] [--workers 1,2,4,8,16] [--reps 5]
//
// Every cost is measured as CPU time (getrusage, mean over reps), so the busy machine's other users inflate
// it less than wall time. Per step, replica r of N does:
//   compute(B/N)       forward + backward on its shard (real model, real kernels, batch B/N)
//   publish(P)         copy all P gradient values from the wasm heap to the shared buffer
//   apply(N, P/N)      sum of the N shards over its slice of the flat parameters + Adam there (RangeAdam)
//   adopt(P)           copy all new weights into its variables
//   2 barriers         measured between 2 real worker threads (Atomics), scaled ×log2(N) for a wider wake-up
// and 1 replica does compute(B) + Adam(P). Projection: T(N) = compute(B/N) + publish + apply + adopt + 2·barrier,
// speed-up T(1)/T(N). It assumes one free core per replica and memory bandwidth that keeps up; it is not a
// measurement of N cores.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FusedAdamOptimizer, RangeAdam } from '../electron/compute/kernels/adam';
import { registerWasmKernelFixes } from '../electron/compute/kernels/index';
import { crossEntropy } from '../electron/train/loss';
import { resolveParams } from '../electron/train/params';
import { getModel } from '../models/registry';
import type { ModelSpec, TfModelDef } from '../models/types';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const models = arg('models', 'dnn5,char-cnn,lstm').split(',');
const workers = arg('workers', '1,2,4,8,16').split(',').map(Number);
const reps = Number(arg('reps', '5'));

// Process CPU (getrusage): exact for the running thread, unlike schedstat's tick-granular figure, and it also
// counts V8's GC helper threads, which a replica pays too.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** Mean CPU ms of fn over reps, after one untimed call. */
function timed(fn: () => void): number {
  fn();
  const t = cpuMs();
  for (let i = 0; i < reps; i++) fn();
  return (cpuMs() - t) / reps;
}

/** Median wall µs of one barrier between two worker threads (the replicas' own barrier code). */
async function barrierMicros(): Promise<number> {
  const ctrl = new Int32Array(new SharedArrayBuffer(3 * 4));
  const out = new Float64Array(new SharedArrayBuffer(8));
  const src = `
    const { workerData } = require('node:worker_threads');
    const { ctrl, out, id } = workerData;
    function barrier() {
      const gen = Atomics.load(ctrl, 1);
      if (Atomics.add(ctrl, 0, 1) === 1) { Atomics.store(ctrl, 0, 0); Atomics.add(ctrl, 1, 1); Atomics.notify(ctrl, 1); return; }
      while (Atomics.load(ctrl, 1) === gen) Atomics.wait(ctrl, 1, gen, 200);
    }
    for (let i = 0; i < 50; i++) barrier();
    const t = performance.now();
    for (let i = 0; i < 2000; i++) barrier();
    if (id === 0) out[0] = (performance.now() - t) * 1000 / 2000;`;
  const ws = [0, 1].map((id) => new Worker(src, { eval: true, workerData: { ctrl, out, id } }));
  await Promise.all(ws.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  return out[0];
}

function build(id: string): tf.LayersModel {
  const def = getModel(id) as TfModelDef;
  const seq = def.family === 'sequences';
  const cols = seq ? 75 : 125;
  const spec: ModelSpec = { numClasses: seq ? 2 : 5, params: resolveParams(def, {}), seed: 7 };
  if (seq) {
    spec.vocabSize = 97;
    spec.maxLen = cols;
  } else spec.numFeatures = cols;
  return def.build(spec);
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  registerWasmKernelFixes();
  const backend = tf.backend() as BackendWasm;
  const bar = await barrierMicros();
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`${new Date().toISOString()} | load ${load} | barrier between 2 threads: ${bar.toFixed(0)} µs | ${reps} reps, CPU ms (mean)`);
  for (const id of models) {
    const def = getModel(id) as TfModelDef;
    // bench/train.ts's batches: dnn5 at 256 (its default, 64, leaves little to split), others at their default.
    const B = id === 'dnn5' ? 256 : Number(def.defaults.batchSize);
    const rows: string[] = [];
    const model = build(id);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const sizes = vars.map((v) => v.size);
    const P = sizes.reduce((a, b) => a + b, 0);
    const opt = new FusedAdamOptimizer(1e-3);
    const compute = (b: number) => {
      const x = def.family === 'sequences' ? tf.randomUniform([b, 75], 0, 97, 'int32') : tf.randomNormal([b, 125]);
      const y = tf.randomUniform([b], 0, def.family === 'sequences' ? 2 : 5, 'int32') as tf.Tensor1D;
      const ms = timed(() => {
        const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, null), vars);
        value.dataSync();
        tf.dispose([value, ...Object.values(grads)]);
      });
      tf.dispose([x, y]);
      return ms;
    };
    const shared = new Float32Array(new SharedArrayBuffer(P * 4));
    const publish = timed(() => {
      let off = 0;
      for (const v of vars) {
        shared.set(backend.typedArrayFromHeap(v) as Float32Array, off);
        off += v.size;
      }
    });
    const offsets: number[] = [];
    sizes.reduce((off, n) => (offsets.push(off), off + n), 0);
    const t1 = compute(B) + timed(() => vars.forEach((v, i) => opt.applySummed(v, [shared], offsets[i], null, 0)));
    for (const n of workers) {
      if (B / n < 1) continue;
      const c = compute(Math.ceil(B / n));
      if (n === 1) {
        rows.push(`| ${n} | ${c.toFixed(1)} | – | ${(t1 - c).toFixed(1)} (Adam, no sync) | – | – | ${t1.toFixed(1)} | 1.00 |`);
        continue;
      }
      const shards = Array.from({ length: n }, () => shared);
      // Replica 0's slice of the flat vector (all slices are equal): the sum of n shards + Adam, in place.
      const range = new RangeAdam(0, Math.ceil(P / n), 1e-3);
      const params = new Float32Array(new SharedArrayBuffer(P * 4));
      const apply = timed(() => range.apply(params, shards));
      // Every replica then takes all P values back into its variables.
      const adopt = timed(() => vars.forEach((v, i) => {
        const t = tf.tensor(params.subarray(offsets[i], offsets[i] + v.size), v.shape, 'float32');
        v.assign(t);
        t.dispose();
      }));
      const sync = (2 * bar * Math.max(1, Math.log2(n))) / 1000;
      const t = c + publish + apply + adopt + sync;
      rows.push(`| ${n} | ${c.toFixed(1)} | ${publish.toFixed(1)} | ${apply.toFixed(1)} | ${adopt.toFixed(1)} | ${sync.toFixed(2)} | ${t.toFixed(1)} | ${(t1 / t).toFixed(2)} |`);
    }
    console.log(`\n${id}: batch ${B}, ${P.toLocaleString('en-US')} trainable values (CPU ms per step, per replica)`);
    console.log('| workers | compute(B/N) | publish | sum + Adam (own slice) | adopt | 2 barriers | step | projected speed-up |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    opt.dispose();
    model.dispose();
  }
}

await main();
