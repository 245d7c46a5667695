/** Probability rows whose arg-max is `pred` (0.7 on the predicted class, the rest shared). */
export function probaFor(pred: readonly number[], k: number): Float32Array {
  const p = new Float32Array(pred.length * k);
  const rest = 0.3 / (k - 1);
  pred.forEach((c, i) => {
    for (let j = 0; j < k; j++) p[i * k + j] = j === c ? 0.7 : rest;
  });
  return p;
}

/** Binary [1 - s, s] rows for positive-class scores s. */
export function binaryProba(scores: readonly number[]): Float32Array {
  const p = new Float32Array(scores.length * 2);
  scores.forEach((s, i) => {
    p[i * 2] = 1 - s;
    p[i * 2 + 1] = s;
  });
  return p;
}

export function approx(actual: number | null, expected: number, tol = 1e-12, what = ''): void {
  if (actual === null || Math.abs(actual - expected) > tol) {
    throw new Error(`${what} expected ${expected} ± ${tol}, got ${actual}`);
  }
}

export const split = { kind: 'official-test' as const, description: 'unit test' };
