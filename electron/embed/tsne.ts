import { exactKnn } from './knn';
import { gaussian } from './gauss';

export interface TsneOptions {
  seed: number;
  perplexity?: number;
  iterations?: number;
  /** Barnes–Hut accuracy: a cell this small relative to its distance counts as one point. */
  theta?: number;
  /** Called while the neighbour search runs (for cancellation). */
  tick?: () => void;
  onIteration?: (done: number, total: number) => void;
}

/** Sparse symmetric affinities P (CSR), from each row's k nearest neighbours at the given perplexity. */
function affinities(x: Float32Array, n: number, d: number, perplexity: number, tick: () => void) {
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const { index, dist } = exactKnn(x, n, d, k, tick);
  const cond = new Float64Array(n * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const dmin = dist[o];
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let t = 0; t < 100; t++) {
      let sum = 0;
      let dsum = 0;
      for (let j = 0; j < k; j++) {
        const p = Math.exp(-beta * (dist[o + j] - dmin));
        cond[o + j] = p;
        sum += p;
        dsum += (dist[o + j] - dmin) * p;
      }
      const h = Math.log(sum) + (beta * dsum) / sum;
      if (Math.abs(h - target) < 1e-5) break;
      if (h > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += cond[o + j];
    for (let j = 0; j < k; j++) cond[o + j] /= sum;
  }
  // P = (P_j|i + P_i|j) / 2n, merged per row.
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const c = index[i * k + j];
      const v = cond[i * k + j] / (2 * n);
      rows[i].set(c, (rows[i].get(c) ?? 0) + v);
      rows[c].set(i, (rows[c].get(i) ?? 0) + v);
    }
  }
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + rows[i].size;
  const col = new Int32Array(ptr[n]);
  const val = new Float64Array(ptr[n]);
  rows.forEach((m, i) => {
    let p = ptr[i];
    for (const [c, v] of [...m.entries()].sort((a, b) => a[0] - b[0])) {
      col[p] = c;
      val[p++] = v;
    }
  });
  return { ptr, col, val };
}

const MAX_DEPTH = 40;

/** A point quadtree over the current layout, rebuilt every iteration, holding each cell's mass and centre. */
class QuadTree {
  cx: Float64Array;
  cy: Float64Array;
  hw: Float64Array;
  mass: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  child: Int32Array;
  point: Int32Array;
  depth: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.cx = new Float64Array(capacity);
    this.cy = new Float64Array(capacity);
    this.hw = new Float64Array(capacity);
    this.mass = new Float64Array(capacity);
    this.sx = new Float64Array(capacity);
    this.sy = new Float64Array(capacity);
    this.child = new Int32Array(capacity);
    this.point = new Int32Array(capacity);
    this.depth = new Int32Array(capacity);
  }

  private grow(): void {
    const cap = this.cx.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.cx = g(this.cx);
    this.cy = g(this.cy);
    this.hw = g(this.hw);
    this.mass = g(this.mass);
    this.sx = g(this.sx);
    this.sy = g(this.sy);
    this.child = g(this.child);
    this.point = g(this.point);
    this.depth = g(this.depth);
  }

  private node(cx: number, cy: number, hw: number, depth: number): number {
    if (this.size + 1 > this.cx.length) this.grow();
    const i = this.size++;
    this.cx[i] = cx;
    this.cy[i] = cy;
    this.hw[i] = hw;
    this.mass[i] = 0;
    this.sx[i] = 0;
    this.sy[i] = 0;
    this.child[i] = -1;
    this.point[i] = -1;
    this.depth[i] = depth;
    return i;
  }

  private quadrant(nd: number, x: number, y: number): number {
    return this.child[nd] + (x >= this.cx[nd] ? 1 : 0) + (y >= this.cy[nd] ? 2 : 0);
  }

  build(y: Float64Array, n: number): void {
    this.size = 0;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, y[2 * i]);
      maxX = Math.max(maxX, y[2 * i]);
      minY = Math.min(minY, y[2 * i + 1]);
      maxY = Math.max(maxY, y[2 * i + 1]);
    }
    const hw = Math.max(maxX - minX, maxY - minY, 1e-9) / 2 + 1e-9;
    this.node((minX + maxX) / 2, (minY + maxY) / 2, hw, 0);
    for (let i = 0; i < n; i++) this.insert(i, y[2 * i], y[2 * i + 1], y);
    for (let nd = 0; nd < this.size; nd++) {
      if (this.mass[nd] > 0) {
        this.sx[nd] /= this.mass[nd];
        this.sy[nd] /= this.mass[nd];
      }
    }
  }

  private insert(i: number, x: number, yy: number, y: Float64Array): void {
    let nd = 0;
    for (;;) {
      if (this.child[nd] === -1) {
        if (this.mass[nd] === 0 || this.depth[nd] >= MAX_DEPTH) {
          if (this.mass[nd] === 0) this.point[nd] = i;
          this.mass[nd]++;
          this.sx[nd] += x;
          this.sy[nd] += yy;
          return;
        }
        // An occupied leaf splits; its point moves one level down.
        const h = this.hw[nd] / 2;
        const first = this.size;
        for (let q = 0; q < 4; q++) this.node(this.cx[nd] + (q & 1 ? h : -h), this.cy[nd] + (q & 2 ? h : -h), h, this.depth[nd] + 1);
        this.child[nd] = first;
        const p = this.point[nd];
        this.point[nd] = -1;
        const px = y[2 * p];
        const py = y[2 * p + 1];
        const c = this.quadrant(nd, px, py);
        this.point[c] = p;
        this.mass[c] = 1;
        this.sx[c] = px;
        this.sy[c] = py;
      }
      this.mass[nd]++;
      this.sx[nd] += x;
      this.sy[nd] += yy;
      nd = this.quadrant(nd, x, yy);
    }
  }
}

