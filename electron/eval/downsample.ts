/**
 * Display-size curves. Areas and operating points are always computed on the full curve first; these
 * functions only choose which points to draw.
 */

/** Drops interior points lying on a straight line through their neighbours. Exact when x, y are integer counts. */
export function nonCollinear(x: ArrayLike<number>, y: ArrayLike<number>): Int32Array {
  const m = x.length;
  if (m <= 2) return Int32Array.from({ length: m }, (_, i) => i);
  const keep = new Int32Array(m);
  let n = 0;
  keep[n++] = 0;
  for (let i = 1; i < m - 1; i++) {
    const a = keep[n - 1];
    const cross = (x[i] - x[a]) * (y[i + 1] - y[i]) - (y[i] - y[a]) * (x[i + 1] - x[i]);
    if (cross !== 0) keep[n++] = i;
  }
  keep[n++] = m - 1;
  return keep.slice(0, n);
}

/**
 * Picks at most `maxPoints` of `idx` (indices into x, y) spread evenly along the curve's L1 path length,
 * always keeping both ends. Both ROC and PR curves are drawn as polylines, so an even spread in path
 * length bounds how far the drawn line can stray from the true one, and a long single jump survives
 * because both of its ends do.
 *
 * A point is kept when it is the first to pass the next multiple of `step`. Long jumps pass many marks
 * while keeping one point, so step = length / maxPoints would leave most of the budget unused (a typical
 * ROC curve jumps straight up first); the step is therefore bisected to the smallest one that fits.
 */
export function spreadAlongPath(x: ArrayLike<number>, y: ArrayLike<number>, idx: Int32Array, maxPoints: number): Int32Array {
  const m = idx.length;
  if (m <= maxPoints) return idx;
  const cum = new Float64Array(m);
  for (let j = 1; j < m; j++) {
    const a = idx[j - 1];
    const b = idx[j];
    cum[j] = cum[j - 1] + Math.abs(x[b] - x[a]) + Math.abs(y[b] - y[a]);
  }
  const total = cum[m - 1];
  if (!(total > 0)) return Int32Array.from([idx[0], idx[m - 1]]);
  const out = new Int32Array(m);
  /** Greedy pass; returns how many points it kept (both ends included), writing them to out. */
  const pass = (step: number): number => {
    let n = 0;
    out[n++] = idx[0];
    let nextMark = step;
    for (let j = 1; j < m - 1; j++) {
      if (cum[j] >= nextMark && cum[j] < total) {
        out[n++] = idx[j];
        nextMark = (Math.floor(cum[j] / step) + 1) * step;
      }
    }
    out[n++] = idx[m - 1];
    return n;
  };
  // hi always fits (at most maxPoints − 2 interior marks); shrink lo until it does not.
  let hi = total / (maxPoints - 1);
  let lo = hi / 2;
  while (pass(lo) <= maxPoints && lo > total * 1e-12) {
    hi = lo;
    lo /= 2;
  }
  for (let it = 0; it < 20; it++) {
    const mid = (lo + hi) / 2;
    if (pass(mid) <= maxPoints) hi = mid;
    else lo = mid;
  }
  return out.slice(0, pass(hi));
}
