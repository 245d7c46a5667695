/** mulberry32: tiny, fast, good enough for shuffles and initialiser seeds; reproducible across platforms. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hands out distinct 31-bit seeds, one per initialiser, from one model seed. undefined → unseeded. */
export interface Seeder {
  next(): number | undefined;
}

export function makeSeeder(seed: number | undefined): Seeder {
  if (seed === undefined) return { next: () => undefined };
  const rand = mulberry32(seed);
  return { next: () => Math.floor(rand() * 0x7fffffff) };
}