/**
 * Barnes–Hut t-SNE (van der Maaten 2014): exact sparse input affinities from k = 3·perplexity neighbours,
 * O(n log n) repulsion per iteration, 750 iterations, early exaggeration 12 for the first 250 (as openTSNE), momentum 0.5 → 0.8,
 * adaptive gains, learning rate max(200, n / 12). Seeded start: the same input and seed give the same layout.
 */
export function tsne(x: Float32Array, n: number, d: number, opts: TsneOptions): Float32Array {
  const iterations = opts.iterations ?? 750;
  const theta = opts.theta ?? 0.5;
  const perplexity = Math.max(2, Math.min(opts.perplexity ?? 30, (n - 1) / 3));
  if (n < 4) return new Float32Array(n * 2);
  const { ptr, col, val } = affinities(x, n, d, perplexity, opts.tick ?? (() => {}));

  const g = gaussian(opts.seed);
  const y = Float64Array.from({ length: n * 2 }, () => g() * 1e-4);
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const grad = new Float64Array(n * 2);
  const rep = new Float64Array(n * 2);
  const lr = Math.max(200, n / 12);
  const tree = new QuadTree(4 * n + 16);
  const stack = new Int32Array(4 * MAX_DEPTH + 16);
  const theta2 = theta * theta;

  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < 250 ? 12 : 1;
    const momentum = it < 250 ? 0.5 : 0.8;
    tree.build(y, n);
    let z = 0;
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i];
      const yi = y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      let top = 0;
      stack[top++] = 0;
      while (top > 0) {
        const nd = stack[--top];
        const m = tree.mass[nd];
        if (m === 0) continue;
        const leaf = tree.child[nd] === -1;
        if (leaf && m === 1 && tree.point[nd] === i) continue;
        const dx = xi - tree.sx[nd];
        const dy = yi - tree.sy[nd];
        const d2 = dx * dx + dy * dy;
        const w = 2 * tree.hw[nd];
        if (leaf || w * w < theta2 * d2) {
          const q = 1 / (1 + d2);
          z += m * q;
          const mq2 = m * q * q;
          fx += mq2 * dx;
          fy += mq2 * dy;
        } else {
          const c = tree.child[nd];
          stack[top++] = c;
          stack[top++] = c + 1;
          stack[top++] = c + 2;
          stack[top++] = c + 3;
        }
      }
      rep[2 * i] = fx;
      rep[2 * i + 1] = fy;
    }
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i];
      const yi = y[2 * i + 1];
      let ax = 0;
      let ay = 0;
      for (let p = ptr[i]; p < ptr[i + 1]; p++) {
        const j = col[p];
        const dx = xi - y[2 * j];
        const dy = yi - y[2 * j + 1];
        const q = val[p] / (1 + dx * dx + dy * dy);
        ax += q * dx;
        ay += q * dy;
      }
      grad[2 * i] = 4 * (exaggeration * ax - rep[2 * i] / z);
      grad[2 * i + 1] = 4 * (exaggeration * ay - rep[2 * i + 1] / z);
    }
    let mx = 0;
    let my = 0;
    for (let t = 0; t < 2 * n; t++) {
      gains[t] = Math.sign(grad[t]) !== Math.sign(update[t]) ? gains[t] + 0.2 : Math.max(gains[t] * 0.8, 0.01);
      update[t] = momentum * update[t] - lr * gains[t] * grad[t];
      y[t] += update[t];
      if (t & 1) my += y[t];
      else mx += y[t];
    }
    mx /= n;
    my /= n;
    for (let i = 0; i < n; i++) {
      y[2 * i] -= mx;
      y[2 * i + 1] -= my;
    }
    opts.onIteration?.(it + 1, iterations);
  }
  return Float32Array.from(y);
}
