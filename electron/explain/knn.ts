/** The k rows of a row-major matrix closest to x (Euclidean), nearest first. Brute force: exact, and fast enough at 10^5 rows. */
export function nearestRows(data: Float32Array | Int32Array, cols: number, x: ArrayLike<number>, k: number, skipRow = -1): { row: number; distance: number }[] {
  const rows = data.length / cols;
  const bestD = new Float64Array(k).fill(Infinity);
  const bestR = new Int32Array(k).fill(-1);
  for (let r = 0; r < rows; r++) {
    if (r === skipRow) continue;
    let d = 0;
    const off = r * cols;
    for (let c = 0; c < cols && d < bestD[k - 1]; c++) {
      const t = data[off + c] - x[c];
      d += t * t;
    }
    if (d >= bestD[k - 1]) continue;
    let i = k - 1;
    while (i > 0 && bestD[i - 1] > d) {
      bestD[i] = bestD[i - 1];
      bestR[i] = bestR[i - 1];
      i--;
    }
    bestD[i] = d;
    bestR[i] = r;
  }
  const out: { row: number; distance: number }[] = [];
  for (let i = 0; i < k; i++) if (bestR[i] >= 0) out.push({ row: bestR[i], distance: Math.sqrt(bestD[i]) });
  return out;
}
