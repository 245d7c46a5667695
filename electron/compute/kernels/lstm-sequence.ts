import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activation, type Act } from '../../../models/lib/one-step-cell';
import { gemmArrays, loadNativeKernels, ortGemm } from './ort-native';
import { disposeIntermediate, getWasmKernel, registerWasmOp, reshapeView, WASM } from './wasm-kernel-utils';

/**
 * An LSTM over a whole sequence from a zero state, returning the last output, as ONE wasm kernel with a
 * registered gradient (backpropagation through time): the input products of every step are one GEMM, each step
 * is one h·U product plus the gate arithmetic in one loop, and the backward pass mirrors it. tf.js' generic
 * recurrence dispatches some 50 small kernels per step and twice that backward: for char-cnn-lstm (the URL
 * preset's model, 18 steps after pooling) about 1,000 kernels of a training step, where PyTorch runs a fused
 * LSTM. Arithmetic as tf.js' LSTMCell (gates [i f c o], c = f·c₋₁ + i·g, h = o·act(c), float32 rounding).
 */
export const LSTM_SEQUENCE = 'DeepTriageLstmSequence';
const LSTM_SEQUENCE_GRAD = 'DeepTriageLstmSequenceGrad';

/** Per (row, step): i f g o, their derivatives, c₋₁, c, act(c), h₋₁ — twelve blocks of `units`. */
const TRACE_BLOCKS = 12;

interface SeqAttrs {
  units: number;
  activation: string;
  recurrentActivation: string;
}
const attrsOf = (a: NamedAttrMap | undefined) => a as unknown as SeqAttrs;
const fr = Math.fround;
const view = (backend: BackendWasm, t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

function acts(a: SeqAttrs): [Act, Act] {
  const act = activation(a.activation);
  const rec = activation(a.recurrentActivation);
  if (!act || !rec) throw new Error(`${LSTM_SEQUENCE}: activation '${a.activation}' / '${a.recurrentActivation}' not implemented`);
  return [act, rec];
}

const forward: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as BackendWasm;
  const a = attrsOf(attrs);
  const [act, rec] = acts(a);
  const x = inputs.x as TensorInfo;
  const [B, T, F] = x.shape;
  const u = a.units;
  const g4 = 4 * u;
  const z = ortGemm(backend, reshapeView(x, [B * T, F]), inputs.kernel as TensorInfo, false, false, inputs.bias as TensorInfo | undefined);
  if (!z) throw new Error(`${LSTM_SEQUENCE}: onnxruntime did not load`);
  const trace = backend.makeOutput([B, T, TRACE_BLOCKS * u], 'float32');
  const hOut = backend.makeOutput([B, u], 'float32');
  // Views only now: an allocation may have grown (and replaced) the heap's buffer.
  const Z = view(backend, z);
  const U = view(backend, inputs.recurrentKernel as TensorInfo);
  const tr = view(backend, trace);
  const h = new Float32Array(B * u);
  const c = new Float32Array(B * u);
  const zh = new Float32Array(B * g4);
  const P = TRACE_BLOCKS * u;
  for (let t = 0; t < T; t++) {
    if (t > 0) gemmArrays(h, [B, u], U, [u, g4], false, false, zh);
    for (let b = 0; b < B; b++) {
      const zr = (b * T + t) * g4;
      const hr = b * g4;
      const q = (b * T + t) * P;
      for (let k = 0; k < u; k++) {
        const j = b * u + k;
        const zi = fr(Z[zr + k] + zh[hr + k]);
        const zf = fr(Z[zr + u + k] + zh[hr + u + k]);
        const zg = fr(Z[zr + 2 * u + k] + zh[hr + 2 * u + k]);
        const zo = fr(Z[zr + 3 * u + k] + zh[hr + 3 * u + k]);
        const i = fr(rec.f(zi));
        const f = fr(rec.f(zf));
        const g = fr(act.f(zg));
        const o = fr(rec.f(zo));
        const cp = c[j];
        const cn = fr(fr(f * cp) + fr(i * g));
        const tc = fr(act.f(cn));
        tr[q + k] = i;
        tr[q + u + k] = f;
        tr[q + 2 * u + k] = g;
        tr[q + 3 * u + k] = o;
        tr[q + 4 * u + k] = rec.d(zi, i);
        tr[q + 5 * u + k] = rec.d(zf, f);
        tr[q + 6 * u + k] = act.d(zg, g);
        tr[q + 7 * u + k] = rec.d(zo, o);
        tr[q + 8 * u + k] = cp;
        tr[q + 9 * u + k] = cn;
        tr[q + 10 * u + k] = tc;
        tr[q + 11 * u + k] = h[j];
        c[j] = cn;
        h[j] = fr(o * tc);
      }
    }
  }
  view(backend, hOut).set(h);
  disposeIntermediate(backend, z);
  return [hOut, trace];
};

