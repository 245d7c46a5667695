/**
 * The k nearest rows of every row (squared Euclidean, self excluded), exact, ties broken by row index.
 * Quadratic in n: fine for the t-SNE sizes this workbench allows (≤ 20,000 points of ≤ 50 dims).
 */
export function exactKnn(x: Float32Array, n: number, d: number, k: number, tick: () => void = () => {}): { index: Int32Array; dist: Float64Array } {
  const index = new Int32Array(n * k);
  const dist = new Float64Array(n * k);
  const hd = new Float64Array(k);
  const hi = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    // A max-heap of the k best so far: its root is the one to beat.
    let size = 0;
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const oj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = x[oi + c] - x[oj + c];
        s += t * t;
      }
      if (size < k) {
        let p = size++;
        while (p > 0) {
          const parent = (p - 1) >> 1;
          if (hd[parent] > s || (hd[parent] === s && hi[parent] > j)) break;
          hd[p] = hd[parent];
          hi[p] = hi[parent];
          p = parent;
        }
        hd[p] = s;
        hi[p] = j;
      } else if (s < hd[0]) {
        let p = 0;
        for (;;) {
          const l = 2 * p + 1;
          if (l >= k) break;
          const r = l + 1;
          const m = r < k && (hd[r] > hd[l] || (hd[r] === hd[l] && hi[r] > hi[l])) ? r : l;
          if (hd[m] < s || (hd[m] === s && hi[m] < j)) break;
          hd[p] = hd[m];
          hi[p] = hi[m];
          p = m;
        }
        hd[p] = s;
        hi[p] = j;
      }
    }
    const order = Array.from({ length: size }, (_, t) => t).sort((a, b) => hd[a] - hd[b] || hi[a] - hi[b]);
    order.forEach((t, r) => {
      index[i * k + r] = hi[t];
      dist[i * k + r] = hd[t];
    });
    if ((i & 127) === 0) tick();
  }
  return { index, dist };
}
