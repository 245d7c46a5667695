// The Python interpreters the bench peers run on. Bench-only: DeepTriage never runs Python.
//
//  - current: PyTorch from this machine's configured pip index (the 2.13 CPU wheel, oneDNN), installed into
//    .venv-bench/ at the repository root (gitignored) the first time a bench needs it;
//  - debian: Debian's python3-torch (1.13, OpenBLAS), the earlier peer, kept as a labelled fallback.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VENV = path.join(repoRoot, '.venv-bench');
const DEBIAN_PY = '/usr/bin/python3';

export interface PythonPeer {
  /** 'current' (pip wheel in .venv-bench) or 'debian' (python3-torch). */
  kind: 'current' | 'debian';
  python: string;
  /** torch.__version__ as the interpreter reports it. */
  torch: string;
  label: string;
}

function torchVersion(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The venv's interpreter with torch installed, creating the venv if needed; null (with the reason logged) when pip cannot. */
function currentPeer(): PythonPeer | null {
  const python = path.join(VENV, 'bin', 'python');
  let version = fs.existsSync(python) ? torchVersion(python) : null;
  if (!version) {
    console.log(`bench peer: creating ${path.relative(repoRoot, VENV)} with torch from the configured pip index`);
    try {
      if (!fs.existsSync(python)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
      execFileSync(python, ['-m', 'pip', 'install', '--retries', '0', '--timeout', '2', 'torch', 'numpy'], { stdio: 'inherit' });
    } catch (e) {
      console.log(`bench peer: pip install failed (${(e as Error).message.split('\n')[0]})`);
      return null;
    }
    version = torchVersion(python);
  }
  return version ? { kind: 'current', python, torch: version, label: `PyTorch ${version.split('+')[0]} (pip wheel)` } : null;
}

/** Debian's python3-torch, installed with apt-get when `install` and missing; null when unavailable. */
function debianPeer(install: boolean): PythonPeer | null {
  let version = torchVersion(DEBIAN_PY);
  if (!version && install) {
    console.log('bench peer: apt-get install -y python3-torch (Debian fallback peer)');
    const r = spawnSync('apt-get', ['install', '-y', 'python3-torch'], { stdio: 'inherit' });
    if (r.status === 0) version = torchVersion(DEBIAN_PY);
  }
  return version ? { kind: 'debian', python: DEBIAN_PY, torch: version, label: `PyTorch ${version} (Debian, fallback)` } : null;
}

/**
 * The peers for a bench: `which` is a comma list of 'current' and 'debian'. When the current wheel cannot
 * be installed, Debian's is used in its place (and labelled as the fallback it is).
 */
export function pythonPeers(which: string): PythonPeer[] {
  const want = new Set(which.split(',').map((s) => s.trim()).filter(Boolean));
  const out: PythonPeer[] = [];
  const current = want.has('current') ? currentPeer() : null;
  if (current) out.push(current);
  if (want.has('debian') || (want.has('current') && !current)) {
    const debian = debianPeer(true);
    if (debian) out.push(debian);
    else console.log('bench peer: Debian python3-torch is not available');
  }
  if (out.length === 0) throw new Error(`no PyTorch peer available (asked for: ${which})`);
  return out;
}
