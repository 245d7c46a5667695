import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../models/types';

const EPS = 1e-7;

/** A float32 tensor's values as a plain array (a copy; the tensor stays as it is). */
const values = (t: tf.Tensor) => t.dataSync() as Float32Array | Int32Array;

/**
 * Mean (optionally per-sample weighted) cross-entropy of model outputs: one sigmoid column for binary
 * models, numClasses softmax columns otherwise. Weighted like Keras' class_weight: mean(w_i · l_i).
 * One op with its own gradient over the [rows, classes] probabilities, in plain loops: the same formula as
 * clip → log → one-hot product → sum → mean in tf.js ops (probabilities clipped to [1e-7, 1 − 1e-7], the
 * clip's gradient passing at its ends), which cost ~30 small kernels per training step.
 */
export function crossEntropy(pred: tf.Tensor, y: tf.Tensor1D, sampleWeights: tf.Tensor1D | null): tf.Scalar {
  const [rows, cols] = pred.shape as [number, number];
  const labels = values(y);
  const weights = sampleWeights ? values(sampleWeights) : null;
  const lossOf = tf.customGrad((p) => {
    const pv = values(p as tf.Tensor);
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const w = weights ? weights[r] : 1;
      if (cols === 1) {
        const t = labels[r];
        const p1 = clip(pv[r]);
        sum += -(t * Math.log(p1) + (1 - t) * Math.log(1 - p1)) * w;
      } else {
        sum += -Math.log(clip(pv[r * cols + labels[r]])) * w;
      }
    }
    return {
      value: tf.scalar(sum / rows),
      gradFunc: (dy) => {
        const scale = (values(dy as tf.Tensor)[0] as number) / rows;
        const dp = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          const w = (weights ? weights[r] : 1) * scale;
          if (cols === 1) {
            const x = pv[r];
            if (!inClip(x)) continue;
            const t = labels[r];
            dp[r] = -w * (t / x - (1 - t) / (1 - x));
          } else {
            const j = r * cols + labels[r];
            if (inClip(pv[j])) dp[j] = -w / pv[j];
          }
        }
        return tf.tensor(dp, [rows, cols], 'float32');
      },
    };
  });
  return lossOf(pred) as tf.Scalar;
}

/**
 * The same mean (optionally weighted) cross-entropy, from the output layer's logits: one sigmoid column
 * (log(1 + e^z) − t·z, computed without overflow) or softmax columns (logsumexp(z) − z_y). The gradient with
 * respect to the logits is w·(p − y) / rows, which no saturation can zero (see forward.ts). Unclipped, so a
 * confidently wrong row costs what it costs, not at most −ln 1e-7.
 */
export function crossEntropyFromLogits(logits: tf.Tensor, y: tf.Tensor1D, sampleWeights: tf.Tensor1D | null): tf.Scalar {
  const [rows, cols] = logits.shape as [number, number];
  const labels = values(y);
  const weights = sampleWeights ? values(sampleWeights) : null;
  const lossOf = tf.customGrad((z) => {
    const zv = values(z as tf.Tensor);
    // p − y per row, kept for the gradient.
    const residual = new Float64Array(rows * cols);
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const w = weights ? weights[r] : 1;
      if (cols === 1) {
        const x = zv[r];
        const t = labels[r];
        sum += (Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)))) * w;
        residual[r] = (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))) - t;
      } else {
        const o = r * cols;
        let max = -Infinity;
        for (let c = 0; c < cols; c++) max = Math.max(max, zv[o + c]);
        let total = 0;
        for (let c = 0; c < cols; c++) total += Math.exp(zv[o + c] - max);
        sum += (max + Math.log(total) - zv[o + labels[r]]) * w;
        for (let c = 0; c < cols; c++) residual[o + c] = Math.exp(zv[o + c] - max) / total - (c === labels[r] ? 1 : 0);
      }
    }
    return {
      value: tf.scalar(sum / rows),
      gradFunc: (dy) => {
        const scale = (values(dy as tf.Tensor)[0] as number) / rows;
        const dz = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          const w = (weights ? weights[r] : 1) * scale;
          for (let c = 0; c < cols; c++) dz[r * cols + c] = w * residual[r * cols + c];
        }
        return tf.tensor(dz, [rows, cols], 'float32');
      },
    };
  });
  return lossOf(logits) as tf.Scalar;
}

