import { probaMetrics } from '../../models/lib/metrics';

export type EnsembleMethod = 'mean' | 'weighted' | 'stack';
export const ENSEMBLE_METHODS: readonly EnsembleMethod[] = ['mean', 'weighted', 'stack'];

/**
 * A multinomial logistic regression over the members' concatenated probabilities:
 * p = softmax(coef · [p₁ … p_M] + intercept). coef is K × (M·K) row-major.
 */
export interface Stacker {
  coef: number[];
  intercept: number[];
}

/** How the members' probabilities become the ensemble's: the part of an ensemble that is fitted. */
export interface Combiner {
  method: EnsembleMethod;
  numClasses: number;
  /** One per member, summing to 1 (mean: 1/M each). Stack: each member's share of |coef|, for display only. */
  weights: number[];
  stacker?: Stacker;
}

/** Rows × K probabilities of each member, combined per the combiner; accumulated in float64. */
export function combine(c: Combiner, members: readonly Float32Array[], rows: number): Float32Array {
  const k = c.numClasses;
  const out = new Float32Array(rows * k);
  if (c.method === 'stack') {
    const s = c.stacker;
    if (!s) throw new Error('a stacked ensemble needs its fitted stacker');
    const z = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      stackLogits(s, members, r, k, z);
      softmaxInto(z, out, r * k);
    }
    return out;
  }
  const acc = new Float64Array(rows * k);
  members.forEach((p, m) => {
    const w = c.weights[m];
    for (let i = 0; i < rows * k; i++) acc[i] += w * p[i];
  });
  out.set(acc);
  return out;
}

/** The stacker's logits for row r (intercept + Σ coef · member probabilities) into z. */
export function stackLogits(s: Stacker, members: readonly Float32Array[], r: number, k: number, z: Float64Array): void {
  const d = members.length * k;
  for (let c = 0; c < k; c++) {
    let v = s.intercept[c];
    for (let m = 0; m < members.length; m++) for (let j = 0; j < k; j++) v += s.coef[c * d + m * k + j] * members[m][r * k + j];
    z[c] = v;
  }
}

function softmaxInto(z: ArrayLike<number>, out: Float32Array | Float64Array, at: number): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c]);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += Math.exp(z[c] - max);
  for (let c = 0; c < z.length; c++) out[at + c] = Math.exp(z[c] - max) / sum;
}

/** Each member's validation cross-entropy and accuracy (the figures the weights and the UI show). */
export function memberValidation(members: readonly Float32Array[], y: Int32Array, k: number): { loss: number; acc: number }[] {
  return members.map((p) => probaMetrics(p, y, k));
}

/**
 * Validation-weighted mean: weights ∝ 1 / validation cross-entropy, so a member with half the log-loss counts
 * twice. Log-loss rather than accuracy because validation accuracies of good members are all within a point
 * of each other (weights would be the plain mean), while log-loss also rewards being confidently right.
 */
export function validationWeights(losses: readonly number[]): number[] {
  const inv = losses.map((l) => 1 / Math.max(l, 1e-6));
  const total = inv.reduce((a, b) => a + b, 0);
  return inv.map((v) => v / total);
}

export interface StackerFit extends Stacker {
  iterations: number;
  /** Norm of the objective's gradient where fitting stopped (0 at the optimum). */
  gradNorm: number;
}

/**
 * Fits the stacker on validation predictions: mean cross-entropy + ½λ‖coef‖² with λ = 1 / rows, i.e.
 * scikit-learn's LogisticRegression(C=1) objective divided by the row count (intercept not penalised).
 * Written here rather than taken from ml-logistic-regression (already a dependency; models/logreg.ts says
 * why it is not used: no intercept, one-vs-rest, a fixed step count with no convergence check): this is ~40
 * lines of deterministic accelerated gradient descent on a tiny convex problem (M·K + 1 inputs per class).
 */
