import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh folder removed when the test process exits. (node:test's after() is not used: called inside a
 * before() hook it fires when that hook ends, deleting a workspace the tests are still using.)
 */
export function tempDir(prefix = 'dt-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
