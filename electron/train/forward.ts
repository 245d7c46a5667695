import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../models/types';
import { countCorrect, crossEntropyFromLogits, lossSettings, trainingLoss } from './loss';

type Activation = { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
type WithActivation = tf.layers.Layer & { activation?: Activation };

/** tf.js' own identity activation, taken from a throwaway layer (tfjs-layers does not export the class). */
let linear: Activation | undefined;
const linearActivation = () => (linear ??= (tf.layers.dense({ units: 1, activation: 'linear' }) as unknown as { activation: Activation }).activation);

/**
 * One training step's forward pass and loss. Where the model ends in a sigmoid or softmax Dense (every
 * gradient-trained model of the zoo) and the loss is cross-entropy, the loss is taken from the logits, as
 * Keras does for a softmax output and PyTorch's CrossEntropyLoss always does: its gradient is p − y, never
 * zero for a wrong prediction. From clipped probabilities it is zero once a wrong prediction saturates past
 * the clip (p < 1e-7, or a sigmoid rounding to exactly 1 in float32 past logit ~17), and the run never
 * recovers: a URL char-cnn of the results pass sat at the majority class for all its epochs (training loss
 * 1.71 = 10.6 % malicious × −ln 1e-7). The output layer's activation is set to linear for the duration of the
 * apply only; prediction, export and saved models keep it.
 */
export function trainingForward(model: tf.LayersModel, params: Partial<Hyperparams>) {
  const lossFn = trainingLoss(params);
  const out = model.layers[model.layers.length - 1] as WithActivation;
  const kind = out?.activation?.getClassName();
  const fromLogits = lossSettings(params).kind === 'crossentropy' && out?.getClassName() === 'Dense' && (kind === 'sigmoid' || kind === 'softmax');
  return (xs: tf.Tensor, ys: tf.Tensor1D, ws: tf.Tensor1D | null): { loss: tf.Scalar; correct: tf.Scalar } => {
    if (!fromLogits) {
      const pred = model.apply(xs, { training: true }) as tf.Tensor;
      return { loss: lossFn(pred, ys, ws), correct: tf.keep(countCorrect(pred, ys)) };
    }
    const own = out.activation!;
    out.activation = linearActivation();
    let logits: tf.Tensor;
    try {
      logits = model.apply(xs, { training: true }) as tf.Tensor;
    } finally {
      out.activation = own;
    }
    // The arg-max of the logits is the arg-max of the probabilities (a logit > 0 is p > 0.5).
    return { loss: crossEntropyFromLogits(logits, ys, ws), correct: tf.keep(countCorrect(logits, ys, kind === 'sigmoid' ? 0 : 0.5)) };
  };
}
