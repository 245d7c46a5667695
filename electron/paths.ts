import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app root: the first folder above this module (bundled in dist/engine, or source in electron/) with package.json. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot locate the DeepTriage root (package.json)');
}

export function rendererBuildDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}
