import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');
export const data = (...p: string[]) => path.join(dataDir, ...p);
export const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dt-'));
