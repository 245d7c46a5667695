import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { STEP_KERNELS_WASM } from './step-kernels-bytes';
import { heapOffset, WASM } from './wasm-kernel-utils';

interface StepExports {
  adam(w: number, g: number, m: number, v: number, out: number, n: number, b1: number, a1: number, b2: number, a2: number, lr: number, c2: number, eps: number): void;
  addInto(dst: number, src: number, n: number): void;
  dropoutMask(out: number, n: number, cut: number, keep: number, s0: number, s1: number, s2: number, s3: number): void;
  lstmForward(z: number, h: number, keep: number, rows: number, units: number, act: number, rec: number): void;
  gruForward(z: number, h: number, keep: number, rows: number, units: number, act: number, rec: number): void;
  simpleForward(z: number, h: number, keep: number, rows: number, units: number, act: number): void;
  cellBackward(dh: number, keep: number, dz: number, rows: number, units: number, gates: number): void;
  repeatBlocks(src: number, dst: number, outer: number, block: number, reps: number): void;
  maxPoolGrad1d(x: number, dy: number, dx: number, batch: number, inW: number, outW: number, channels: number, pool: number): void;
  stridedBlocks(src: number, dst: number, count: number, block: number, stride: number): void;
}

/** The one-step cells step-kernels.wat implements, with the gate blocks of z and the backward planes each keeps. */
export type HeapCellKind = 'lstm' | 'gru' | 'simplernn';
export const CELL_GATES: Record<HeapCellKind, number> = { lstm: 4, gru: 3, simplernn: 1 };
export const CELL_PLANES: Record<HeapCellKind, number> = { lstm: 3, gru: 2, simplernn: 1 };
/** step-kernels.wat's activation codes, by tf.js' serialized name. */
export const CELL_ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, tanh: 1, sigmoid: 2, hardSigmoid: 3, relu: 4 };

/** What the tf.js wasm module exposes that these kernels need (emscripten's exports). */
interface EmscriptenHeap {
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
}

/**
 * step-kernels.wat running on the tf.js wasm backend's own heap: f32x4 loops over tensors where tf.js keeps
 * them (Adam with its moments allocated beside the weights, the shard sum, dropout masks). Null where it
 * cannot load (another backend, a shared-memory build, DEEPTRIAGE_STEP_KERNELS=0): callers keep their
 * JavaScript loops.
 */
export class HeapKernels {
  private constructor(
    private readonly fns: StepExports,
    private readonly em: EmscriptenHeap,
  ) {}

  /** The kernels of the current backend: null off wasm. */
  static current(): HeapKernels | null {
    return tf.getBackend() === WASM ? HeapKernels.for(tf.backend() as BackendWasm) : null;
  }

  /** One per backend and thread: the module is tiny, instantiating it once is enough. */
  static for(backend: BackendWasm): HeapKernels | null {
    let k = loaded.get(backend);
    if (k === undefined) {
      k = HeapKernels.load(backend);
      loaded.set(backend, k);
    }
    return k;
  }

  private static load(backend: BackendWasm): HeapKernels | null {
    if (process.env.DEEPTRIAGE_STEP_KERNELS === '0') return null;
    const em = backend.wasm as unknown as EmscriptenHeap;
    const memory = em.asm?.memory;
    if (!(memory instanceof WebAssembly.Memory) || typeof em._malloc !== 'function') return null;
    try {
      const mod = new WebAssembly.Module(Buffer.from(STEP_KERNELS_WASM, 'base64'));
      const inst = new WebAssembly.Instance(mod, { env: { memory } });
      return new HeapKernels(inst.exports as unknown as StepExports, em);
    } catch {
      // e.g. the threaded build's shared memory does not match the import: the JS loop stays.
      return null;
    }
  }

  /** `n` zeroed floats on the heap; their byte offset. */
  alloc(n: number): number {
    const ptr = this.em._malloc(Math.max(4, n * 4));
    this.f32(ptr, n).fill(0);
    return ptr;
  }

