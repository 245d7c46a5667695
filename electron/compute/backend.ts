import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendName } from '../../shared/domain';
import { BackendNameSchema } from '../../shared/domain';
import { registerWasmKernelFixes } from './kernels';
import { loadNativeKernels } from './kernels/ort-native';

/** Fastest first: native TensorFlow with CUDA, native TensorFlow on CPU, WASM (ships inside npm), pure JS. */
export const BACKEND_ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

type Attempt = BackendInfo['attempts'][number];

/**
 * Loads one candidate and makes it the active TF.js backend. The native packages are optional dependencies:
 * their install downloads libtensorflow, so on an offline machine they are simply absent and the import fails.
 */
async function activate(name: BackendName): Promise<void> {
  switch (name) {
    case 'node-gpu':
      await import('@tensorflow/tfjs-node-gpu' as string);
      break;
    case 'node':
      await import('@tensorflow/tfjs-node' as string);
      break;
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      break;
    case 'cpu':
      break;
  }
  const tfName = name === 'node-gpu' || name === 'node' ? 'tensorflow' : name;
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend('${tfName}') returned false`);
  await tf.ready();
  if (tf.getBackend() !== tfName) throw new Error(`active backend is ${tf.getBackend()}, not ${tfName}`);
  // The stock wasm kernels cannot train Conv1D or Embedding and are slow on transposed matmuls.
  if (name === 'wasm') registerWasmKernelFixes();
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}

export function parseBackendOverride(raw: string | undefined): BackendName | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = BackendNameSchema.safeParse(raw.trim());
  if (!parsed.success) {
    throw new Error(`DEEPTRIAGE_BACKEND must be one of ${BACKEND_ORDER.join(', ')}; got '${raw}'`);
  }
  return parsed.data;
}

/**
 * Chooses the backend once per process. An override is tried first; when it cannot load, the normal order
 * continues from there so the workbench still runs, and the reason says what happened.
 */
export async function selectBackend(overrideRaw = process.env.DEEPTRIAGE_BACKEND): Promise<BackendInfo> {
  const override = parseBackendOverride(overrideRaw);
  const candidates = override ? [override, ...BACKEND_ORDER.filter((n) => n !== override)] : [...BACKEND_ORDER];
  const attempts: Attempt[] = [];
  for (const name of candidates) {
    try {
      await activate(name);
      attempts.push({ name, ok: true });
      return {
        name,
        tfBackend: tf.getBackend(),
        reason: describeChoice(name, override, attempts),
        ...(override ? { override } : {}),
        attempts,
        tfVersion: tf.version.tfjs,
        ...(await wasmDetails(name)),
      };
    } catch (err) {
      attempts.push({ name, ok: false, error: firstLine(err) });
    }
  }
  throw new Error(`no TF.js backend could start: ${attempts.map((a) => `${a.name}: ${a.error}`).join('; ')}`);
}

function describeChoice(name: BackendName, override: BackendName | undefined, attempts: Attempt[]): string {
  const failed = attempts.filter((a) => !a.ok).map((a) => a.name);
  if (override === name) return `DEEPTRIAGE_BACKEND=${override}`;
  if (override) return `DEEPTRIAGE_BACKEND=${override} could not start; fell back to ${name}`;
  if (failed.length === 0) return `${name} is the fastest available backend`;
  return `${failed.join(', ')} not available; ${name} is the fastest that started`;
}

async function wasmDetails(name: BackendName): Promise<{ simd?: boolean; threads?: number; nativeKernels?: string }> {
  if (name !== 'wasm') return {};
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const nativeKernels = loadNativeKernels()
    ? 'matrix products, convolutions and large sums on onnxruntime (MLAS)'
    : 'none: onnxruntime-node did not load or DEEPTRIAGE_ORT_GEMM=0; all kernels in wasm';
  return { simd, threads: wasm.getThreadsCount(), nativeKernels };
}
