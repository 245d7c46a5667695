import { UMAP } from 'umap-js';
import { mulberry32 } from '../../models/lib/random';

export interface UmapOptions {
  seed: number;
  nNeighbors?: number;
  minDist?: number;
  onEpoch?: (done: number, total: number) => void;
}

/** umap-js with its every random draw (forest, NN-descent, start layout, negative samples) from one seeded generator. */
export function umap(x: Float32Array, n: number, d: number, opts: UmapOptions): Float32Array {
  if (n < 4) return new Float32Array(n * 2);
  const data = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const u = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(opts.nNeighbors ?? 15, n - 1)),
    minDist: opts.minDist ?? 0.1,
    random: mulberry32(opts.seed),
  });
  const epochs = u.initializeFit(data);
  for (let e = 0; e < epochs; e++) {
    u.step();
    opts.onEpoch?.(e + 1, epochs);
  }
  const out = new Float32Array(n * 2);
  u.getEmbedding().forEach((p, i) => {
    out[2 * i] = p[0];
    out[2 * i + 1] = p[1];
  });
  return out;
}