const clip = (x: number) => (x < EPS ? EPS : x > 1 - EPS ? 1 - EPS : x);
/** Where tf.clipByValue's gradient passes (its ends included). */
const inClip = (x: number) => x >= EPS && x <= 1 - EPS;

/**
 * Focal loss (Lin et al. 2017): mean of w_i · −(1 − p_t)^γ · log p_t, p_t the probability of the true
 * class. Down-weights rows the model already gets right, so rare or hard classes weigh more; γ = 0 is
 * cross-entropy. Class weights (classWeight) play the paper's α_t.
 */
export function focalLoss(pred: tf.Tensor, y: tf.Tensor1D, sampleWeights: tf.Tensor1D | null, gamma: number): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(pred, EPS, 1 - EPS);
    let pt: tf.Tensor1D;
    if (pred.shape[1] === 1) {
      const t = tf.cast(y, 'float32');
      const p1 = tf.reshape(p, [-1]);
      pt = tf.add(tf.mul(t, p1), tf.mul(tf.sub(1, t), tf.sub(1, p1)));
    } else {
      pt = tf.sum(tf.mul(tf.oneHot(y, pred.shape[1] as number), p), 1);
    }
    const modulating = gamma === 0 ? tf.onesLike(pt) : tf.pow(tf.sub(1, pt), gamma);
    const perSample = tf.neg(tf.mul(modulating, tf.log(pt)));
    return tf.mean(sampleWeights ? tf.mul(perSample, sampleWeights) : perSample) as tf.Scalar;
  });
}

export type LossFn = (pred: tf.Tensor, y: tf.Tensor1D, sampleWeights: tf.Tensor1D | null) => tf.Scalar;

/** The `loss` training option: 'crossentropy' (default) or 'focal' with `focalGamma` (default 2, as the paper). */
export function lossSettings(p: Partial<Hyperparams>): { kind: 'crossentropy' } | { kind: 'focal'; gamma: number } {
  const kind = p.loss ?? 'crossentropy';
  if (kind === 'crossentropy') return { kind };
  if (kind !== 'focal') throw new Error(`parameter 'loss' must be 'crossentropy' or 'focal', got ${JSON.stringify(kind)}`);
  const gamma = p.focalGamma ?? 2;
  if (typeof gamma !== 'number' || !(gamma >= 0 && gamma <= 10)) throw new Error(`parameter 'focalGamma' must be a number in [0, 10], got ${JSON.stringify(gamma)}`);
  return { kind, gamma };
}

/** The training loss a run's parameters ask for (validation always reports cross-entropy, comparable across runs). */
export function trainingLoss(p: Partial<Hyperparams>): LossFn {
  const s = lossSettings(p);
  return s.kind === 'focal' ? (pred, y, w) => focalLoss(pred, y, w, s.gamma) : crossEntropy;
}

/**
 * Number of rows whose arg-max class (the first, on ties, as tf.argMax) equals the label; for one sigmoid
 * column, p > 0.5 is class 1 (`binaryCut` 0 when `pred` holds logits). Read in one loop rather than five kernels.
 */
export function countCorrect(pred: tf.Tensor, y: tf.Tensor1D, binaryCut = 0.5): tf.Scalar {
  const [rows, cols] = pred.shape as [number, number];
  const p = values(pred);
  const labels = values(y);
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let cls = 0;
    if (cols === 1) cls = p[r] > binaryCut ? 1 : 0;
    else for (let c = 1; c < cols; c++) if (p[r * cols + c] > p[r * cols + cls]) cls = c;
    if (cls === labels[r]) correct++;
  }
  return tf.scalar(correct);
}
