import type { EmbedMethod } from '../../shared/embed';
import { pcaReduce } from './pca';
import { tsne } from './tsne';
import { umap } from './umap';

/** Neighbour searches above this width are pre-reduced by PCA (the usual t-SNE practice, and UMAP's speed). */
export const PCA_DIMS = 50;

export interface ProjectHooks {
  /** Called often during long loops; throws to cancel. */
  tick?: () => void;
  /** UMAP epochs or t-SNE iterations done. */
  onStep?: (done: number, total: number) => void;
}

/** n × d vectors → n × 2 coordinates; deterministic for a given seed. */
export function project(x: Float32Array, n: number, d: number, method: EmbedMethod, seed: number, hooks: ProjectHooks = {}): Float32Array {
  const tick = hooks.tick ?? (() => {});
  const dims = Math.min(d, PCA_DIMS);
  const reduced = pcaReduce(x, n, d, dims, seed ^ 0x5bd1e995, tick);
  const step = (done: number, total: number) => {
    tick();
    hooks.onStep?.(done, total);
  };
  return method === 'umap'
    ? umap(reduced, n, dims, { seed, onEpoch: step })
    : tsne(reduced, n, dims, { seed, tick, onIteration: step });
}
