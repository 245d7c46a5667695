import * as tf from '@tensorflow/tfjs';

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
    return tf.sum(x, 1);
  }
}

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
    const seed = this.seed === null ? undefined : this.seed + this.calls++;
    return tf.dropout(x, this.rate, undefined, seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SumOverTime);
tf.serialization.registerClass(SeededDropout);
