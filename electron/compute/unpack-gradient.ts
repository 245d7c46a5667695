import * as tf from '@tensorflow/tfjs';

let registered = false;

/**
 * TF.js's Unpack gradient hands its dy straight to `stack`, but the tape passes a single tensor (not an
 * array) when Unpack had exactly one output. The records RNNs feed the feature vector as ONE time step, so
 * their RNN layers unstack a length-1 axis, and every gradient with respect to the input (integrated
 * gradients) failed with "Argument tensors passed to stack must be a `Tensor[]`". Training never asks for
 * that gradient, which is why only explanations broke. Same gradient, with the single tensor wrapped.
 */
export function registerUnpackGradientFix(): void {
  if (registered) return;
  registered = true;
  tf.unregisterGradient(tf.Unpack);
  tf.registerGradient({
    kernelName: tf.Unpack,
    gradFunc: (dy, _saved, attrs) => {
      const { axis } = attrs as unknown as tf.UnpackAttrs;
      const parts = Array.isArray(dy) ? dy : [dy];
      return { value: () => tf.stack(parts, axis) };
    },
  });
}
