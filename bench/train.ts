// Training throughput: DeepTriage (TF.js wasm + kernel fixes, 1 thread and data-parallel replicas) next to
// the same architectures in PyTorch (bench/peers/train_torch.py, Debian python3-torch, a bench peer only).
// Figures only; nothing here passes or fails.
//
//   node --import tsx bench/train.ts [--reps 3] [--warmup 3] [--dnn-steps 20] [--cnn-steps 10]
//                                    [--replicas 1,2] [--only dnn5|char-cnn] [--no-torch]
//
// Both sides: same rows (real NSL-KDD / URL features from importFile, written to a temp dir for the peer),
// same batch, same optimiser (adam 1e-3), `warmup` steps untimed then a fixed number of timed steps.
// DeepTriage is timed through its real loops (fitLayersModel for 1 replica, fitParallel for N), from the
// progress event of the last warm-up batch to that of the last batch. Runs interleave DeepTriage and PyTorch
// so background load on the shared machine hits both alike; the table shows medians.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../electron/compute/kernels/index';
import { importFile } from '../electron/data';
import { fitLayersModel } from '../electron/train/loop';
import { fitParallel } from '../electron/train/parallel';
import { resolveParams } from '../electron/train/params';
import { getModel } from '../models/registry';
import { mulberry32 } from '../models/lib/random';
import { shuffleInPlace, takeLabels, takeRows } from '../models/lib/sampling';
import type { Dataset, Hyperparams, ModelSpec, Progress, TfModelDef } from '../models/types';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');
const PY = '/usr/bin/python3';
const PEER = path.join(here, 'peers', 'train_torch.py');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const reps = Number(arg('reps', '3'));
const warmup = Number(arg('warmup', '3'));
const replicaCounts = arg('replicas', '1,2').split(',').map(Number);
const only = arg('only', '');
const withTorch = !process.argv.includes('--no-torch');

