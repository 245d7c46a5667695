import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Where a worker thread's code is, seen from the module at `here` (its import.meta.url): the `.ts` file beside
 * it when running from source (tsx), the bundled file beside the bundle otherwise. Packaged, worker threads
 * cannot load from inside app.asar, so electron-builder unpacks the worker entries.
 */
export function workerEntry(here: string, source: string, bundled: string): URL {
  if (here.endsWith('.ts')) return new URL(source, here);
  return new URL(bundled, here.replace('/app.asar/', '/app.asar.unpacked/'));
}

/** Starts a worker thread on `entry`; from source (tests, dev) it first installs the TypeScript loader. */
export function startWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`, { ...options, eval: true });
}