  free(ptr: number): void {
    this.em._free(ptr);
  }

  /** A view of n floats at ptr; valid until the next heap allocation (which may grow and detach it). */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.em.HEAPU8.buffer, ptr, n);
  }

  adam(w: number, g: number, m: number, v: number, out: number, n: number, b1: number, b2: number, lr: number, c2: number, eps: number): void {
    this.fns.adam(w, g, m, v, out, n, b1, 1 - b1, b2, 1 - b2, lr, c2, eps);
  }

  addInto(dst: number, src: number, n: number): void {
    this.fns.addInto(dst, src, n);
  }

  /** n inverted-dropout multipliers (0 or 1 / (1 − rate)) at out, four xorshift32 lanes seeded from `seed`. */
  dropoutMask(out: number, n: number, rate: number, seed: number): void {
    // The lanes' seeds: splitmix-style mixes of seed, never 0 (xorshift's fixed point).
    const lane = (k: number) => {
      let z = (seed + Math.imul(k + 1, 0x9e3779b9)) | 0;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 1;
    };
    const cut = Math.min(2 ** 31 - 1, Math.floor(rate * 2 ** 32) - 2 ** 31) | 0;
    this.fns.dropoutMask(out, n, cut, 1 / (1 - rate), lane(0), lane(1), lane(2), lane(3));
  }

  /**
   * One recurrent step from a zero state: h [rows, units] from z [rows, gates·units] (byte offsets), and the
   * CELL_PLANES[kind] planes of rows·units floats at `keep` that cellBackward needs. units % 4 === 0.
   */
  cellForward(kind: HeapCellKind, z: number, h: number, keep: number, rows: number, units: number, act: number, rec: number): void {
    if (kind === 'lstm') this.fns.lstmForward(z, h, keep, rows, units, act, rec);
    else if (kind === 'gru') this.fns.gruForward(z, h, keep, rows, units, act, rec);
    else this.fns.simpleForward(z, h, keep, rows, units, act);
  }

  /** `outer` blocks of `blockBytes` at src (byte offsets), each copied `reps` times in a row to dst. */
  repeatBlocks(src: number, dst: number, outer: number, blockBytes: number, reps: number): void {
    this.fns.repeatBlocks(src, dst, outer, blockBytes, reps);
  }

  /** `count` blocks of `blockBytes` read every `strideBytes` from src, written back to back at dst. */
  stridedBlocks(src: number, dst: number, count: number, blockBytes: number, strideBytes: number): void {
    this.fns.stridedBlocks(src, dst, count, blockBytes, strideBytes);
  }

  /** Max-pool gradient over one row in non-overlapping, unpadded windows of `pool`; channels % 4 === 0. */
  maxPoolGrad1d(x: number, dy: number, dx: number, batch: number, inW: number, outW: number, channels: number, pool: number): void {
    this.fns.maxPoolGrad1d(x, dy, dx, batch, inW, outW, channels, pool);
  }

  /** dz [rows, gates·units] from dh [rows, units] and cellForward's planes. */
  cellBackward(kind: HeapCellKind, dh: number, keep: number, dz: number, rows: number, units: number): void {
    this.fns.cellBackward(dh, keep, dz, rows, units, CELL_GATES[kind]);
  }
}

const loaded = new WeakMap<BackendWasm, HeapKernels | null>();

/**
 * A dropout mask written by the SIMD kernel straight into a new heap tensor (no JavaScript array, no
 * upload); null off wasm or without the kernel, and the layer draws it in JavaScript instead.
 */
export function heapDropoutMask(shape: number[], rate: number, seed: number): tf.Tensor | null {
  const k = HeapKernels.current();
  if (!k) return null;
  const backend = tf.backend() as BackendWasm;
  const info = backend.makeOutput(shape, 'float32');
  const t = tf.engine().makeTensorFromTensorInfo(info, backend);
  k.dropoutMask(heapOffset(backend, info), t.size, rate, seed);
  return t;
}
