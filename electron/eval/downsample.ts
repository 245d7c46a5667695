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
 * Picks at most `maxPoints` of `idx` (indices into x, y) spaced evenly along the curve's L1 path length,
 * always keeping both ends. Both ROC and PR curves are drawn as polylines, so an even spread in path length
 * bounds how far the drawn line can stray from the true one (about total length / maxPoints), and long
 * single jumps survive because both of their ends do.
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
  const slots = Math.max(1, maxPoints - 1);
  const step = total / slots;
  const out = new Int32Array(maxPoints);
  let n = 0;
  out[n++] = idx[0];
  let nextMark = step;
  for (let j = 1; j < m - 1 && n < maxPoints - 1; j++) {
    if (cum[j] >= nextMark && cum[j] < total) {
      out[n++] = idx[j];
      nextMark = (Math.floor(cum[j] / step) + 1) * step;
    }
  }
  out[n++] = idx[m - 1];
  return out.slice(0, n);
}