export function fitStacker(members: readonly Float32Array[], y: Int32Array, k: number, opts: { maxIterations?: number; tolerance?: number } = {}): StackerFit {
  const rows = y.length;
  if (rows === 0) throw new Error('the stacker needs validation rows');
  const m = members.length;
  const d = m * k;
  const n = k * (d + 1); // coef then intercept
  const lambda = 1 / rows;
  // Features row-major, float64, so the loop below reads one contiguous row.
  const x = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) x[r * d + i * k + j] = members[i][r * k + j];

  const z = new Float64Array(k);
  const p = new Float64Array(k);
  const objective = (theta: Float64Array, grad: Float64Array | null): number => {
    if (grad) grad.fill(0);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < k; c++) {
        let v = theta[k * d + c];
        for (let f = 0; f < d; f++) v += theta[c * d + f] * x[r * d + f];
        z[c] = v;
      }
      softmaxInto(z, p, 0);
      loss -= Math.log(Math.max(p[y[r]], 1e-300));
      if (!grad) continue;
      for (let c = 0; c < k; c++) {
        const e = p[c] - (y[r] === c ? 1 : 0);
        for (let f = 0; f < d; f++) grad[c * d + f] += e * x[r * d + f];
        grad[k * d + c] += e;
      }
    }
    let penalty = 0;
    for (let i = 0; i < k * d; i++) penalty += theta[i] * theta[i];
    if (grad) {
      for (let i = 0; i < n; i++) grad[i] /= rows;
      for (let i = 0; i < k * d; i++) grad[i] += lambda * theta[i];
    }
    return loss / rows + 0.5 * lambda * penalty;
  };

  // Softmax cross-entropy's gradient is Lipschitz with L ≤ ½ max‖[x, 1]‖² (+ λ); features are probabilities.
  let maxSq = 0;
  for (let r = 0; r < rows; r++) {
    let s = 1;
    for (let f = 0; f < d; f++) s += x[r * d + f] ** 2;
    maxSq = Math.max(maxSq, s);
  }
  const step = 1 / (0.5 * maxSq + lambda);
  const maxIterations = opts.maxIterations ?? 3000;
  const tolerance = opts.tolerance ?? 1e-7;
  let theta = new Float64Array(n);
  let prev = new Float64Array(n);
  const look = new Float64Array(n);
  const grad = new Float64Array(n);
  let t = 1;
  let last = objective(theta, null);
  let it = 0;
  for (; it < maxIterations; it++) {
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const mom = (t - 1) / tNext;
    for (let i = 0; i < n; i++) look[i] = theta[i] + mom * (theta[i] - prev[i]);
    objective(look, grad);
    if (Math.hypot(...grad) < tolerance) {
      theta = Float64Array.from(look);
      break;
    }
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = look[i] - step * grad[i];
    const value = objective(next, null);
    if (value > last) {
      // Momentum overshot: restart from the last iterate (O'Donoghue & Candès' adaptive restart).
      t = 1;
      prev = theta;
      continue;
    }
    last = value;
    prev = theta;
    theta = next;
    t = tNext;
  }
  objective(theta, grad);
  return { coef: Array.from(theta.subarray(0, k * d)), intercept: Array.from(theta.subarray(k * d)), iterations: it, gradNorm: Math.hypot(...grad) };
}

/** Each member's part in the ensemble's score for class c on one row (the Inspect view's shares). */
export function memberShares(c: Combiner, members: readonly number[][], cls: number): number[] {
  const k = c.numClasses;
  if (c.method !== 'stack') return members.map((p, m) => c.weights[m] * p[cls]);
  // Stack: each member's term in the predicted class's logit, relative to the other classes' mean logit
  // (softmax only sees logit differences, so this is what moves the probability).
  const s = c.stacker!;
  const d = members.length * k;
  return members.map((p, m) => {
    let own = 0;
    let others = 0;
    for (let cc = 0; cc < k; cc++) {
      let term = 0;
      for (let j = 0; j < k; j++) term += s.coef[cc * d + m * k + j] * p[j];
      if (cc === cls) own = term;
      else others += term / (k - 1);
    }
    return own - others;
  });
}
