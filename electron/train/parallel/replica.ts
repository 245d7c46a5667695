import * as tf from '@tensorflow/tfjs';
import { getModel } from '../../../models/registry';
import { SeededDropout } from '../../../models/lib/layers';
import { countCorrect, crossEntropy } from '../loss';
import { makeOptimizer } from '../optimizer';
import { predictProba } from '../predict';
import { barrier } from './barrier';
import { shardStart, type ReplicaInit } from './protocol';

/** Spreads the replicas' dropout seeds far apart so their shards get independent masks. */
const DROPOUT_SEED_STRIDE = 1_000_003;

/**
 * One data-parallel replica (runs inside a worker thread). Every step it takes its shard of the batch,
 * computes gradients of (its shard's mean loss × its share of the batch), so the sum over replicas is the
 * full batch's mean-loss gradient; replicas add their gradients through shared memory (each sums one
 * slice, in replica order, so every replica reads the same bits) and each applies the sum with its own
 * optimizer. Same start weights + same summed gradients + same optimizer → replicas stay identical.
 */
export class Replica {
  private readonly model: tf.LayersModel;
  private readonly optimizer: tf.Optimizer;
  private readonly vars: tf.Variable[];
  private readonly offsets: number[];
  private readonly gradSize: number;

  constructor(private readonly s: ReplicaInit) {
    const def = getModel(s.modelId);
    if (def.engine !== 'tfjs') throw new Error(`parallel training needs a tf.js model, '${s.modelId}' is not one`);
    this.model = def.build(s.spec);
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
      this.vars.forEach((v, i) => mine.set(r.grads[v.name].dataSync() as Float32Array, this.offsets[i]));
      tf.dispose(Object.values(r.grads));
    } else {
      this.s.grads.fill(0, replica * this.gradSize, (replica + 1) * this.gradSize);
    }
    barrier(this.s.ctrl, replicas);
    this.reduceSlice();
    barrier(this.s.ctrl, replicas);
    const named: tf.NamedTensorMap = {};
    const wasm = tf.getBackend() === 'wasm';
    this.vars.forEach((v, i) => {
      const view = this.s.gradSum.subarray(this.offsets[i], this.offsets[i] + v.size);
      // wasm copies into its heap on upload; other backends may keep the array, which the next step rewrites.
      named[v.name] = tf.tensor(wasm ? view : view.slice(), v.shape, 'float32');
    });
    this.optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
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
        const pred = this.model.apply(xs, { training: true }) as tf.Tensor;
        correctT = tf.keep(countCorrect(pred, ys));
        const l = crossEntropy(pred, ys, ws);
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

  /** Replica r sums slice r of every replica's gradients, always in replica order (same bits for all). */
  private reduceSlice(): void {
    const { replica, replicas, grads, gradSum } = this.s;
    const n = this.gradSize;
    const lo = Math.floor((n * replica) / replicas);
    const hi = Math.floor((n * (replica + 1)) / replicas);
    gradSum.set(grads.subarray(lo, hi), lo);
    for (let r = 1; r < replicas; r++) {
      const base = r * n;
      for (let j = lo; j < hi; j++) gradSum[j] += grads[base + j];
    }
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
    this.optimizer.dispose();
    this.model.dispose();
  }
}
