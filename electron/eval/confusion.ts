/** K × K counts, rows = true class, columns = predicted class. */
export function confusionCounts(yTrue: Int32Array, yPred: Int32Array, k: number): number[][] {
  const flat = new Float64Array(k * k);
  for (let i = 0; i < yTrue.length; i++) flat[yTrue[i] * k + yPred[i]]++;
  return Array.from({ length: k }, (_, r) => Array.from(flat.subarray(r * k, r * k + k)));
}

/** Each row divided by its support (recall view); a class with no rows gets a row of zeros (0/0 := 0). */
export function normalizeRows(counts: number[][]): number[][] {
  return counts.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (s === 0 ? 0 : v / s));
  });
}
