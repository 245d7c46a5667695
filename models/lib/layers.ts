import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from './random';

/**
 * Sums a [batch, time, channels] tensor over time (Saxe & Berlin's eXpose "sum pooling").
 * A named class, not a closure, so model.json can name it and tf.loadLayersModel can rebuild it.
 */
export class SumOverTime extends tf.layers.Layer {
  static className = 'SumOverTime';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return sumOverTime(x);
  }
}

/**
 * Sum over axis 1 whose gradient broadcasts dy back over time with one Tile. tf.js' own Sum gradient
 * multiplies dy by a ones tensor of x's shape that it fills in JavaScript and uploads every step: for a
 * char-cnn batch (128 × 75 × 256, four branches) that was 9.8 M values a step, 7 % of its CPU time.
 */
const sumOverTime = tf.customGrad((x) => {
  const t = x as tf.Tensor;
  return {
    value: tf.sum(t, 1),
    gradFunc: (dy) => tf.broadcastTo(tf.expandDims(dy as tf.Tensor, 1), t.shape),
  };
}) as (x: tf.Tensor) => tf.Tensor;

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

interface SeededDropoutArgs extends LayerArgs {
  rate: number;
  seed?: number | null;
}

/**
 * Dropout whose masks come from a seed sequence (seed, seed+1, ...), one per training call.
 * tf.layers.dropout with a fixed seed reuses ONE mask for every batch, and without a seed it draws from
 * Math.random, so neither gives reproducible-yet-random masks.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number | null;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`SeededDropout: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed ?? null;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs?.training || this.rate === 0) return tf.clone(x);
    const seed = this.seed === null ? Math.floor(Math.random() * 0x7fffffff) : this.seed + this.calls++;
    return tf.tidy(() => tf.mul(x, dropoutMaskSource(x.shape, this.rate, seed) ?? tf.tensor(dropoutScale(x.size, this.rate, seed), x.shape, 'float32')));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Makes a dropout mask tensor in place where the backend allows (null: use dropoutScale). */
export type DropoutMaskSource = (shape: number[], rate: number, seed: number) => tf.Tensor | null;
let dropoutMaskSource: DropoutMaskSource = () => null;

/** The engine's wasm kernels register theirs (electron/compute/kernels); the models stay backend-agnostic. */
export function setDropoutMaskSource(source: DropoutMaskSource): void {
  dropoutMaskSource = source;
}

/**
 * Inverted dropout's multiplier per value: 0 (dropped, with probability `rate`) or 1 / (1 − rate), from
 * mulberry32 seeded with `seed`: the fallback where the engine's SIMD kernel does not run (another backend).
 * tf.dropout draws its uniforms through seedrandom's alea plus four kernels (6.5 ms of a 45 ms dnn5 step).
 */
export function dropoutScale(n: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const keep = 1 / (1 - rate);
  const draw = mulberry32(seed);
  for (let i = 0; i < n; i++) out[i] = draw() < rate ? 0 : keep;
  return out;
}

tf.serialization.registerClass(SumOverTime);
tf.serialization.registerClass(SeededDropout);
