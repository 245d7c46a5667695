import * as tf from '@tensorflow/tfjs';

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

/** Number of rows whose arg-max class equals the label. */
export function countCorrect(pred: tf.Tensor, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const cls = pred.shape[1] === 1 ? tf.cast(tf.greater(tf.reshape(pred, [-1]), 0.5), 'int32') : tf.argMax(pred, 1);
    return tf.sum(tf.cast(tf.equal(cls, tf.cast(y, 'int32')), 'float32')) as tf.Scalar;
  });
}
