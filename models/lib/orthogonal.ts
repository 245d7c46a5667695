import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from './random';

interface InitializerLike {
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
  getConfig(): tf.serialization.ConfigDict;
}
type OrthogonalCtor = new (args: { gain?: number; seed?: number }) => InitializerLike;

// tf.js does not export its Initializer base class, but layers only accept instances of it.
const OrthogonalBase = tf.initializers.orthogonal({}).constructor as OrthogonalCtor;

/**
 * Same distribution as tf.initializers.orthogonal (QR of a Gaussian matrix, sign-fixed), computed with
 * Gram–Schmidt in plain JS: tf.js' own version runs linalg.qr op by op and takes ~4 s for one LSTM(80)
 * recurrent kernel on the cpu backend — and it runs again on every tf.loadLayersModel.
 */
export class SeededOrthogonal extends OrthogonalBase {
  static className = 'SeededOrthogonal';
  private readonly g: number;
  private readonly s: number | undefined;

  constructor(args: { gain?: number; seed?: number } = {}) {
    super(args);
    this.g = args.gain ?? 1;
    this.s = args.seed ?? undefined;
  }

  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (shape.length < 2) throw new Error(`SeededOrthogonal: shape must be at least 2-D, got [${shape.join(', ')}]`);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const rand = this.s === undefined ? Math.random : mulberry32(this.s);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    // Column-major m×n, orthonormalised column by column (modified Gram–Schmidt ⇒ positive diag(R)).
    const q = new Float64Array(m * n);
    for (let i = 0; i < q.length; i++) q[i] = gauss();
    for (let j = 0; j < n; j++) {
      const cj = q.subarray(j * m, j * m + m);
      for (let k = 0; k < j; k++) {
        const ck = q.subarray(k * m, k * m + m);
        let dot = 0;
        for (let i = 0; i < m; i++) dot += ck[i] * cj[i];
        for (let i = 0; i < m; i++) cj[i] -= dot * ck[i];
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += cj[i] * cj[i];
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < m; i++) cj[i] /= norm;
    }
    // Row-major rows×cols: rows >= cols → Q itself; rows < cols → Qᵀ.
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        out[r * cols + c] = this.g * (rows >= cols ? q[c * m + r] : q[r * m + c]);
      }
    }
    return tf.tensor(out, shape, dtype === 'int32' ? 'int32' : 'float32');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { gain: this.g, seed: this.s ?? null };
  }
}

tf.serialization.registerClass(SeededOrthogonal as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
