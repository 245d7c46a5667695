// Scan throughput and memory: DeepTriage's scan job (char-cnn at its full default architecture) on generated
// URL files of growing size, next to the same architecture in PyTorch (bench/peers/scan_torch.py): the current
// CPU wheel in .venv-bench/ and Debian's python3-torch 1.13 as the labelled fallback (bench/peers/python.ts),
// bench peers only. Figures only; nothing here passes or fails.
//
//   node --import tsx bench/scan.ts [--lines 100000,1000000] [--reps 3] [--workers auto|0|1|2,...]
//                                   [--torch-urls 20000] [--peers current,debian] [--no-torch]
//
// Every scan runs in a fresh child process, so its peak RSS (process.resourceUsage().maxRSS, worker threads
// included) belongs to that one file: it should not grow with the file. URLs/s is the scan's own figure
// (distinct URLs scored per second of scan time: reading, dedup, tokenising, inference, SQLite commits).
// The PyTorch peer times tokenisation + forward pass on distinct URLs of the same file, batch 512, 1 and 2
// threads (OPENBLAS_NUM_THREADS=1), best reported. Runs interleave so background load hits both alike.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../electron/engine';
import { createRouter } from '../electron/router';
import { UrlLineParser } from '../electron/scan/url-lines';
import { getRunEncoding } from '../electron/store/runs';
import { openDatabase } from '../electron/store/db';
import type { CharSeqJSON } from '../electron/data/featurize/charseq';
import type { OpName, OpRequest, OpResponse } from '../shared/contract';
import { mulberry32 } from '../models/lib/random';
import { pythonPeers, type PythonPeer } from './peers/python';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEER = path.join(here, 'peers', 'scan_torch.py');
const BATCH = 512;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function engineCaller(workspaceDir: string) {
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
  return { engine, call, done };
}

// ---- child: one scan of one file in this process, then its peak RSS --------------------------------------
async function child(workspaceDir: string, runId: string, file: string): Promise<void> {
  const { engine, call, done } = engineCaller(workspaceDir);
  try {
    const t0 = performance.now();
    const { scanId, jobId } = await call('scan.start', { runId, paths: [file], threshold: 0.5 });
    await done(jobId);
    const wallMs = performance.now() - t0;
    const { scan } = await call('scans.get', { scanId });
    const out = {
      lines: scan.stats.lines,
      scanned: scan.stats.scanned,
      duplicates: scan.stats.duplicates,
      urlsPerSec: scan.stats.urlsPerSecond,
      wallUrlsPerSec: (scan.stats.scanned / wallMs) * 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      engine: scan.stats.engine ?? '?',
    };
    process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  } finally {
    await engine.close();
  }
}

// ---- parent --------------------------------------------------------------------------------------------
const TLDS = ['com', 'net', 'org', 'io', 'co.uk', 'de', 'xyz', 'info', 'ru', 'top'];
const WORDS = ['login', 'secure', 'account', 'news', 'shop', 'cdn', 'static', 'mail', 'update', 'verify', 'docs', 'api', 'img', 'blog', 'pay', 'bank', 'media', 'store'];

/** One generated line: mostly URLs of several shapes, some repeats and some junk (counted as skips). */
function makeLine(rnd: () => number, recent: string[]): string {
  const w = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const n = () => Math.floor(rnd() * 100_000);
  const r = rnd();
  if (r < 0.06 && recent.length) return recent[Math.floor(rnd() * recent.length)];
  if (r < 0.07) return '';
  if (r < 0.075) return `# ${w()} list exported ${n()}`;
  if (r < 0.0752) return `http://${w()}.com/${'a'.repeat(4100)}`;
  const host = `${rnd() < 0.4 ? `${w()}.` : ''}${w()}${rnd() < 0.5 ? `-${w()}` : ''}${n()}.${TLDS[Math.floor(rnd() * TLDS.length)]}`;
  let url: string;
  if (r < 0.25) url = host;
  else if (r < 0.32) url = `http://${Math.floor(rnd() * 223) + 1}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}:${8000 + Math.floor(rnd() * 1000)}/${w()}.php?id=${n()}`;
  else {
    const segs = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => (rnd() < 0.5 ? w() : String(n())));
    url = `${rnd() < 0.6 ? 'https' : 'http'}://${host}/${segs.join('/')}${rnd() < 0.4 ? `?${w()}=${n()}&${w()}=${w()}` : ''}`;
  }
  recent.push(url);
  if (recent.length > 2000) recent.shift();
  return url;
}

