import { readCache } from '../data/cache/cache-file';
import type { JobHandler } from '../jobs/context';
import { compareModels } from './compare';
import { argmaxRows } from './predict';
import { readProba, readRows, rowsPathFor } from './run-eval';

export interface CompareJobInput {
  cachePath: string;
  classes: string[];
  probaA: string;
  probaB: string;
  seed: number;
  resamples: number;
}

/** McNemar and paired bootstrap on two stored evaluations of the same rows. */
export const compareJob: JobHandler = async (raw, ctx) => {
  const input = raw as CompareJobInput;
  const rowsA = readRows(rowsPathFor(input.probaA));
  const rowsB = readRows(rowsPathFor(input.probaB));
  if (rowsA.length !== rowsB.length || rowsA.some((r, i) => r !== rowsB[i])) {
    throw new Error(`the two evaluations scored different rows (${rowsA.length} vs ${rowsB.length}): not a paired comparison`);
  }
  const k = input.classes.length;
  const data = await readCache(input.cachePath);
  if (!data.labels) throw new Error(`${input.cachePath}: no labels`);
  const yTrue = Int32Array.from(rowsA, (r) => data.labels![r]);
  const predA = argmaxRows(readProba(input.probaA), k);
  const predB = argmaxRows(readProba(input.probaB), k);
  return compareModels(
    { yTrue, predA, predB, classes: input.classes },
    {
      bootstrap: {
        resamples: input.resamples,
        seed: input.seed,
        onProgress: (done, total) => {
          ctx.throwIfCancelled();
          ctx.progress({ fraction: done / total, message: `bootstrap ${done}/${total}` });
        },
      },
    },
  );
};
