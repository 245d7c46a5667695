// Bundles the engine's entry points; node_modules stay external so native addons and the wasm files
// are loaded from where npm (or electron-builder's unpacked asar) put them.
import { cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  format: 'esm',
  outdir: 'dist/engine',
  entryPoints: {
    start: 'electron/start.ts',
    cli: 'electron/cli/index.ts',
    'job-worker': 'electron/jobs/worker.ts',
    'train-replica': 'electron/train/parallel/replica-worker.ts',
    'scan-infer': 'electron/scan/infer-worker.ts',
    main: 'electron/main.ts',
  },
  external: ['electron'],
});

// Sandboxed preloads cannot be ES modules, and may only require 'electron'.
await build({
  ...common,
  packages: undefined,
  format: 'cjs',
  outfile: 'dist/engine/preload.cjs',
  entryPoints: ['electron/preload.ts'],
  external: ['electron'],
});

// The scoring bundle's Python scorer is copied into each bundle as files, so it ships beside the engine.
rmSync('dist/engine/bundle-python', { recursive: true, force: true });
cpSync('electron/bundle/python', 'dist/engine/bundle-python', {
  recursive: true,
  filter: (src) => !src.includes('__pycache__'),
});
