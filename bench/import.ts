/**
 * Import throughput: DeepTriage importFile vs pandas.read_csv on kddcup.data_10_percent.gz.
 * Run: node --import tsx bench/import.ts [runs] [--cache]
 * Each side runs in its own fresh process so peak RSS is its own. pandas is a bench peer only.
 * --cache also times importToCache (the engine's path for big files) on the 10% file and corrected.gz.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(here, '..', '..', 'shared', 'data', 'kddcup99', 'kddcup.data_10_percent.gz');
const corrected = path.resolve(here, '..', '..', 'shared', 'data', 'kddcup99', 'corrected.gz');
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);

interface Result { rows: number; seconds: number; peakMB: number }

async function cacheChild(input: string): Promise<void> {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const { importToCache } = await import('../electron/data');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-bench-'));
  try {
    const t = performance.now();
    const r = await importToCache(input, dir, {});
    const seconds = (performance.now() - t) / 1000;
    process.stdout.write(JSON.stringify({ rows: r.rows, seconds, peakMB: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runCache(input: string): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--cache-child', input], { encoding: 'utf8', cwd: path.resolve(here, '..') });
  return JSON.parse(out) as Result;
}

async function child(): Promise<void> {
  const { importFile } = await import('../electron/data');
  const t = performance.now();
  const r = await importFile(file, {});
  const seconds = (performance.now() - t) / 1000;
  const out: Result = { rows: r.encoded.rows, seconds, peakMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify({ ...out, cols: r.encoded.cols }));
}

const PY = `
import time, resource, json
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(${JSON.stringify(file)}, header=None)
s = time.perf_counter() - t
print(json.dumps({"rows": len(df), "seconds": s, "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

function ensurePandas(): void {
  const ok = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
  if (!ok) {
    console.log('pandas missing: apt-get install -y python3-pandas');
    execFileSync('apt-get', ['install', '-y', 'python3-pandas'], { stdio: 'inherit' });
  }
}

function runNode(): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', cwd: path.resolve(here, '..') });
  return JSON.parse(out) as Result;
}

function runPandas(): Result {
  const out = execFileSync('/usr/bin/python3', ['-c', PY], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  return JSON.parse(out) as Result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  const cc = process.argv.indexOf('--cache-child');
  if (cc >= 0) return cacheChild(process.argv[cc + 1]);
  ensurePandas();
  const n: Result[] = [];
  const p: Result[] = [];
  // Interleaved so background load hits both sides alike.
  for (let i = 0; i < runs; i++) {
    n.push(runNode());
    p.push(runPandas());
  }
  const fmt = (name: string, rs: Result[]) => {
    const s = median(rs.map((r) => r.seconds));
    console.log(`${name.padEnd(22)} rows ${rs[0].rows}  median ${s.toFixed(2)} s  ${Math.round(rs[0].rows / s).toLocaleString('en')} rows/s  peak RSS ${Math.round(Math.max(...rs.map((r) => r.peakMB)))} MB  (runs: ${rs.map((r) => r.seconds.toFixed(2)).join(', ')})`);
    return s;
  };
  console.log(`file: ${file}`);
  const sn = fmt('deeptriage importFile', n);
  const sp = fmt('pandas.read_csv', p);
  console.log(`ratio (pandas time / deeptriage time): ${(sp / sn).toFixed(2)}x ${sp >= sn ? '(at least as fast as pandas)' : '(slower than pandas)'}`);
  if (process.argv.includes('--cache')) {
    for (const f of [file, corrected]) {
      const rs: Result[] = [];
      for (let i = 0; i < runs; i++) rs.push(runCache(f));
      fmt(`importToCache ${path.basename(f).replace('kddcup.data_', '').replace('.gz', '')}`, rs);
    }
  }
  console.log('note: importFile also validates, summarises (stats, duplicates, shortcut AUCs) and encodes 121 float32 features; read_csv only parses.');
}

await main();