function generate(file: string, lines: number, seed: number): void {
  const rnd = mulberry32(seed);
  const recent: string[] = [];
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < lines; i += 10_000) {
      const chunk: string[] = [];
      for (let j = i; j < Math.min(lines, i + 10_000); j++) chunk.push(makeLine(rnd, recent));
      fs.writeSync(fd, chunk.join('\n') + '\n');
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `max` distinct URLs of a file, classified as the scan does, for the PyTorch peer. */
function distinctUrls(file: string, max: number): string[] {
  const parser = new UrlLineParser();
  const seen = new Set<string>();
  const text = fs.readFileSync(file, 'utf8');
  let line = 0;
  for (const t of text.split('\n')) {
    const p = parser.parse(++line, t.replace(/\r$/, ''));
    if (p.kind === 'url') seen.add(p.url);
    if (seen.size >= max) break;
  }
  return [...seen];
}

async function trainModel(workspaceDir: string, tmp: string): Promise<string> {
  const { engine, call, done } = engineCaller(workspaceDir);
  try {
    const rnd = mulberry32(7);
    const rows = ['url,label'];
    for (let i = 0; i < 300; i++) {
      rows.push(`https://${WORDS[i % WORDS.length]}${i}.example.com/articles/${i},benign`);
      rows.push(`http://secure-login-${WORDS[Math.floor(rnd() * WORDS.length)]}${i}.xyz/verify/account.php?id=${i},malicious`);
    }
    const csv = path.join(tmp, 'train.csv');
    fs.writeFileSync(csv, rows.join('\n') + '\n');
    const { jobId } = await call('datasets.import', { path: csv, options: {} });
    const datasetId = ((await done(jobId)) as { datasetId: string }).datasetId;
    // Full default architecture (Embedding 32, 256 filters x4, Dense 1024 x2); one short epoch is enough.
    const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 1 } });
    await done(runs[0].jobId);
    return runs[0].runId;
  } finally {
    await engine.close();
  }
}

interface ChildResult {
  lines: number;
  scanned: number;
  duplicates: number;
  urlsPerSec: number;
  wallUrlsPerSec: number;
  maxRssMb: number;
  engine: string;
}

