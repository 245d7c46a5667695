import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapKernels } from './heap-kernels';
import { heapOffset, WASM } from './wasm-kernel-utils';

/** tf.Optimizer's weight entries (tfjs-core does not re-export the type). */
type NamedTensor = { name: string; tensor: tf.Tensor };

/**
 * Per-variable Adam state; the step count is per variable so a replica that owns only some variables counts
 * right. The moments are JavaScript arrays, or (with the wasm kernel) heap offsets mPtr / vPtr.
 */
interface Moments {
  m: Float32Array;
  v: Float32Array;
  mPtr: number;
  vPtr: number;
  size: number;
  step: number;
}

/**
 * Adam as one pass per variable instead of tf.js' dozen element-wise kernels (each allocating a full-size
 * tensor, plus the Identity copies of three assigns): measured as a quarter of a dnn5 step on wasm.
 * Same update as tf.train.adam (moments, then the bias-corrected step with epsilon added to sqrt(v̂));
 * the arithmetic is float64 rounded once to float32 where tf.js rounds every op, so values agree to ~1e-7
 * relative, not bit for bit. On wasm the gradient and the weights are read in place on the heap and the
 * new weights are written into a fresh heap tensor that the variable takes (never over memory another
 * tensor may share). Other backends go through dataSync / tf.tensor: correct, not faster.
 */
export class FusedAdamOptimizer extends tf.Optimizer {
  static readonly className = 'FusedAdam';
  private readonly state = new Map<string, Moments>();
  private readonly eps: number;

  constructor(
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    super();
    this.eps = epsilon ?? tf.backend().epsilon();
  }

