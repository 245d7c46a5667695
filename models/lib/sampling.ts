import { mulberry32 } from './random';

/** Fisher–Yates in place with the given generator. */
export function shuffleInPlace(a: Int32Array, rand: () => number): Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * Seeded stratified split of row indices: `picked` takes round(n_c * fraction) rows of every class c,
 * at least one and never all of a class that has two or more rows (so both sides see it); a class with a
 * single row stays in `rest`. Both index lists come back shuffled.
 */
export function stratifiedSplit(y: Int32Array, fraction: number, seed: number): { rest: Int32Array; picked: Int32Array } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`split fraction must be in [0, 1), got ${fraction}`);
  const rand = mulberry32(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  const rest: number[] = [];
  const picked: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = shuffleInPlace(Int32Array.from(byClass.get(c) as number[]), rand);
    const n = idx.length;
    let k = Math.round(n * fraction);
    if (fraction > 0 && n >= 2) k = Math.min(Math.max(k, 1), n - 1);
    if (n < 2) k = 0;
    for (let i = 0; i < n; i++) (i < k ? picked : rest).push(idx[i]);
  }
  return { rest: shuffleInPlace(Int32Array.from(rest), rand), picked: shuffleInPlace(Int32Array.from(picked), rand) };
}

/** Copies the given rows of a row-major matrix (and their labels). */
export function takeRows<T extends Float32Array | Int32Array>(x: T, cols: number, rows: Int32Array): T {
  const out = new (x.constructor as { new (n: number): T })(rows.length * cols);
  for (let r = 0; r < rows.length; r++) out.set(x.subarray(rows[r] * cols, rows[r] * cols + cols), r * cols);
  return out;
}

export function takeLabels(y: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = y[rows[r]];
  return out;
}