/** dZ [B, T, 4u] (the gates' pre-activations' gradient, every step) and dU [u, 4u] from dh_T and the trace. */
const backward: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as BackendWasm;
  const a = attrsOf(attrs);
  const [act] = acts(a);
  const traceInfo = inputs.trace as TensorInfo;
  const [B, T] = traceInfo.shape;
  const u = a.units;
  const g4 = 4 * u;
  const P = TRACE_BLOCKS * u;
  const dZInfo = backend.makeOutput([B, T, g4], 'float32');
  const dUInfo = backend.makeOutput([u, g4], 'float32');
  const tr = view(backend, traceInfo);
  const U = view(backend, inputs.recurrentKernel as TensorInfo);
  const dZ = view(backend, dZInfo);
  let dh = Float32Array.from(view(backend, inputs.dh as TensorInfo));
  let dhPrev = new Float32Array(B * u);
  const dc = new Float32Array(B * u);
  const dzt = new Float32Array(B * g4);
  const hPrev = new Float32Array(B * T * u);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const q = (b * T + t) * P;
      const zr = (b * T + t) * g4;
      for (let k = 0; k < u; k++) {
        const j = b * u + k;
        const d = dh[j];
        const tc = tr[q + 10 * u + k];
        const o = tr[q + 3 * u + k];
        const dcj = dc[j] + d * o * act.d(tr[q + 9 * u + k], tc);
        const dI = dcj * tr[q + 2 * u + k] * tr[q + 4 * u + k];
        const dF = dcj * tr[q + 8 * u + k] * tr[q + 5 * u + k];
        const dG = dcj * tr[q + k] * tr[q + 6 * u + k];
        const dO = d * tc * tr[q + 7 * u + k];
        dc[j] = dcj * tr[q + u + k];
        const w = b * g4 + k;
        dzt[w] = dI;
        dzt[w + u] = dF;
        dzt[w + 2 * u] = dG;
        dzt[w + 3 * u] = dO;
        dZ[zr + k] = dI;
        dZ[zr + u + k] = dF;
        dZ[zr + 2 * u + k] = dG;
        dZ[zr + 3 * u + k] = dO;
        hPrev[(b * T + t) * u + k] = tr[q + 11 * u + k];
      }
    }
    if (t > 0) {
      gemmArrays(dzt, [B, g4], U, [u, g4], false, true, dhPrev);
      [dh, dhPrev] = [dhPrev, dh];
    }
  }
  gemmArrays(hPrev, [B * T, u], dZ, [B * T, g4], true, false, view(backend, dUInfo));
  return [dZInfo, dUInfo];
};

export function registerLstmSequence(): void {
  registerWasmOp({ name: LSTM_SEQUENCE, forward, gradName: LSTM_SEQUENCE_GRAD, backward, gradient: {
    inputsToSave: ['x', 'kernel', 'recurrentKernel'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, kernel, recurrentKernel, trace] = saved;
      const dh = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [dZ, dU] = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, { dh, trace, recurrentKernel }, attrs as unknown as NamedAttrMap) as tf.Tensor[];
      const [B, T, F] = x.shape;
      const dZ2 = tf.reshape(dZ, [B * T, dZ.shape[2]!]) as tf.Tensor2D;
      return {
        x: () => tf.reshape(tf.matMul(dZ2, kernel as tf.Tensor2D, false, true), x.shape),
        kernel: () => tf.matMul(tf.reshape(x, [B * T, F]) as tf.Tensor2D, dZ2, true, false),
        recurrentKernel: () => dU,
        bias: () => tf.sum(dZ2, 0),
      };
    },
  } });
}

/**
 * h_T [B, units] of an LSTM over x [B, T, F] from a zero state, as the registered kernel; null (tf.js' own
 * recurrence runs) off wasm, without onnxruntime, or for an activation not implemented here.
 */
export function wasmLstmSequence(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, spec: SeqAttrs): tf.Tensor2D | null {
  if (tf.getBackend() !== WASM || !getWasmKernel(LSTM_SEQUENCE) || !loadNativeKernels()) return null;
  if (x.dtype !== 'float32' || !activation(spec.activation) || !activation(spec.recurrentActivation)) return null;
  const [h, trace] = tf.engine().runKernel(LSTM_SEQUENCE, { x, kernel, recurrentKernel, ...(bias ? { bias } : {}) }, spec as unknown as NamedAttrMap) as tf.Tensor[];
  trace.dispose();
  return h as tf.Tensor2D;
}
