import * as tf from '@tensorflow/tfjs';
import { registerUnpackGradientFix } from '../compute/unpack-gradient';

registerUnpackGradientFix();

/** Probability of one class from a model whose output is either one sigmoid unit or a softmax row. */
function classProbability(net: tf.LayersModel, x: tf.Tensor2D, classIndex: number): tf.Tensor1D {
  const out = net.apply(x, { training: false }) as tf.Tensor2D;
  if (out.shape[1] === 1) {
    const p = out.reshape([-1]) as tf.Tensor1D;
    return classIndex === 1 ? p : (tf.sub(1, p) as tf.Tensor1D);
  }
  return out.slice([0, classIndex], [-1, 1]).reshape([-1]) as tf.Tensor1D;
}

export interface IntegratedGradients {
  attributions: Float32Array;
  /** f(x) and f(baseline) for the explained class: by completeness, Σ attributions ≈ f(x) − f(baseline). */
  fx: number;
  fBaseline: number;
}

/**
 * Integrated gradients (Sundararajan et al. 2017) with the trapezoidal rule over `steps` intervals:
 * attribution_i = (x_i − b_i) · mean over the path of ∂f/∂x_i. All path points go through one batch.
 */
export function integratedGradients(net: tf.LayersModel, x: Float32Array, baseline: Float32Array, classIndex: number, steps = 64): IntegratedGradients {
  const F = x.length;
  return tf.tidy(() => {
    const xt = tf.tensor2d(x, [1, F]);
    const bt = tf.tensor2d(baseline, [1, F]);
    const alphas = tf.linspace(0, 1, steps + 1).reshape([steps + 1, 1]);
    const path = tf.add(bt, tf.mul(alphas, tf.sub(xt, bt))) as tf.Tensor2D;
    const grad = tf.grad((inp: tf.Tensor) => classProbability(net, inp as tf.Tensor2D, classIndex).sum())(path) as tf.Tensor2D;
    // Trapezoid: the two end points count half.
    const w = new Float32Array(steps + 1).fill(1 / steps);
    w[0] = w[steps] = 0.5 / steps;
    const avg = tf.sum(tf.mul(grad, tf.tensor2d(w, [steps + 1, 1])), 0);
    const attr = tf.mul(avg, tf.sub(xt, bt).reshape([F]));
    const ends = classProbability(net, tf.concat([xt, bt], 0), classIndex).dataSync();
    return { attributions: attr.dataSync() as Float32Array, fx: ends[0], fBaseline: ends[1] };
  });
}

/**
 * Occlusion for models without usable gradients (random forest) or with discrete inputs (characters):
 * each group of input slots is replaced by the baseline's values and the drop in the class probability is
 * that group's attribution. One batched prediction of groups + 1 rows.
 */
export async function occlusion(
  predict: (x: Float32Array | Int32Array, rows: number) => Promise<Float32Array>,
  x: Float32Array | Int32Array,
  baseline: Float32Array | Int32Array,
  groups: number[][],
  classIndex: number,
  numClasses: number,
): Promise<{ attributions: Float32Array; fx: number }> {
  const F = x.length;
  const Ctor = x instanceof Int32Array ? Int32Array : Float32Array;
  const batch = new Ctor((groups.length + 1) * F);
  batch.set(x, 0);
  groups.forEach((g, i) => {
    const off = (i + 1) * F;
    batch.set(x, off);
    for (const s of g) batch[off + s] = baseline[s];
  });
  const p = await predict(batch, groups.length + 1);
  const fx = p[classIndex];
  return { attributions: Float32Array.from(groups, (_, i) => fx - p[(i + 1) * numClasses + classIndex]), fx };
}
