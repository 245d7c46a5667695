// Training throughput: DeepTriage (TF.js wasm + kernel fixes, 1 thread and data-parallel replicas) next to
// the same architectures in PyTorch (bench/peers/train_torch.py): the current CPU wheel from the configured
// pip index in .venv-bench/ (created on first use) and Debian's python3-torch 1.13 as the labelled fallback.
// Bench peers only. Figures only; nothing here passes or fails.
//
//   node --import tsx bench/train.ts [--reps 3] [--warmup N] [--steps-scale 1] [--replicas 1,1t1,2]
//        [--only dnn5,char-cnn,lstm,gru,bilstm,char-bigru,char-cnn-lstm] [--peers current,debian] [--no-torch]
//
// Both sides: same rows (real NSL-KDD / URL features from importFile, written to a temp dir for the peer),
// same batch, same optimiser (adam 1e-3), `warmup` steps untimed then a fixed number of timed steps. The
// warm-up is 3 steps for the models whose step is tens of milliseconds, and 1,500 for the one-step recurrent
// records models: their step is ~1 ms, mostly JavaScript, and V8 takes ~1,000 steps to optimise it (measured
// per 250 steps from a fresh process: 31k, 66k, 77k, 79k, then 95–110k samples/s). A training run is
// thousands of steps, so the steady state is what an analyst waits on. `--warmup N` sets one figure for all.
// DeepTriage is timed through its real loops (fitLayersModel for 1 replica, fitParallel for N), from the
// progress event of the last warm-up batch to that of the last batch. Runs interleave DeepTriage and PyTorch
// so background load on the shared machine hits both alike; the table shows medians.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../electron/compute/kernels/index';
import { importFile } from '../electron/data';
import { fitLayersModel } from '../electron/train/loop';
import { fitParallel } from '../electron/train/parallel';
import { gemmThreadsFor } from '../electron/train/train-job';
import { setNativeGemmThreads } from '../electron/compute/kernels/ort-native';
import { resolveParams } from '../electron/train/params';
import { getModel } from '../models/registry';
import { mulberry32 } from '../models/lib/random';
import { shuffleInPlace, takeLabels, takeRows } from '../models/lib/sampling';
import type { Dataset, Hyperparams, ModelSpec, Progress, TfModelDef } from '../models/types';
import { pythonPeers, type PythonPeer } from './peers/python';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');
const PEER = path.join(here, 'peers', 'train_torch.py');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const reps = Number(arg('reps', '3'));
const warmupArg = arg('warmup', '');
/** Untimed steps before the timed ones, for both sides. */
const warmupFor = (id: ModelId) => (warmupArg ? Number(warmupArg) : RECURRENT_RECORDS.has(id) ? 1500 : 3);
/** DeepTriage variants: `N` replicas with the engine's own choice of matrix-product threads, `NtK` with K. */
const variants = arg('replicas', '1,2').split(',').map((v) => {
  const m = /^(\d+)(?:t(\d+))?$/.exec(v);
  if (!m) throw new Error(`--replicas: '${v}' is not N or NtK`);
  const replicas = Number(m[1]);
  const threads = m[2] ? Number(m[2]) : gemmThreadsFor(replicas, 1, 'wasm');
  return { key: v, replicas, threads, label: `deeptriage ${replicas} replica${replicas > 1 ? 's' : ''}${replicas === 1 ? `, ${threads} gemm thread${threads > 1 ? 's' : ''}` : ''}` };
});
const MODELS = ['dnn5', 'char-cnn', 'lstm', 'gru', 'bilstm', 'char-bigru', 'char-cnn-lstm'] as const;
type ModelId = (typeof MODELS)[number];
const RECURRENT_RECORDS = new Set<ModelId>(['lstm', 'gru', 'bilstm']);
const only = new Set(arg('only', MODELS.join(',')).split(','));
for (const m of only) if (!(MODELS as readonly string[]).includes(m)) throw new Error(`--only: unknown model '${m}' (one of ${MODELS.join(', ')})`);
const stepsScale = Number(arg('steps-scale', '1'));
const withTorch = !process.argv.includes('--no-torch');
const peerKinds = arg('peers', 'current,debian');
const torchThreads = Array.from({ length: os.availableParallelism() }, (_, i) => String(i + 1));

