import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './temp';

/**
 * The repo's Python (.venv, made by scripts/ensure-python.mjs, which runs it here when missing). Throws the
 * reason when it cannot be set up: a test that needs Python fails with it, never skips.
 */
export function requirePython(): string {
  const venv = process.env.DEEPTRIAGE_VENV ?? path.join(REPO_ROOT, '.venv');
  const python = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'ensure-python.mjs')], { encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(python)) throw new Error(`Python for the bundle tests is not available: ${(r.stderr || r.stdout || '').trim()}`);
  return python;
}

/** Runs a Python script; throws with its stderr when it fails. */
export function runPython(python: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const r = spawnSync(python, args, { encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-15).join('\n')}`);
  return r.stdout;
}