interface Workload {
  id: 'dnn5' | 'char-cnn';
  label: string;
  batch: number;
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

/** A seeded sample of `n` rows (the URL list is sorted by class, so the head alone would be one class). */
function sample(x: Float32Array | Int32Array, y: Int32Array, cols: number, n: number): Dataset {
  const order = shuffleInPlace(Int32Array.from({ length: y.length }, (_, i) => i), mulberry32(1234));
  const pick = order.subarray(0, Math.min(n, y.length));
  return { x: takeRows(x, cols, pick), y: takeLabels(y, pick), rows: pick.length, cols };
}

async function load(): Promise<Workload[]> {
  const out: Workload[] = [];
  const mk = (id: Workload['id'], label: string, batch: number, steps: number, full: { x: Float32Array | Int32Array; y: Int32Array; cols: number }, numClasses: number) => {
    const data = sample(full.x, full.y, full.cols, (warmup + steps) * batch);
    const def = getModel(id) as TfModelDef;
    const params = resolveParams(def, { batchSize: batch, epochs: 1, patience: 0, validationFraction: 0 });
    const spec: ModelSpec = { numClasses, params, seed: 42 };
    if (def.family === 'records') spec.numFeatures = data.cols;
    else {
      spec.vocabSize = 97;
      spec.maxLen = data.cols;
    }
    out.push({ id, label, batch, steps, data, numClasses, spec, params });
  };
  if (only !== 'char-cnn') {
    const kdd = await importFile(path.join(dataDir, 'nsl-kdd', 'KDDTrain+.txt'), {});
    const e = kdd.encoded;
    mk('dnn5', `dnn5 (NSL-KDD KDDTrain+, ${e.cols} features, 5-class)`, 256, Number(arg('dnn-steps', '20')), { x: e.features, y: e.labels!, cols: e.cols }, e.classes.length);
  }
  if (only !== 'dnn5') {
    const urls = await importFile(path.join(dataDir, 'urls', 'urls_labeled.csv'), { labels: { mode: 'binary' }, text: { maxLength: 75 } });
    const e = urls.encoded;
    mk('char-cnn', `char-cnn (urls_labeled.csv, maxLen ${e.cols}, binary)`, 128, Number(arg('cnn-steps', '10')), { x: e.features, y: e.labels!, cols: e.cols }, e.classes.length);
  }
  return out;
}

/** Samples/s of DeepTriage's training loop over the timed steps. */
async function measureDeepTriage(w: Workload, replicas: number): Promise<number> {
  const def = getModel(w.id) as TfModelDef;
  const model = def.build(w.spec);
  let tStart = 0;
  let tEnd = 0;
  const onProgress = (p: Progress) => {
    if (p.phase !== 'batch') return;
    if (p.batch === warmup) tStart = performance.now();
    if (p.batch === warmup + w.steps) tEnd = performance.now();
  };
  try {
    const data = { train: w.data, val: null };
    if (replicas === 1) await fitLayersModel(model, w.numClasses, data, { params: w.params, onProgress });
    else await fitParallel(model, w.numClasses, data, { params: w.params, onProgress, modelId: w.id, spec: w.spec, replicas });
  } finally {
    model.dispose();
  }
  return (w.steps * w.batch) / ((tEnd - tStart) / 1000);
}

function ensureTorch(): void {
  if (spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return;
  console.log('torch missing for the bench peer: apt-get install -y python3-torch');
  execFileSync('apt-get', ['install', '-y', 'python3-torch'], { stdio: 'inherit' });
}

function writePeerData(w: Workload, dir: string): { x: string; y: string } {
  const x = path.join(dir, `${w.id}.x.bin`);
  const y = path.join(dir, `${w.id}.y.bin`);
  fs.writeFileSync(x, new Uint8Array(w.data.x.buffer, w.data.x.byteOffset, w.data.x.byteLength));
  fs.writeFileSync(y, new Uint8Array(w.data.y.buffer, w.data.y.byteOffset, w.data.y.byteLength));
  return { x, y };
}

/** Samples/s per torch thread count, from one peer process. */
function measureTorch(w: Workload, files: { x: string; y: string }): Record<string, number> {
  const out = execFileSync(
    PY,
    [PEER, '--model', w.id, '--x', files.x, '--y', files.y, '--rows', String(w.data.rows), '--cols', String(w.data.cols),
      '--classes', String(w.numClasses), '--batch', String(w.batch), '--warmup', String(warmup), '--steps', String(w.steps),
      '--dropout', String(w.params.dropout), '--threads', '1,2'],
    { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return (JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSec: Record<string, number> }).samplesPerSec;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  registerWasmKernelFixes();
  if (withTorch) ensureTorch();
  const workloads = await load();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-bench-'));
  try {
    console.log(`tfjs ${tf.version.tfjs} backend ${tf.getBackend()} | cores ${os.availableParallelism()} | ${reps} runs each, ${warmup} warm-up steps`);
    const rows: string[][] = [];
    for (const w of workloads) {
      const files = withTorch ? writePeerData(w, tmp) : null;
      const dt = new Map<number, number[]>(replicaCounts.map((r) => [r, []]));
      const pt: Record<string, number[]> = { '1': [], '2': [] };
      for (let i = 0; i < reps; i++) {
        const line: string[] = [];
        for (const r of replicaCounts) {
          const v = await measureDeepTriage(w, r);
          dt.get(r)!.push(v);
          line.push(`dt x${r} ${v.toFixed(0)}`);
        }
        if (files) {
          const t = measureTorch(w, files);
          for (const k of Object.keys(pt)) pt[k].push(t[k]);
          line.push(`torch t1 ${t['1'].toFixed(0)} t2 ${t['2'].toFixed(0)}`);
        }
        // Other users share the machine: the 1-minute load average says how contended this run was.
        console.log(`  ${w.id} run ${i + 1}/${reps}: ${line.join(', ')} samples/s  (load ${os.loadavg()[0].toFixed(1)})`);
      }
      const dtMed = replicaCounts.map((r) => [r, median(dt.get(r)!)] as const);
      const bestDt = dtMed.reduce((a, b) => (b[1] > a[1] ? b : a));
      const ptMed = Object.entries(pt).map(([k, v]) => [k, v.length ? median(v) : NaN] as const);
      const bestPt = ptMed.reduce((a, b) => (b[1] > a[1] ? b : a));
      rows.push([
        `${w.label}, batch ${w.batch}, ${w.steps} steps`,
        ...dtMed.map(([, v]) => v.toFixed(0)),
        files ? `${bestPt[1].toFixed(0)} (${bestPt[0]} thr; ${ptMed.map(([k, v]) => `${k}t ${v.toFixed(0)}`).join(', ')})` : 'n/a',
        files ? `${(bestDt[1] / bestPt[1]).toFixed(2)}` : 'n/a',
        files && dt.has(1) ? `${(median(dt.get(1)!) / ptMed[0][1]).toFixed(2)}` : 'n/a',
      ]);
    }
    const head = ['model', ...replicaCounts.map((r) => `deeptriage ${r} replica${r > 1 ? 's' : ''} samples/s`), 'pytorch samples/s (best threads)', 'ratio best/best', 'ratio 1 thread/1 thread'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log('\nmedians:');
    console.log(fmt(head));
    console.log(`|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|`);
    for (const r of rows) console.log(fmt(r));
    console.log('ratio = deeptriage samples/s ÷ pytorch samples/s (> 1: DeepTriage faster).');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
