import * as tf from '@tensorflow/tfjs';

/**
 * The gate arithmetic of one recurrent step from a zero state, as ONE op with its own gradient, computed in
 * plain loops over the pre-activations z = x·W + b. tf.js' generic RNN spends ~200 small kernels (each with
 * its dispatch and allocation) per training step on these few thousand multiplications; here they are one
 * forward and one backward pass. The arithmetic follows the tf.js kernels it replaces (float32 products,
 * hardSigmoid as clip(0.2·x + 0.5) with the clip's inclusive gradient), so values agree with the generic
 * layer to float32 rounding.
 */

export type CellKind = 'lstm' | 'gru' | 'simplernn';

/** An activation's value, and its derivative from (pre-activation, value) as tf.js' gradient computes it. */
export interface Act {
  f(x: number): number;
  d(x: number, y: number): number;
}

const fr = Math.fround;
const F02 = fr(0.2);
const hardSigmoidPre = (x: number) => fr(fr(F02 * x) + 0.5);

// tanh as the rational approximation Eigen's float kernels use (generic_fast_tanh_float), in double: within
// 2.4e-7 of Math.tanh once rounded to float32 (2 ulp at 1), and about twice as fast as Math.tanh, which was
// most of the one-step LSTM's time (two per unit).
const TANH_CLAMP = 7.90531110763549805;
function fastTanh(x0: number): number {
  const x = x0 > TANH_CLAMP ? TANH_CLAMP : x0 < -TANH_CLAMP ? -TANH_CLAMP : x0;
  if (Math.abs(x) < 0.0004) return x;
  const x2 = x * x;
  const p = x * (4.89352455891786e-3 + x2 * (6.37261928875436e-4 + x2 * (1.48572235717979e-5 + x2 * (5.12229709037114e-8 +
    x2 * (-8.60467152213735e-11 + x2 * (2.00018790482477e-13 + x2 * -2.76076847742355e-16))))));
  const q = 4.89352518554385e-3 + x2 * (2.268434632439e-3 + x2 * (1.18534705686654e-4 + x2 * 1.19825839466702e-6));
  return p / q;
}

const ACTS: Record<string, Act> = {
  tanh: { f: fastTanh, d: (_x, y) => 1 - y * y },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), d: (_x, y) => y * (1 - y) },
  // tf.js: clipByValue(add(0.5, mul(0.2, x)), 0, 1); the clip's gradient passes where 0 <= t <= 1, ends included.
  hardSigmoid: {
    f: (x) => Math.min(Math.max(hardSigmoidPre(x), 0), 1),
    d: (x) => {
      const t = hardSigmoidPre(x);
      return t >= 0 && t <= 1 ? F02 : 0;
    },
  },
  linear: { f: (x) => x, d: () => 1 },
  relu: { f: (x) => (x > 0 ? x : 0), d: (x) => (x > 0 ? 1 : 0) },
};

/** An activation's value f(x) and derivative d(x, f(x)), as tf.js' gradients compute it; undefined if not here. */
export function activation(name: string): Act | undefined {
  return Object.prototype.hasOwnProperty.call(ACTS, name) ? ACTS[name] : undefined;
}

/** Whether an activation (tf.js' serialized name) has a one-step implementation here. */
export function hasOneStepActivation(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ACTS, name);
}

/** Gate blocks in z per cell kind, in tf.js' order: LSTM [i f c o], GRU [z r h], SimpleRNN [h]. */
export const GATES: Record<CellKind, number> = { lstm: 4, gru: 3, simplernn: 1 };

interface Step {
  h: Float32Array;
  /** dL/dz from dL/dh, from what the forward pass kept. */
  backward(dh: Float32Array): Float32Array;
}

/** c = f·c0 + i·g with c0 = 0, so the forget gate has no effect and no gradient; h = o·act(c). */
function lstm(z: Float32Array, rows: number, u: number, act: Act, rec: Act): Step {
  const n = rows * u;
  const h = new Float32Array(n);
  // Per unit: i, i', g, g', o, o', act(c), act'(c).
  const keep = new Float32Array(8 * n);
  for (let r = 0; r < rows; r++) {
    const zr = r * 4 * u;
    for (let k = 0; k < u; k++) {
      const j = r * u + k;
      const zi = z[zr + k];
      const zc = z[zr + 2 * u + k];
      const zo = z[zr + 3 * u + k];
      const i = fr(rec.f(zi));
      const g = fr(act.f(zc));
      const o = fr(rec.f(zo));
      const c = fr(i * g);
      const t = fr(act.f(c));
      h[j] = o * t;
      const q = 8 * j;
      keep[q] = i;
      keep[q + 1] = rec.d(zi, i);
      keep[q + 2] = g;
      keep[q + 3] = act.d(zc, g);
      keep[q + 4] = o;
      keep[q + 5] = rec.d(zo, o);
      keep[q + 6] = t;
      keep[q + 7] = act.d(c, t);
    }
  }
  return {
    h,
    backward(dh) {
      const dz = new Float32Array(rows * 4 * u);
      for (let r = 0; r < rows; r++) {
        const zr = r * 4 * u;
        for (let k = 0; k < u; k++) {
          const j = r * u + k;
          const q = 8 * j;
          const d = dh[j];
          const dc = d * keep[q + 4] * keep[q + 7];
          dz[zr + k] = dc * keep[q + 2] * keep[q + 1];
          dz[zr + 2 * u + k] = dc * keep[q] * keep[q + 3];
          dz[zr + 3 * u + k] = d * keep[q + 6] * keep[q + 5];
        }
      }
      return dz;
    },
  };
}

