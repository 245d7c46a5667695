// Scoring at scale: the run's scoring bundle in a Ray Data job (score_ray.py, local Ray, 1 and 2 scoring
// actors) next to DeepTriage's own scan, same generated URL file, same run (char-cnn at its full default
// architecture, as bench/scan.ts). Figures only; nothing here passes or fails.
//
//   node --import tsx bench/scale.ts [--lines 200000] [--reps 2] [--batch 4096]
//
// Every URL of the file is distinct, so the scan (which deduplicates) and the Ray job (which does not) score
// the same rows. Scan: its own URLs/s (scan time). Ray: rows per second of the job (count pass, read, encode,
// score, write Parquet) and, separately, Ray's start-up. Runs interleave so background load hits all alike.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../electron/engine';
import { createRouter } from '../electron/router';
import type { OpName, OpRequest, OpResponse } from '../shared/contract';
import { mulberry32 } from '../models/lib/random';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const WORDS = ['login', 'secure', 'account', 'news', 'shop', 'cdn', 'static', 'mail', 'update', 'verify', 'docs', 'api', 'img', 'blog', 'pay', 'bank'];
const TLDS = ['com', 'net', 'org', 'io', 'co.uk', 'de', 'xyz', 'ru'];

function generate(file: string, lines: number): void {
  const rnd = mulberry32(11);
  const w = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const host = `${rnd() < 0.4 ? `${w()}.` : ''}${w()}-${i}.${TLDS[Math.floor(rnd() * TLDS.length)]}`;
    const segs = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => (rnd() < 0.5 ? w() : String(Math.floor(rnd() * 1e5))));
    out.push(`${rnd() < 0.6 ? 'https' : 'http'}://${host}/${segs.join('/')}${rnd() < 0.4 ? `?${w()}=${i}` : ''}`);
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
}

async function withEngine<T>(workspaceDir: string, fn: (call: <K extends OpName>(op: K, p: OpRequest<K>) => Promise<OpResponse<K>>, done: (id: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const engine = createEngine({ workspaceDir, transport: 'cli' });
  const route = createRouter(engine.handlers);
  const call = async <K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>> => {
    const r = await route(op, payload);
    if (!r.ok) throw new Error(`${op}: ${r.error.code}: ${r.error.message}`);
    return r.value as OpResponse<K>;
  };
  const done = async (jobId: string) => {
    const job = await engine.jobs.wait(jobId);
    if (job.status !== 'done') throw new Error(`job ${jobId} ${job.status}: ${job.error}`);
    return job.result;
  };
  try {
    return await fn(call, done);
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const lines = Number(arg('lines', '200000'));
  const reps = Number(arg('reps', '2'));
  const batch = arg('batch', '4096');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-scale-'));
  const ws = path.join(tmp, 'ws');
  const python = path.resolve('.venv', 'bin', 'python');
  execFileSync(process.execPath, ['scripts/ensure-python.mjs'], { stdio: 'inherit' });
  try {
    const file = path.join(tmp, 'urls.txt');
    generate(file, lines);
    const { runId, bundle } = await withEngine(ws, async (call, done) => {
      const rows = ['url,label'];
      for (let i = 0; i < 300; i++) rows.push(`https://${WORDS[i % WORDS.length]}${i}.example.com/articles/${i},benign`, `http://secure-login-${WORDS[i % 7]}${i}.xyz/verify/account.php?id=${i},malicious`);
      fs.writeFileSync(path.join(tmp, 'train.csv'), rows.join('\n') + '\n');
      const { jobId } = await call('datasets.import', { path: path.join(tmp, 'train.csv'), options: {} });
      const datasetId = ((await done(jobId)) as { datasetId: string }).datasetId;
      const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 1 } });
      await done(runs[0].jobId);
      const b = await call('runs.exportBundle', { runId: runs[0].runId, dir: path.join(tmp, 'bundle') });
      await done(b.jobId);
      return { runId: runs[0].runId, bundle: b.dir };
    });
    const scan: number[] = [];
    const ray: Record<1 | 2, { job: number[]; start: number[] }> = { 1: { job: [], start: [] }, 2: { job: [], start: [] } };
    const loads: string[] = [load()];
    for (let r = 0; r < reps; r++) {
      const s = await withEngine(ws, async (call, done) => {
        const { scanId, jobId } = await call('scan.start', { runId, paths: [file] });
        await done(jobId);
        return (await call('scans.get', { scanId })).scan.stats;
      });
      if (s.scanned !== lines) throw new Error(`scan scored ${s.scanned} of ${lines}`);
      scan.push(s.urlsPerSecond);
      console.log(`scan rep ${r + 1}: ${fmt(s.urlsPerSecond)} URLs/s (${s.engine}), load ${load()}`);
      for (const workers of [1, 2] as const) {
        const out = path.join(tmp, `ray-${r}-${workers}`);
        const res = execFileSync(python, [path.join(bundle, 'score_ray.py'), file, out, '--num-cpus', '2', '--workers', String(workers), '--batch-size', batch], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        const summary = JSON.parse(res.trim().split('\n').at(-1)!) as { rows: number; startSeconds: number; jobSeconds: number };
        if (summary.rows !== lines) throw new Error(`Ray wrote ${summary.rows} of ${lines} rows`);
        ray[workers].job.push(lines / summary.jobSeconds);
        ray[workers].start.push(summary.startSeconds);
        console.log(`ray ${workers} worker(s) rep ${r + 1}: ${fmt(lines / summary.jobSeconds)} rows/s (start-up ${summary.startSeconds.toFixed(1)} s), load ${load()}`);
        fs.rmSync(out, { recursive: true, force: true });
      }
      loads.push(load());
    }
    console.log(`\n${new Date().toISOString()}, ${lines.toLocaleString('en-US')} distinct URLs, char-cnn full default, batch ${batch}, load averages ${loads.join(' → ')}`);
    console.log('| scorer | URLs/s (median) | runs | start-up |');
    console.log('|---|---|---|---|');
    console.log(`| DeepTriage scan (workers: auto) | ${fmt(median(scan))} | ${scan.map(fmt).join(' / ')} | — |`);
    for (const w of [1, 2] as const) {
      console.log(`| Ray Data, ${w} scoring actor${w > 1 ? 's' : ''} (local Ray, 2 CPUs) | ${fmt(median(ray[w].job))} | ${ray[w].job.map(fmt).join(' / ')} | ${median(ray[w].start).toFixed(1)} s |`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
