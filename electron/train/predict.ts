import * as tf from '@tensorflow/tfjs';

/**
 * Class probabilities, rows × numClasses row-major, computed batch by batch with every tensor disposed.
 * A single-sigmoid (binary) model yields two columns [1 − p, p].
 */
export async function predictProba(
  model: tf.LayersModel,
  x: Float32Array | Int32Array,
  rows: number,
  opts: { batchSize?: number } = {},
): Promise<Float32Array> {
  const outUnits = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const numClasses = outUnits === 1 ? 2 : outUnits;
  if (rows === 0) return new Float32Array(0);
  if (x.length % rows !== 0) throw new Error(`predictProba: ${x.length} values do not split into ${rows} rows`);
  const cols = x.length / rows;
  const dtype = x instanceof Int32Array ? 'int32' : 'float32';
  const batch = Math.max(1, opts.batchSize ?? 1024);
  const out = new Float32Array(rows * numClasses);
  for (let start = 0; start < rows; start += batch) {
    const m = Math.min(batch, rows - start);
    const y = tf.tidy(() => model.predict(tf.tensor2d(x.subarray(start * cols, (start + m) * cols), [m, cols], dtype)) as tf.Tensor);
    try {
      const v = (await y.data()) as Float32Array;
      if (outUnits === 1) {
        for (let r = 0; r < m; r++) {
          out[(start + r) * 2] = 1 - v[r];
          out[(start + r) * 2 + 1] = v[r];
        }
      } else {
        out.set(v, start * numClasses);
      }
    } finally {
      y.dispose();
    }
  }
  return out;
}