interface Workload {
  id: ModelId;
  label: string;
  batch: number;
  warmup: number;
  steps: number;
  data: Dataset;
  numClasses: number;
  spec: ModelSpec;
  params: Hyperparams;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * A seeded sample of `n` rows (the URL list is sorted by class, so the head alone would be one class); past
 * the file's rows it goes round the shuffled order again, so the timed steps stay inside one epoch.
 */
function sample(x: Float32Array | Int32Array, y: Int32Array, cols: number, n: number): Dataset {
  const order = shuffleInPlace(Int32Array.from({ length: y.length }, (_, i) => i), mulberry32(1234));
  const pick = Int32Array.from({ length: n }, (_, i) => order[i % order.length]);
  return { x: takeRows(x, cols, pick), y: takeLabels(y, pick), rows: pick.length, cols };
}

async function load(): Promise<Workload[]> {
  const out: Workload[] = [];
  const mk = (id: ModelId, label: string, batch: number, steps: number, full: { x: Float32Array | Int32Array; y: Int32Array; cols: number }, numClasses: number) => {
    steps = Math.max(2, Math.round(steps * stepsScale));
    const warmup = warmupFor(id);
    const data = sample(full.x, full.y, full.cols, (warmup + steps) * batch);
    const def = getModel(id) as TfModelDef;
    const params = resolveParams(def, { batchSize: batch, epochs: 1, patience: 0, validationFraction: 0 });
    const spec: ModelSpec = { numClasses, params, seed: 42 };
    if (def.family === 'records') spec.numFeatures = data.cols;
    else {
      spec.vocabSize = 97;
      spec.maxLen = data.cols;
    }
    out.push({ id, label, batch, warmup, steps, data, numClasses, spec, params });
  };
  const records = ['dnn5', 'lstm', 'gru', 'bilstm'].some((m) => only.has(m));
  if (records) {
    const kdd = await importFile(path.join(dataDir, 'nsl-kdd', 'KDDTrain+.txt'), {});
    const e = kdd.encoded;
    const full = { x: e.features, y: e.labels!, cols: e.cols };
    const what = `NSL-KDD KDDTrain+, ${e.cols} features, 5-class`;
    if (only.has('dnn5')) mk('dnn5', `dnn5 (${what})`, 256, 20, full, e.classes.length);
    // The recurrent records models at their own default batch (64): one time step of 80 units; 1,000 steps of
    // ~1 ms, so the timed window is not a handful of timer ticks.
    for (const id of ['lstm', 'gru', 'bilstm'] as const) if (only.has(id)) mk(id, `${id} (${what})`, 64, 1000, full, e.classes.length);
  }
  if (only.has('char-cnn') || only.has('char-bigru') || only.has('char-cnn-lstm')) {
    const urls = await importFile(path.join(dataDir, 'urls', 'urls_labeled.csv'), { labels: { mode: 'binary' }, text: { maxLength: 75 } });
    const e = urls.encoded;
    const full = { x: e.features, y: e.labels!, cols: e.cols };
    const what = `urls_labeled.csv, maxLen ${e.cols}, binary`;
    if (only.has('char-cnn')) mk('char-cnn', `char-cnn (${what})`, 128, 30, full, e.classes.length);
    if (only.has('char-bigru')) mk('char-bigru', `char-bigru (${what})`, 128, 6, full, e.classes.length);
    // The URL preset's model (docs/presets.json), at its own default batch.
    if (only.has('char-cnn-lstm')) mk('char-cnn-lstm', `char-cnn-lstm (${what})`, 128, 30, full, e.classes.length);
  }
  return out;
}

/** Samples per second of wall clock and per CPU-second of the process (every thread), over the timed steps. */
interface Rate {
  wall: number;
  cpu: number;
  /** Major page faults in DeepTriage's timed window: pages the machine took away (file-backed code and libraries
   * reclaimed while the process waited) read back from disk. Not zero means the run was disturbed. */
  faults?: number;
  /** Milliseconds of garbage-collection pauses in DeepTriage's timed window. */
  gcMs?: number;
}

/** Total GC pause time so far (ms), from the perf_hooks 'gc' entries. */
let gcTotalMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcTotalMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Samples/s of DeepTriage's training loop over the timed steps. */
async function measureDeepTriage(w: Workload, replicas: number, gemmThreads: number): Promise<Rate> {
  const def = getModel(w.id) as TfModelDef;
  const model = def.build(w.spec);
  let tStart = 0;
  let tEnd = 0;
  let cStart = 0;
  let cEnd = 0;
  let fStart = 0;
  let fEnd = 0;
  let gStart = 0;
  let gEnd = 0;
  const onProgress = (p: Progress) => {
    if (p.phase !== 'batch') return;
    if (p.batch === w.warmup) {
      tStart = performance.now();
      cStart = cpuSeconds();
      fStart = process.resourceUsage().majorPageFault;
      gStart = gcTotalMs;
    }
    if (p.batch === w.warmup + w.steps) {
      tEnd = performance.now();
      cEnd = cpuSeconds();
      fEnd = process.resourceUsage().majorPageFault;
      gEnd = gcTotalMs;
    }
  };
  setNativeGemmThreads(gemmThreads);
  try {
    const data = { train: w.data, val: null };
    if (replicas === 1) await fitLayersModel(model, w.numClasses, data, { params: w.params, onProgress });
    else await fitParallel(model, w.numClasses, data, { params: w.params, onProgress, modelId: w.id, spec: w.spec, replicas });
  } finally {
    model.dispose();
    setNativeGemmThreads(1);
  }
  const samples = w.steps * w.batch;
  return { wall: samples / ((tEnd - tStart) / 1000), cpu: samples / Math.max(cEnd - cStart, 1e-9), faults: fEnd - fStart, gcMs: gEnd - gStart };
}

function writePeerData(w: Workload, dir: string): { x: string; y: string } {
  const x = path.join(dir, `${w.id}.x.bin`);
  const y = path.join(dir, `${w.id}.y.bin`);
  fs.writeFileSync(x, new Uint8Array(w.data.x.buffer, w.data.x.byteOffset, w.data.x.byteLength));
  fs.writeFileSync(y, new Uint8Array(w.data.y.buffer, w.data.y.byteOffset, w.data.y.byteLength));
  return { x, y };
}

/** Samples/s (wall and per CPU-second) per torch thread count, from one peer process. */
function measureTorch(peer: PythonPeer, w: Workload, files: { x: string; y: string }): Record<string, Rate> {
  const out = execFileSync(
    peer.python,
    [PEER, '--model', w.id, '--x', files.x, '--y', files.y, '--rows', String(w.data.rows), '--cols', String(w.data.cols),
      '--classes', String(w.numClasses), '--batch', String(w.batch), '--warmup', String(w.warmup), '--steps', String(w.steps),
      '--dropout', String(w.params.dropout), '--threads', torchThreads.join(',')],
    { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSec: Record<string, number>; samplesPerCpuSec: Record<string, number> };
  return Object.fromEntries(Object.keys(r.samplesPerSec).map((t) => [t, { wall: r.samplesPerSec[t], cpu: r.samplesPerCpuSec[t] }]));
}

const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  registerWasmKernelFixes();
  const peers = withTorch ? pythonPeers(peerKinds) : [];
  const workloads = await load();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-bench-'));
  try {
    console.log(`${new Date().toISOString()} | tfjs ${tf.version.tfjs} backend ${tf.getBackend()} | cores ${os.availableParallelism()} | ` +
      `${reps} runs each, warm-up ${warmupArg ? `${warmupArg} steps` : '3 steps (1,500 for lstm, gru, bilstm)'} | peers: ${peers.map((p) => p.label).join(', ') || 'none'} | load ${loadavg()}`);
    const rows: { kind: keyof Rate; cells: string[] }[] = [];
    for (const w of workloads) {
      const files = peers.length ? writePeerData(w, tmp) : null;
      const dt = new Map<string, Rate[]>(variants.map((v) => [v.key, []]));
      const pt = peers.map(() => Object.fromEntries(torchThreads.map((t) => [t, [] as Rate[]])));
      for (let i = 0; i < reps; i++) {
        const line: string[] = [];
        for (const variant of variants) {
          const v = await measureDeepTriage(w, variant.replicas, variant.threads);
          dt.get(variant.key)!.push(v);
          line.push(`dt x${variant.replicas}${variant.replicas === 1 ? ` t${variant.threads}` : ''} ${v.wall.toFixed(0)} (cpu ${v.cpu.toFixed(0)}, gc ${v.gcMs!.toFixed(0)} ms${v.faults ? `, ${v.faults} major faults` : ''})`);
        }
        peers.forEach((peer, k) => {
          const t = measureTorch(peer, w, files!);
          for (const th of torchThreads) pt[k][th].push(t[th]);
          line.push(`torch ${peer.torch} ${torchThreads.map((th) => `t${th} ${t[th].wall.toFixed(0)} (cpu ${t[th].cpu.toFixed(0)})`).join(' ')}`);
        });
        // Other users share the machine: the load average says how contended this run was.
        console.log(`  ${w.id} run ${i + 1}/${reps}: ${line.join(', ')} samples/s  (load ${loadavg()})`);
      }
      for (const kind of ['wall', 'cpu'] as const) {
        const dtMed = variants.map((v) => [v.key, median(dt.get(v.key)!.map((r) => r[kind]))] as const);
        const bestDt = dtMed.reduce((a, b) => (b[1] > a[1] ? b : a));
        const cells = peers.map((_, k) => {
          const med = torchThreads.map((th) => [th, median(pt[k][th].map((v) => v[kind]))] as const);
          const best = med.reduce((a, b) => (b[1] > a[1] ? b : a));
          return [`${best[1].toFixed(0)} (${best[0]} thr; ${med.map(([th, v]) => `${th}t ${v.toFixed(0)}`).join(', ')})`, (bestDt[1] / best[1]).toFixed(2)];
        });
        rows.push({ kind, cells: [`${w.label}, batch ${w.batch}, ${w.steps} steps after ${w.warmup}`, ...dtMed.map(([, v]) => v.toFixed(0)), ...cells.flat()] });
      }
    }
    const head = ['model', ...variants.map((v) => v.label),
      ...peers.flatMap((p) => [`${p.label} best threads`, 'ratio']).map(String)];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
    const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    // Wall clock is what a user waits; per CPU-second (the process's user + system time, all threads) is the
    // work a step costs, which a loaded machine distorts far less than the wall clock.
    const titles = { wall: 'samples/s (wall clock)', cpu: 'samples per CPU-second of the process' };
    for (const kind of ['wall', 'cpu'] as const) {
      console.log(`\nmedians, ${titles[kind]} (${new Date().toISOString()}, load ${loadavg()}):`);
      console.log(fmt(head));
      console.log(`|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|`);
      for (const r of rows.filter((x) => x.kind === kind)) console.log(fmt(r.cells));
    }
    console.log('ratio = best deeptriage ÷ best pytorch (> 1: DeepTriage faster).');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
