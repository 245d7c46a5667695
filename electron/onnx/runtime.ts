import type * as Ort from 'onnxruntime-node';

type OrtModule = typeof Ort;

let loaded: Promise<{ ort: OrtModule } | { error: string }> | null = null;

/**
 * onnxruntime-node, when its native binary loads on this platform; otherwise why not. Optional by design:
 * every caller has a TF.js path to fall back on. DEEPTRIAGE_ONNX=0 turns it off.
 */
export function loadOnnxRuntime(): Promise<{ ort: OrtModule } | { error: string }> {
  if (process.env.DEEPTRIAGE_ONNX === '0') return Promise.resolve({ error: 'turned off by DEEPTRIAGE_ONNX=0' });
  loaded ??= import('onnxruntime-node').then(
    (m) => ({ ort: ((m as { default?: OrtModule }).default ?? m) as OrtModule }),
    (e: unknown) => ({ error: `onnxruntime-node did not load: ${(e as Error)?.message ?? String(e)}` }),
  );
  return loaded;
}

/**
 * Session options for every onnxruntime session here: one intra-op thread without spinning. Callers run
 * sessions on several worker threads (a run blocks its thread), and on a shared 2-core machine a spinning
 * thread pool only steals time from the other workers.
 */
export const SINGLE_THREAD_SESSION = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
} as const;