  override getClassName(): string {
    return FusedAdamOptimizer.className;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.eps };
  }

  /** Set on the first step: the kernel the moments were allocated for. */
  private heap: HeapKernels | null | undefined;

  private moments(v: tf.Variable): Moments {
    let s = this.state.get(v.name);
    if (!s) {
      if (this.heap === undefined) this.heap = HeapKernels.current();
      const h = this.heap;
      s = h
        ? { m: EMPTY, v: EMPTY, mPtr: h.alloc(v.size), vPtr: h.alloc(v.size), size: v.size, step: 0 }
        : { m: new Float32Array(v.size), v: new Float32Array(v.size), mPtr: 0, vPtr: 0, size: v.size, step: 0 };
      this.state.set(v.name, s);
    }
    return s;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const variable = tf.engine().registeredVariables[name];
      if (!variable) throw new Error(`FusedAdam: no variable named '${name}'`);
      if (grad.dtype !== 'float32' || variable.dtype !== 'float32') throw new Error(`FusedAdam: '${name}' is not float32`);
      this.update(variable, grad, () => [readFloats(grad)], 0, null, 0);
    }
    this.incrementIterations();
  }

  /**
   * One step of `variable` whose gradient is the sum of `sources`' values at [offset, offset + size), summed
   * in source order (the data-parallel replicas' shards). The new weights are also written to `publish` at
   * `publishOffset` when given, so the replicas that do not own the variable can copy them.
   */
  applySummed(variable: tf.Variable, sources: Float32Array[], offset: number, publish: Float32Array | null, publishOffset: number): void {
    this.update(variable, null, () => sources, offset, publish, publishOffset);
  }

  private update(variable: tf.Variable, gradTensor: tf.Tensor | null, gradients: () => Float32Array[], off: number, publish: Float32Array | null, pubOff: number): void {
    const s = this.moments(variable);
    s.step++;
    // tf.js keeps beta^t as a float32 product; the difference is far below float32 resolution of the step.
    const c1 = 1 / (1 - this.beta1 ** s.step);
    const c2 = 1 / (1 - this.beta2 ** s.step);
    if (this.heap) {
      this.updateOnHeap(this.heap, s, variable, gradTensor, gradients, off, publish, pubOff, c1, c2);
      return;
    }
    const { beta1: b1, beta2: b2, eps } = this;
    const lr = this.learningRate;
    const n = variable.size;
    const { m, v } = s;
    const out = newWeights(variable);
    // Heap views only after newWeights' allocation.
    const w = readFloats(variable);
    const sources = gradients();
    const next = out.values;
    const lrC1 = lr * c1;
    const a1 = 1 - b1;
    const a2 = 1 - b2;
    // One source (the single-thread fit) keeps the loop free of the inner sum.
    if (sources.length === 1) adamLoop(w, sources[0], off, m, v, next, b1, a1, b2, a2, lrC1, c2, eps);
    else adamLoop(w, sumSources(sources, off, n), 0, m, v, next, b1, a1, b2, a2, lrC1, c2, eps);
    if (publish) publish.set(out.values, pubOff);
    out.commit();
  }

  /** The same step with step-kernels.wat on the heap: gradient and weights read in place, new weights into a fresh tensor. */
  private updateOnHeap(h: HeapKernels, s: Moments, variable: tf.Variable, gradTensor: tf.Tensor | null, gradients: () => Float32Array[], off: number, publish: Float32Array | null, pubOff: number, c1: number, c2: number): void {
    const { beta1: b1, beta2: b2 } = this;
    const n = variable.size;
    const backend = tf.backend() as BackendWasm;
    const info = backend.makeOutput(variable.shape, 'float32');
    const out = tf.engine().makeTensorFromTensorInfo(info, backend);
    // Summed shards (the replicas' path) are outside the heap: they go through a scratch block.
    const scratch = gradTensor ? 0 : h.alloc(n);
    try {
      if (!gradTensor) h.f32(scratch, n).set(sumSources(gradients(), off, n));
      h.adam(heapOffset(backend, variable), gradTensor ? heapOffset(backend, gradTensor) : scratch, s.mPtr, s.vPtr, heapOffset(backend, out), n, b1, b2, this.learningRate * c1, c2, this.eps);
      if (publish) publish.set(h.f32(heapOffset(backend, out), n), pubOff);
      variable.assign(out);
    } finally {
      out.dispose();
      if (scratch) h.free(scratch);
    }
  }

  override dispose(): void {
    if (this.heap) for (const s of this.state.values()) [s.mPtr, s.vPtr].forEach((p) => this.heap!.free(p));
    this.state.clear();
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [name, s] of this.state) {
      const [m, v] = this.heap ? [this.heap.f32(s.mPtr, s.size).slice(), this.heap.f32(s.vPtr, s.size).slice()] : [s.m, s.v];
      out.push({ name: `${name}/m`, tensor: tf.tensor(m) }, { name: `${name}/v`, tensor: tf.tensor(v) });
    }
    return out;
  }
}

const EMPTY = new Float32Array(0);

/**
 * Adam over one contiguous range [lo, hi) of a flat parameter vector, for data-parallel replicas that each
 * own a slice of every step's update (so the work per replica shrinks with their number even when one
 * variable dominates the model). `params` holds the current values and receives the new ones in place;
 * the gradient is the sum, in source order, of the sources' values over the same range.
 */
