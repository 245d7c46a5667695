import { mulberry32 } from '../../models/lib/random';

/**
 * Row indices drawn without replacement, each class keeping its share of the dataset (largest-remainder
 * rounding), sorted ascending. Depends only on the labels, the size and the seed, so two runs mapped with the
 * same settings see the same rows. Unknown (-1) labels form a stratum of their own; null labels one stratum.
 */
export function stratifiedSample(labels: Int32Array | null, rows: number, size: number, seed: number): Uint32Array {
  if (size >= rows) return Uint32Array.from({ length: rows }, (_, i) => i);
  const strata = new Map<number, number[]>();
  for (let r = 0; r < rows; r++) {
    const k = labels ? labels[r] : 0;
    let s = strata.get(k);
    if (!s) strata.set(k, (s = []));
    s.push(r);
  }
  const keys = [...strata.keys()].sort((a, b) => a - b);
  const quota = keys.map((k) => (strata.get(k)!.length * size) / rows);
  const take = quota.map(Math.floor);
  let left = size - take.reduce((a, b) => a + b, 0);
  const byRemainder = keys.map((_, i) => i).sort((a, b) => quota[b] - take[b] - (quota[a] - take[a]) || a - b);
  for (const i of byRemainder) {
    if (left === 0) break;
    take[i]++;
    left--;
  }
  const rand = mulberry32(seed);
  const out: number[] = [];
  keys.forEach((k, i) => {
    const pool = strata.get(k)!;
    // Partial Fisher–Yates: the first take[i] slots become a uniform sample of the stratum.
    for (let j = 0; j < take[i]; j++) {
      const p = j + Math.floor(rand() * (pool.length - j));
      [pool[j], pool[p]] = [pool[p], pool[j]];
      out.push(pool[j]);
    }
  });
  return Uint32Array.from(out).sort();
}
