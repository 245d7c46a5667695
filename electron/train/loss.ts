import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../models/types';

const EPS = 1e-7;

/**
 * Mean (optionally per-sample weighted) cross-entropy of model outputs: one sigmoid column for binary
 * models, numClasses softmax columns otherwise. Weighted like Keras' class_weight: mean(w_i · l_i).
 */
export function crossEntropy(pred: tf.Tensor, y: tf.Tensor1D, sampleWeights: tf.Tensor1D | null): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(pred, EPS, 1 - EPS);
    let perSample: tf.Tensor1D;
    if (pred.shape[1] === 1) {
      const t = tf.cast(y, 'float32');
      const p1 = tf.reshape(p, [-1]);
      perSample = tf.neg(tf.add(tf.mul(t, tf.log(p1)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p1)))));
    } else {
      const oneHot = tf.oneHot(y, pred.shape[1] as number);
      perSample = tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), 1));
    }
    return tf.mean(sampleWeights ? tf.mul(perSample, sampleWeights) : perSample) as tf.Scalar;
  });
}

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

/** Number of rows whose arg-max class equals the label. */
export function countCorrect(pred: tf.Tensor, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const cls = pred.shape[1] === 1 ? tf.cast(tf.greater(tf.reshape(pred, [-1]), 0.5), 'int32') : tf.argMax(pred, 1);
    return tf.sum(tf.cast(tf.equal(cls, tf.cast(y, 'int32')), 'float32')) as tf.Scalar;
  });
}
