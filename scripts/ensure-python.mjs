// The scoring-bundle tests run the bundle's Python scorer and a Ray Data job. Their interpreter is a venv in
// .venv/ (gitignored), created here on first use from the machine's configured package index. When something
// cannot be installed this exits non-zero with the reason, and the tests that need Python fail with it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const venv = process.env.DEEPTRIAGE_VENV ?? path.join(root, '.venv');
const python = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
/** What the bundle's scorer needs (numpy, onnxruntime) plus what its Ray job and the tests read with. */
const PACKAGES = ['numpy', 'onnxruntime', 'pandas', 'pyarrow', 'ray'];
const CHECK = `import ${PACKAGES.join(', ')}; import ray.data`;

function run(cmd, args, quiet) {
  return spawnSync(cmd, args, { stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
}

function fail(why) {
  console.error(`ensure-python: ${why}`);
  process.exit(1);
}

if (existsSync(python) && run(python, ['-c', CHECK], true).status === 0) process.exit(0);
if (!existsSync(python)) {
  const base = process.env.DEEPTRIAGE_PYTHON ?? 'python3';
  console.log(`ensure-python: creating ${venv} with ${base}`);
  const r = run(base, ['-m', 'venv', venv]);
  if (r.error) fail(`cannot run ${base} (${r.error.message}): install Python 3.9+ with its venv module, or set DEEPTRIAGE_PYTHON`);
  if (r.status !== 0) fail(`${base} -m venv ${venv} failed (exit ${r.status}): on Debian install python3-venv`);
}
console.log(`ensure-python: installing ${PACKAGES.join(' ')} into ${venv}`);
const pip = run(python, ['-m', 'pip', 'install', '--retries', '0', '--timeout', '2', '--disable-pip-version-check', ...PACKAGES]);
if (pip.status !== 0) fail(`pip install ${PACKAGES.join(' ')} failed (exit ${pip.status}); see pip's message above (is the package index reachable?)`);
const check = run(python, ['-c', CHECK], true);
if (check.status !== 0) fail(`installed, but "${CHECK}" fails: ${(check.stderr || '').trim().split('\n').at(-1)}`);
