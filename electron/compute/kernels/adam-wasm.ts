import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ADAM_WASM } from './adam-wasm-bytes';

interface AdamExports {
  adam(w: number, g: number, m: number, v: number, out: number, n: number, b1: number, a1: number, b2: number, a2: number, lr: number, c2: number, eps: number): void;
  addInto(dst: number, src: number, n: number): void;
}

/** What the tf.js wasm module exposes that these kernels need (emscripten's exports). */
interface EmscriptenHeap {
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
}

/**
 * Adam's update (adam.wat) running on the tf.js wasm backend's own heap: f32x4 loops over weights and
 * gradients where tf.js keeps them, moments allocated beside them. Null where it cannot load (another
 * backend, a shared-memory build, DEEPTRIAGE_WASM_ADAM=0): callers keep their JavaScript loop.
 */
export class HeapAdam {
  private constructor(
    private readonly fns: AdamExports,
    private readonly em: EmscriptenHeap,
  ) {}

  /** One per backend and thread: the module is tiny, instantiating it once is enough. */
  static for(backend: BackendWasm): HeapAdam | null {
    let k = loaded.get(backend);
    if (k === undefined) {
      k = HeapAdam.load(backend);
      loaded.set(backend, k);
    }
    return k;
  }

  private static load(backend: BackendWasm): HeapAdam | null {
    if (process.env.DEEPTRIAGE_WASM_ADAM === '0') return null;
    const em = backend.wasm as unknown as EmscriptenHeap;
    const memory = em.asm?.memory;
    if (!(memory instanceof WebAssembly.Memory) || typeof em._malloc !== 'function') return null;
    try {
      const mod = new WebAssembly.Module(Buffer.from(ADAM_WASM, 'base64'));
      const inst = new WebAssembly.Instance(mod, { env: { memory } });
      return new HeapAdam(inst.exports as unknown as AdamExports, em);
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
}

const loaded = new WeakMap<BackendWasm, HeapAdam | null>();