export class RangeAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private step = 0;
  /** With the wasm kernel: moments, the slice's weights and gradient sum, and a staging block on the heap. */
  private readonly heap: { k: HeapKernels; m: number; v: number; w: number; g: number; tmp: number } | null;

  constructor(
    readonly lo: number,
    readonly hi: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = tf.backend().epsilon(),
  ) {
    const n = Math.max(0, hi - lo);
    const k = n > 0 ? HeapKernels.current() : null;
    this.heap = k ? { k, m: k.alloc(n), v: k.alloc(n), w: k.alloc(n), g: k.alloc(n), tmp: k.alloc(n) } : null;
    this.m = k ? EMPTY : new Float32Array(n);
    this.v = k ? EMPTY : new Float32Array(n);
  }

  apply(params: Float32Array, sources: Float32Array[]): void {
    const { lo, hi, beta1: b1, beta2: b2 } = this;
    if (hi <= lo) return;
    this.step++;
    const c1 = 1 / (1 - b1 ** this.step);
    const c2 = 1 / (1 - b2 ** this.step);
    if (this.heap) {
      // Copies in and out are memcpy-fast; the sum (in source order, as below) and the update run as SIMD.
      const { k, m, v, w, g, tmp } = this.heap;
      const n = hi - lo;
      k.f32(w, n).set(params.subarray(lo, hi));
      k.f32(g, n).set(sources[0].subarray(lo, hi));
      for (let r = 1; r < sources.length; r++) {
        k.f32(tmp, n).set(sources[r].subarray(lo, hi));
        k.addInto(g, tmp, n);
      }
      k.adam(w, g, m, v, w, n, b1, b2, this.learningRate * c1, c2, this.eps);
      params.set(k.f32(w, n), lo);
      return;
    }
    const w = params.subarray(lo, hi);
    const g = sources.length === 1 ? sources[0] : sumSources(sources, lo, hi - lo);
    adamLoop(w, g, sources.length === 1 ? lo : 0, this.m, this.v, w, b1, 1 - b1, b2, 1 - b2, this.learningRate * c1, c2, this.eps);
  }

  /** Frees the heap blocks (a replica's worker also frees them when it ends). */
  dispose(): void {
    if (this.heap) for (const p of [this.heap.m, this.heap.v, this.heap.w, this.heap.g, this.heap.tmp]) this.heap.k.free(p);
  }
}

/** The hot loop, kept monomorphic (Float32Array everywhere) so V8 compiles it once for every call. `next` may be `w`. */
function adamLoop(
  w: Float32Array, g: Float32Array, off: number, m: Float32Array, v: Float32Array, next: Float32Array,
  b1: number, a1: number, b2: number, a2: number, lrC1: number, c2: number, eps: number,
): void {
  const n = next.length;
  for (let j = 0; j < n; j++) {
    const gj = g[off + j];
    const mj = m[j] * b1 + gj * a1;
    const vj = v[j] * b2 + gj * gj * a2;
    m[j] = mj;
    v[j] = vj;
    next[j] = w[j] - (lrC1 * mj) / (Math.sqrt(vj * c2) + eps);
  }
}

/** Element-wise sum of the sources' [off, off + n), in source order (so every replica would get the same bits). */
function sumSources(sources: Float32Array[], off: number, n: number): Float32Array {
  const sum = sources[0].slice(off, off + n);
  for (let r = 1; r < sources.length; r++) {
    const src = sources[r];
    for (let j = 0; j < n; j++) sum[j] += src[off + j];
  }
  return sum;
}

/** A float32 tensor's values: a view of the wasm heap on wasm (valid until the next allocation), a copy elsewhere. */
function readFloats(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === WASM) return (tf.backend() as BackendWasm).typedArrayFromHeap(t) as Float32Array;
  return t.dataSync() as Float32Array;
}

/**
 * Room for a variable's next values and how to hand them over. On wasm the room is a new heap tensor, so
 * allocate it before taking any other heap view (an allocation may grow, and detach, the heap).
 */
function newWeights(variable: tf.Variable): { values: Float32Array; commit: () => void } {
  if (tf.getBackend() === WASM) {
    const backend = tf.backend() as BackendWasm;
    const info = backend.makeOutput(variable.shape, 'float32');
    const t = tf.engine().makeTensorFromTensorInfo(info, backend);
    return {
      values: backend.typedArrayFromHeap(t) as Float32Array,
      commit: () => {
        variable.assign(t);
        t.dispose();
      },
    };
  }
  const values = new Float32Array(variable.size);
  return {
    values,
    commit: () => {
      const t = tf.tensor(values, variable.shape, 'float32');
      variable.assign(t);
      t.dispose();
    },
  };
}
