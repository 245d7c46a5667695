import { EvalError } from './errors';

export interface EvalInputs {
  /** True class index per row, 0..K-1. */
  yTrue: Int32Array;
  /** rows × K scores, row-major. Binary models give K = 2 with [1 - p, p]. */
  proba: Float32Array;
  classes: readonly string[];
  /** Index of the benign / 'normal' class; null when the label set has no such notion. */
  normalIndex: number | null;
}

/** Checks shapes, label range and score finiteness up front so every later step can trust its input. */
export function validateInputs(inp: EvalInputs): { rows: number; k: number } {
  const k = inp.classes.length;
  if (k < 2) throw new EvalError('classes', undefined, `need at least 2 classes, got ${k}`);
  const rows = inp.yTrue.length;
  if (rows === 0) throw new EvalError('yTrue', undefined, 'empty test set');
  if (inp.proba.length !== rows * k) {
    throw new EvalError('proba', undefined, `length ${inp.proba.length} is not rows × classes = ${rows} × ${k}`);
  }
  if (inp.normalIndex !== null && !(Number.isInteger(inp.normalIndex) && inp.normalIndex >= 0 && inp.normalIndex < k)) {
    throw new EvalError('normalIndex', undefined, `${inp.normalIndex} is not a class index in 0..${k - 1}`);
  }
  checkLabels('yTrue', inp.yTrue, k);
  const p = inp.proba;
  for (let i = 0; i < p.length; i++) {
    if (!Number.isFinite(p[i])) throw new EvalError('proba', Math.floor(i / k), `score for class ${i % k} is ${p[i]}`);
  }
  return { rows, k };
}

export function checkLabels(argument: string, y: Int32Array, k: number): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v < 0 || v >= k) throw new EvalError(argument, i, `class index ${v} outside 0..${k - 1}`);
  }
}