/**
 * tf.js' GRU (reset gate before the recurrent product): h = z·h0 + (1 − z)·act(x·W_h + (r·h0)·U_h + b_h);
 * with h0 = 0 the reset gate has no effect and no gradient: h = (1 − z)·act(z_h).
 */
function gru(z: Float32Array, rows: number, u: number, act: Act, rec: Act): Step {
  const n = rows * u;
  const h = new Float32Array(n);
  // Per unit: z, z', hh, hh'.
  const keep = new Float32Array(4 * n);
  for (let r = 0; r < rows; r++) {
    const zr = r * 3 * u;
    for (let k = 0; k < u; k++) {
      const j = r * u + k;
      const zz = z[zr + k];
      const zh = z[zr + 2 * u + k];
      const zg = fr(rec.f(zz));
      const hh = fr(act.f(zh));
      h[j] = fr(1 - zg) * hh;
      const q = 4 * j;
      keep[q] = zg;
      keep[q + 1] = rec.d(zz, zg);
      keep[q + 2] = hh;
      keep[q + 3] = act.d(zh, hh);
    }
  }
  return {
    h,
    backward(dh) {
      const dz = new Float32Array(rows * 3 * u);
      for (let r = 0; r < rows; r++) {
        const zr = r * 3 * u;
        for (let k = 0; k < u; k++) {
          const j = r * u + k;
          const q = 4 * j;
          const d = dh[j];
          dz[zr + k] = -d * keep[q + 2] * keep[q + 1];
          dz[zr + 2 * u + k] = d * (1 - keep[q]) * keep[q + 3];
        }
      }
      return dz;
    },
  };
}

/** h = act(x·W + b) (+ h0·U = 0). */
function simple(z: Float32Array, rows: number, u: number, act: Act): Step {
  const n = rows * u;
  const h = new Float32Array(n);
  const dAct = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const y = fr(act.f(z[j]));
    h[j] = y;
    dAct[j] = act.d(z[j], y);
  }
  return {
    h,
    backward(dh) {
      const dz = new Float32Array(n);
      for (let j = 0; j < n; j++) dz[j] = dh[j] * dAct[j];
      return dz;
    },
  };
}

export interface OneStepSpec {
  kind: CellKind;
  units: number;
  /** tf.js serialized names; both must pass hasOneStepActivation. */
  activation: string;
  recurrentActivation: string;
}

/**
 * h [rows, units] of one step from a zero state, given z = x·W + b [rows, gates·units]; differentiable
 * w.r.t. z (the gradient of the blocks that cannot matter from a zero state is zero, as in tf.js).
 */
export function oneStepCell(z: tf.Tensor2D, spec: OneStepSpec): tf.Tensor2D {
  const { kind, units } = spec;
  const act = ACTS[spec.activation];
  const rec = ACTS[spec.recurrentActivation];
  if (!act || !rec) throw new Error(`oneStepCell: activation '${spec.activation}' / '${spec.recurrentActivation}' not implemented`);
  const [rows, width] = z.shape;
  if (width !== GATES[kind] * units) throw new Error(`oneStepCell: z has ${width} columns, ${kind} with ${units} units needs ${GATES[kind] * units}`);
  const op = tf.customGrad((zIn) => {
    const values = (zIn as tf.Tensor).dataSync() as Float32Array;
    const step = kind === 'lstm' ? lstm(values, rows, units, act, rec) : kind === 'gru' ? gru(values, rows, units, act, rec) : simple(values, rows, units, act);
    return {
      value: tf.tensor2d(step.h, [rows, units], 'float32'),
      gradFunc: (dy) => tf.tensor2d(step.backward((dy as tf.Tensor).dataSync() as Float32Array), [rows, width], 'float32'),
    };
  });
  return op(z) as tf.Tensor2D;
}

/** The whole layer (x·W + b, then the cell) as a backend's own kernel, or null where it has none for this case. */
export type OneStepLayerKernel = (x: tf.Tensor, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, spec: OneStepSpec) => tf.Tensor2D | null;
let layerKernel: OneStepLayerKernel = () => null;

/** The engine's wasm kernels register theirs (electron/compute/kernels); the models stay backend-agnostic. */
export function setOneStepLayerKernel(kernel: OneStepLayerKernel): void {
  layerKernel = kernel;
}

/**
 * h [rows, units] of a one-step layer from a zero state: x [rows, 1, features] times the layer's kernel plus
 * its bias, then the gates; the backend's kernel where it registered one, else one fused matmul and the cell op.
 */
export function oneStepLayer(x: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, spec: OneStepSpec): tf.Tensor2D {
  const native = layerKernel(x, kernel, bias, spec);
  if (native) return native;
  return tf.tidy(() => {
    const [rows, , features] = x.shape;
    const z = tf.fused.matMul({ a: tf.reshape(x, [rows, features]) as tf.Tensor2D, b: kernel, bias });
    return oneStepCell(z as tf.Tensor2D, spec);
  });
}

/** A whole LSTM sequence from a zero state to its last output, as a backend's own kernel (null: not this case). */
export type LstmSequenceKernel = (
  x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D | undefined,
  spec: { units: number; activation: string; recurrentActivation: string },
) => tf.Tensor2D | null;
let lstmSequenceKernel: LstmSequenceKernel = () => null;

/** The engine's wasm kernels register theirs (electron/compute/kernels). */
export function setLstmSequenceKernel(kernel: LstmSequenceKernel): void {
  lstmSequenceKernel = kernel;
}

export function lstmSequence(...args: Parameters<LstmSequenceKernel>): tf.Tensor2D | null {
  return lstmSequenceKernel(...args);
}