function scanInChild(workspaceDir: string, runId: string, file: string, workers: string): ChildResult {
  const env = { ...process.env };
  if (workers === 'auto') delete env.DEEPTRIAGE_SCAN_WORKERS;
  else env.DEEPTRIAGE_SCAN_WORKERS = workers;
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', workspaceDir, runId, file], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`child printed no result:\n${out.slice(-2000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

function measureTorch(peer: PythonPeer, urlsFile: string, enc: CharSeqJSON): Record<string, number> {
  const out = execFileSync(
    peer.python,
    [PEER, '--urls', urlsFile, '--max-len', String(enc.maxLength), '--truncate', enc.truncate, ...(enc.stripScheme ? ['--strip-scheme'] : []),
      '--batch', String(BATCH), '--threads', '1,2'],
    { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return (JSON.parse(out.trim().split('\n').pop()!) as { urlsPerSec: Record<string, number> }).urlsPerSec;
}

async function main(): Promise<void> {
  const sizes = arg('lines', '100000,1000000').split(',').map(Number);
  const reps = Number(arg('reps', '3'));
  const workerSettings = arg('workers', 'auto').split(',');
  const torchUrls = Number(arg('torch-urls', '20000'));
  const withTorch = !process.argv.includes('--no-torch');
  const peers = withTorch ? pythonPeers(arg('peers', 'current,debian')) : [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-scan-bench-'));
  try {
    const ws = path.join(tmp, 'ws');
    const t = performance.now();
    const runId = await trainModel(ws, tmp);
    const db = openDatabase(path.join(ws, 'workspace.sqlite'));
    const enc = (getRunEncoding(db, runId) as { featurizer: CharSeqJSON }).featurizer;
    db.close();
    console.log(`trained char-cnn (full default architecture, 1 epoch) in ${((performance.now() - t) / 1000).toFixed(0)} s | cores ${os.availableParallelism()} | ${reps} runs each | batch ${BATCH}`);
    const files = sizes.map((n) => {
      const f = path.join(tmp, `urls-${n}.txt`);
      generate(f, n, 1000 + n);
      return { n, f, mb: fs.statSync(f).size / 1e6 };
    });
    let urlsFile = '';
    if (withTorch) {
      urlsFile = path.join(tmp, 'torch-urls.txt');
      fs.writeFileSync(urlsFile, distinctUrls(files[0].f, torchUrls).join('\n') + '\n');
    }
    const dt = new Map<string, { rate: number[]; rss: number[]; res?: ChildResult }>();
    const pt = peers.map((): Record<string, number[]> => ({ '1': [], '2': [] }));
    const loads: number[] = [];
    for (let i = 0; i < reps; i++) {
      for (const { n, f } of files) {
        for (const wk of workerSettings) {
          const r = scanInChild(ws, runId, f, wk);
          const key = `${n}|${wk}`;
          const e = dt.get(key) ?? { rate: [], rss: [] };
          e.rate.push(r.urlsPerSec);
          e.rss.push(r.maxRssMb);
          e.res = r;
          dt.set(key, e);
          loads.push(os.loadavg()[0]);
          console.log(`  run ${i + 1}/${reps} ${n.toLocaleString('en-US')} lines, workers ${wk}: ${r.urlsPerSec.toFixed(0)} URLs/s (wall ${r.wallUrlsPerSec.toFixed(0)}), peak RSS ${r.maxRssMb.toFixed(0)} MB, ${r.scanned} scored, ${r.duplicates} repeats, ${r.engine}  (load ${os.loadavg()[0].toFixed(1)})`);
        }
      }
      peers.forEach((peer, k) => {
        const p = measureTorch(peer, urlsFile, enc);
        for (const th of Object.keys(pt[k])) pt[k][th].push(p[th]);
        loads.push(os.loadavg()[0]);
        console.log(`  run ${i + 1}/${reps} ${peer.label} (${torchUrls.toLocaleString('en-US')} distinct URLs): t1 ${p['1'].toFixed(0)} t2 ${p['2'].toFixed(0)} URLs/s  (load ${os.loadavg()[0].toFixed(1)})`);
      });
    }
    const bestPt = pt.map((byThreads) => {
      const med = Object.entries(byThreads).map(([k, v]) => [k, median(v)] as const);
      return { best: med.reduce((a, b) => (b[1] > a[1] ? b : a)), med };
    });
    const head = ['file', 'workers', 'deeptriage URLs/s', 'peak RSS MB', ...peers.flatMap((p) => [`${p.label} URLs/s (best threads)`, 'ratio'])];
    const rows: string[][] = [];
    for (const { n, f, mb } of files) {
      for (const wk of workerSettings) {
        const e = dt.get(`${n}|${wk}`)!;
        const rate = median(e.rate);
        rows.push([
          `${n.toLocaleString('en-US')} lines (${mb.toFixed(0)} MB, ${e.res!.scanned.toLocaleString('en-US')} distinct URLs)`,
          wk,
          rate.toFixed(0),
          median(e.rss).toFixed(0),
          ...bestPt.flatMap(({ best, med }) => [
            `${best[1].toFixed(0)} (${best[0]} thr; ${med.map(([k, v]) => `${k}t ${v.toFixed(0)}`).join(', ')})`,
            (rate / best[1]).toFixed(2),
          ]),
        ]);
        void f;
      }
    }
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log('\nmedians:');
    console.log(fmt(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(fmt(r));
    console.log(`ratio = deeptriage URLs/s ÷ best pytorch URLs/s (> 1: DeepTriage faster). load average (1 min) during runs: median ${median(loads).toFixed(1)}, range ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], process.argv[5]);
else await main();
