import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RangeAdam } from '../../compute/kernels/adam';
import { getModel } from '../../../models/registry';
import { SeededDropout } from '../../../models/lib/layers';
import { trainingForward } from '../forward';
import { makeOptimizer } from '../optimizer';
import { predictProba } from '../predict';
import { barrier } from './barrier';
import { shardStart, type ReplicaInit } from './protocol';

/** Spreads the replicas' dropout seeds far apart so their shards get independent masks. */
const DROPOUT_SEED_STRIDE = 1_000_003;

/** Copies a float32 tensor's values into dst at off; on wasm straight from its heap (one copy, not two). */
function copyOut(t: tf.Tensor | undefined, dst: Float32Array, off: number, size: number): void {
  // No gradient is a zero gradient (a one-step recurrent layer gives none for its recurrent kernel).
  if (!t) dst.fill(0, off, off + size);
  else if (tf.getBackend() === 'wasm') dst.set((tf.backend() as BackendWasm).typedArrayFromHeap(t) as Float32Array, off);
  else dst.set(t.dataSync() as Float32Array, off);
}

/** Largest variable first to the least-loaded replica: every replica computes the same assignment. */
export function assignOwners(sizes: number[], replicas: number): number[] {
  const load = new Array<number>(replicas).fill(0);
  const owner = new Array<number>(sizes.length).fill(0);
  const bySize = sizes.map((n, i) => [n, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [n, i] of bySize) {
    let r = 0;
    for (let k = 1; k < replicas; k++) if (load[k] < load[r]) r = k;
    owner[i] = r;
    load[r] += n;
  }
  return owner;
}

/**
 * One data-parallel replica (runs inside a worker thread). Every step it takes its shard of the batch,
 * computes gradients of (its shard's mean loss × its share of the batch), so the sum over replicas is the
 * full batch's mean-loss gradient. The gradients meet in shared memory. With Adam each replica owns an
 * equal slice of the flat parameter vector: it sums the shards over its slice (in replica order), steps
 * Adam there and writes the new values in place, then every replica copies all values back bit for bit —
 * so the per-replica work shrinks with the replica count even when one variable dominates. With other
 * optimizers each variable has one owner replica (tf.js' optimizer on whole variables). Either way the
 * summing and the optimizer work are split across replicas, and the replicas stay identical.
 */
export class Replica {
  private readonly model: tf.LayersModel;
  private readonly optimizer: tf.Optimizer;
  private readonly vars: tf.Variable[];
  private readonly offsets: number[];
  private readonly gradSize: number;
  /** Forward pass and the run's training loss (cross-entropy or focal): spec.params carries the run's full parameters. */
  private readonly forward: ReturnType<typeof trainingForward>;
  /** Which replica runs the optimizer for each variable (the optimizer work is split, not repeated). */
  private readonly owner: number[];
  /** Each replica's block of the shared gradients, in replica order. */
  private readonly shards: Float32Array[];
  /** Adam: this replica's slice of the flat parameter vector, whatever variables it spans. Null: per-variable owners. */
  private readonly rangeAdam: RangeAdam | null;

  constructor(private readonly s: ReplicaInit) {
    const def = getModel(s.modelId);
    if (def.engine !== 'tfjs') throw new Error(`parallel training needs a tf.js model, '${s.modelId}' is not one`);
    this.model = def.build(s.spec);
    this.forward = trainingForward(this.model, s.spec.params ?? {});
    for (const layer of this.model.layers) {
      if (layer instanceof SeededDropout && layer.seed !== null && s.replica > 0) {
        (layer as { seed: number }).seed = layer.seed + s.replica * DROPOUT_SEED_STRIDE;
      }
    }
    this.setWeightsFrom(s.weights);
    this.optimizer = makeOptimizer(s.optimizer, s.learningRate);
    this.vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.offsets = [];
    let off = 0;
    for (const v of this.vars) {
      this.offsets.push(off);
      off += v.size;
    }
    this.gradSize = off;
    this.owner = assignOwners(this.vars.map((v) => v.size), s.replicas);
    this.shards = Array.from({ length: s.replicas }, (_, r) => s.grads.subarray(r * off, (r + 1) * off));
    this.rangeAdam = s.optimizer === 'adam' && s.replicas > 1
      ? new RangeAdam(shardStart(0, off, s.replicas, s.replica), shardStart(0, off, s.replicas, s.replica + 1), s.learningRate)
      : null;
    if (this.rangeAdam) this.publishRange(this.rangeAdam.lo, this.rangeAdam.hi);
    if (s.gradSum.length !== off) throw new Error(`replica ${s.replica}: gradient buffer holds ${s.gradSum.length} values, model has ${off}`);
  }

  private setWeightsFrom(flat: Float32Array): void {
    let off = 0;
    const ws = this.model.getWeights().map((w) => {
      const t = tf.tensor(flat.slice(off, off + w.size), w.shape, w.dtype);
      off += w.size;
      return t;
    });
    this.model.setWeights(ws);
    tf.dispose(ws);
  }

  /** Runs one step on rows [from, to) of the current order; returns this shard's share of the loss. */
  step(from: number, to: number): { loss: number; correct: number } {
    const { replica, replicas } = this.s;
    const lo = shardStart(from, to, replicas, replica);
    const hi = shardStart(from, to, replicas, replica + 1);
    const m = hi - lo;
    const share = replicas > 1 ? m / (to - from) : 1;
    let loss = 0;
    let correct = 0;
    if (m > 0) {
      const r = this.computeGradients(lo, hi, share);
      loss = r.loss;
      correct = r.correct;
      if (replicas === 1) {
        this.optimizer.applyGradients(r.grads);
        tf.dispose(Object.values(r.grads));
        return { loss, correct };
      }
      const mine = this.s.grads.subarray(replica * this.gradSize, (replica + 1) * this.gradSize);
      this.vars.forEach((v, i) => copyOut(r.grads[v.name], mine, this.offsets[i], v.size));
      tf.dispose(Object.values(r.grads));
    } else {
      this.s.grads.fill(0, replica * this.gradSize, (replica + 1) * this.gradSize);
    }
    barrier(this.s.ctrl, replicas);
    this.applyOwned();
    barrier(this.s.ctrl, replicas);
    this.adoptOthers();
    return { loss, correct };
  }

  private computeGradients(lo: number, hi: number, share: number): { loss: number; correct: number; grads: tf.NamedTensorMap } {
    const { cols, order, trainX, trainY, classWeights } = this.s;
    const m = hi - lo;
    const x = this.gather(trainX, cols, order, lo, hi);
    const y = new Int32Array(m);
    const w = classWeights ? new Float32Array(m) : null;
    for (let i = lo; i < hi; i++) {
      y[i - lo] = trainY[order[i]];
      if (w && classWeights) w[i - lo] = classWeights[trainY[order[i]]];
    }
    const xs = tf.tensor2d(x, [m, cols], x instanceof Int32Array ? 'int32' : 'float32');
    const ys = tf.tensor1d(y, 'int32');
    const ws = w ? tf.tensor1d(w, 'float32') : null;
    let correctT: tf.Scalar | null = null;
    try {
      const { value, grads } = tf.variableGrads(() => {
        const step = this.forward(xs, ys, ws);
        correctT = step.correct;
        const l = step.loss;
        return share === 1 ? l : tf.mul(l, share);
      }, this.vars);
      const loss = value.dataSync()[0];
      value.dispose();
      const correct = (correctT as unknown as tf.Scalar).dataSync()[0];
      return { loss, correct, grads };
    } finally {
      tf.dispose([xs, ys, ...(ws ? [ws] : []), ...(correctT ? [correctT] : [])]);
    }
  }

  private gather(src: Float32Array | Int32Array, cols: number, order: Int32Array, from: number, to: number): Float32Array | Int32Array {
    const n = (to - from) * cols;
    const dst = src instanceof Int32Array ? new Int32Array(n) : new Float32Array(n);
    for (let i = from; i < to; i++) dst.set(src.subarray(order[i] * cols, order[i] * cols + cols), (i - from) * cols);
    return dst;
  }

  /**
   * For the variables this replica owns: sums every replica's gradient (in replica order), applies it with
   * this replica's optimizer and publishes the new values in gradSum (the summed gradient is no longer needed).
   */
  private applyOwned(): void {
    const { replica, replicas, grads, gradSum } = this.s;
    if (this.rangeAdam) {
      // gradSum holds the current flat weights; the sum of the shards and the Adam step update this replica's slice in place.
      this.rangeAdam.apply(gradSum, this.shards);
      return;
    }
    const n = this.gradSize;
    const named: tf.NamedTensorMap = {};
    const wasm = tf.getBackend() === 'wasm';
    const owned: number[] = [];
    this.vars.forEach((v, i) => {
      if (this.owner[i] !== replica) return;
      owned.push(i);
      const lo = this.offsets[i];
      const hi = lo + v.size;
      gradSum.set(grads.subarray(lo, hi), lo);
      for (let r = 1; r < replicas; r++) {
        const base = r * n;
        for (let j = lo; j < hi; j++) gradSum[j] += grads[base + j];
      }
      const view = gradSum.subarray(lo, hi);
      // wasm copies into its heap on upload; other backends may keep the array, which is rewritten below.
      named[v.name] = tf.tensor(wasm ? view : view.slice(), v.shape, 'float32');
    });
    if (owned.length === 0) return;
    this.optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
    for (const i of owned) copyOut(this.vars[i], gradSum, this.offsets[i], this.vars[i].size);
  }

  /** Writes this replica's current values of flat range [lo, hi) into gradSum (the range may span variables). */
  private publishRange(lo: number, hi: number): void {
    this.vars.forEach((v, i) => {
      const a = Math.max(lo, this.offsets[i]);
      const b = Math.min(hi, this.offsets[i] + v.size);
      if (a >= b) return;
      const values = v.dataSync() as Float32Array;
      this.s.gradSum.set(values.subarray(a - this.offsets[i], b - this.offsets[i]), a);
    });
  }

  /** Copies the variables other replicas own (with Adam's slices: every variable) from gradSum, bit for bit. */
  private adoptOthers(): void {
    const { replica, gradSum } = this.s;
    const wasm = tf.getBackend() === 'wasm';
    this.vars.forEach((v, i) => {
      if (!this.rangeAdam && this.owner[i] === replica) return;
      const view = gradSum.subarray(this.offsets[i], this.offsets[i] + v.size);
      const t = tf.tensor(wasm ? view : view.slice(), v.shape, 'float32');
      v.assign(t);
      t.dispose();
    });
  }

  /** Fills valProbs for val rows [from, to) of this replica's share. */
  async predict(from: number, to: number, batchSize: number): Promise<void> {
    const { valX, valProbs, cols, replica, replicas } = this.s;
    if (!valX || !valProbs) throw new Error('predict: no validation set was shared');
    const lo = shardStart(from, to, replicas, replica);
    const hi = shardStart(from, to, replicas, replica + 1);
    if (hi <= lo) return;
    const probs = await predictProba(this.model, valX.subarray(lo * cols, hi * cols), hi - lo, { batchSize });
    const k = probs.length / (hi - lo);
    valProbs.set(probs, lo * k);
  }

  /** Writes every weight (getWeights order) into the shared weights buffer. */
  pull(): void {
    let off = 0;
    for (const w of this.model.getWeights()) {
      this.s.weights.set(w.dataSync() as Float32Array, off);
      off += w.size;
    }
  }

  dispose(): void {
    this.rangeAdam?.dispose();
    this.optimizer.dispose();
    this.model.dispose();
  }
}
