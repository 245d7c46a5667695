import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Python scorer's sources: beside this module when running from source (electron/bundle/python), or
 * copied next to the bundled engine by scripts/build-engine.mjs (dist/engine/bundle-python).
 */
export function pythonSourcesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, 'python'), path.join(here, 'bundle-python'), path.join(here, '..', 'bundle-python')]) {
    if (fs.existsSync(path.join(dir, 'deeptriage_scorer', 'bundle.py'))) return dir;
  }
  throw new Error(`the Python scorer sources are missing (looked beside ${here}); rebuild with npm run build`);
}

/** Every file of the scorer, relative to the sources folder (no caches, no tests). */
export function pythonSourceFiles(dir = pythonSourcesDir()): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (e.name !== '__pycache__') walk(r);
      } else if (/\.(py|md)$/.test(e.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}
