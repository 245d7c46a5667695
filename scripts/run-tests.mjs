// Node 20's --test does not expand globs, so collect the test files here and hand them over explicitly.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? collect(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

// --concurrency N: test files run N at a time, each in its own process. Most unit files spend their time in
// one single-threaded wasm worker (a small training or scan), so two at a time keep both cores of a 2-core
// machine busy and halve the suite's wall time; the end-to-end files each drive a host and a Chromium and
// stay one at a time. Capped by the cores there are.
const args = process.argv.slice(2);
const ci = args.indexOf('--concurrency');
const wanted = ci >= 0 ? Number(args.splice(ci, 2)[1]) : 1;
const concurrency = Math.max(1, Math.min(wanted, os.availableParallelism()));
const files = args.flatMap(collect);
if (files.length === 0) {
  console.error(`no test files under ${args.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
