import { gaussian } from './gauss';

/** Orthonormalises the columns in place (modified Gram–Schmidt); a column that collapses becomes zero. */
function orthonormalise(cols: Float64Array[]): void {
  for (let c = 0; c < cols.length; c++) {
    const v = cols[c];
    for (let p = 0; p < c; p++) {
      const u = cols[p];
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += u[i] * v[i];
      for (let i = 0; i < v.length; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    const inv = norm > 1e-12 ? 1 / norm : 0;
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi); returns eigenvalues and column eigenvectors. */
export function symmetricEigen(a: Float64Array[], sweeps = 60): { values: Float64Array; vectors: Float64Array[] } {
  const m = a.length;
  const A = a.map((r) => Float64Array.from(r));
  const V = Array.from({ length: m }, (_, i) => {
    const r = new Float64Array(m);
    r[i] = 1;
    return r;
  });
  for (let s = 0; s < sweeps; s++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p][q] * A[p][q];
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        if (Math.abs(A[p][q]) < 1e-300) continue;
        const theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k][p];
          const akq = A[k][q];
          A[k][p] = c * akp - sn * akq;
          A[k][q] = sn * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p][k];
          const aqk = A[q][k];
          A[p][k] = c * apk - sn * aqk;
          A[q][k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k][p];
          const vkq = V[k][q];
          V[k][p] = c * vkp - sn * vkq;
          V[k][q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => A[i][i]), vectors: Array.from({ length: m }, (_, j) => Float64Array.from(V, (r) => r[j])) };
}

/**
 * The first k principal-component scores of n rows × d columns, by randomised subspace iteration
 * (Halko, Martinsson & Tropp 2011). Wide layers (1,024 units) are brought down to k before the neighbour
 * searches of UMAP and t-SNE, which would otherwise spend minutes on distances. Seeded, so reproducible.
 */
export function pcaReduce(x: Float32Array, n: number, d: number, k: number, seed: number, tick: () => void = () => {}): Float32Array {
  if (d <= k) return x;
  const l = Math.min(d, n, k + 10);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;

  // Y = (X − 1μᵀ) M for M given as l column vectors of length d.
  const times = (M: Float64Array[]): Float64Array[] => {
    const shift = M.map((m) => m.reduce((s, v, j) => s + v * mean[j], 0));
    const Y = M.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let c = 0; c < M.length; c++) {
        const m = M[c];
        let s = 0;
        for (let j = 0; j < d; j++) s += x[o + j] * m[j];
        Y[c][i] = s - shift[c];
      }
      if ((i & 1023) === 0) tick();
    }
    return Y;
  };
  // Z = (X − 1μᵀ)ᵀ Q for Q given as l column vectors of length n.
  const transposeTimes = (Q: Float64Array[]): Float64Array[] => {
    const Z = Q.map(() => new Float64Array(d));
    const sums = Q.map((q) => q.reduce((s, v) => s + v, 0));
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let c = 0; c < Q.length; c++) {
        const q = Q[c][i];
        if (q === 0) continue;
        const z = Z[c];
        for (let j = 0; j < d; j++) z[j] += q * x[o + j];
      }
      if ((i & 1023) === 0) tick();
    }
    Z.forEach((z, c) => {
      for (let j = 0; j < d; j++) z[j] -= sums[c] * mean[j];
    });
    return Z;
  };

  const g = gaussian(seed);
  const omega = Array.from({ length: l }, () => Float64Array.from({ length: d }, g));
  let Q = times(omega);
  orthonormalise(Q);
  for (let it = 0; it < 2; it++) {
    const Z = transposeTimes(Q);
    orthonormalise(Z);
    Q = times(Z);
    orthonormalise(Q);
  }
  // B = Qᵀ(X − 1μᵀ) (l × d); the eigenvectors of B Bᵀ rotate Q onto the principal directions.
  const B = transposeTimes(Q);
  const C = B.map((bi) => Float64Array.from(B, (bj) => bi.reduce((s, v, j) => s + v * bj[j], 0)));
  const { values, vectors } = symmetricEigen(C);
  const order = [...values.keys()].sort((a, b) => values[b] - values[a] || a - b).slice(0, k);
  const out = new Float32Array(n * k);
  order.forEach((e, c) => {
    const u = vectors[e];
    const scale = Math.sqrt(Math.max(values[e], 0));
    // Fix each component's sign (largest loading positive) so equal inputs give equal pictures.
    let big = 0;
    for (let r = 0; r < l; r++) if (Math.abs(u[r]) > Math.abs(u[big])) big = r;
    const sign = u[big] < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let r = 0; r < l; r++) s += Q[r][i] * u[r];
      out[i * k + c] = sign * s * scale;
    }
  });
  return out;
}
