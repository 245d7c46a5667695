import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function readVersion(): string {
  // The bundle sits two folders below package.json (dist/engine), the source one (electron/).
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'deeptriage' && pkg.version) return pkg.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}

export const APP_VERSION = readVersion();
