import { mulberry32 } from '../../../models/lib/random';

/** Separable records: class c lifts features j ≡ c (mod k) by 3 over unit-ish noise. */
export function makeRecords(rows: number, cols: number, numClasses: number, seed = 1): { x: Float32Array; y: Int32Array } {
  const rand = mulberry32(seed);
  const x = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % numClasses;
    y[r] = c;
    for (let j = 0; j < cols; j++) x[r * cols + j] = (rand() - 0.5) * 1.5 + (j % numClasses === c ? 3 : 0);
  }
  return { x, y };
}

/** Separable char sequences: class c draws ids from its own band of 5; tails are padded with 0. */
export function makeSequences(rows: number, maxLen: number, numClasses: number, seed = 1): { x: Int32Array; y: Int32Array; vocabSize: number } {
  const rand = mulberry32(seed);
  const x = new Int32Array(rows * maxLen);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % numClasses;
    y[r] = c;
    const len = Math.max(3, Math.floor(maxLen / 2 + rand() * (maxLen / 2)));
    for (let t = 0; t < len; t++) x[r * maxLen + t] = 1 + c * 5 + Math.floor(rand() * 5);
  }
  return { x, y, vocabSize: 1 + numClasses * 5 };
}

export function accuracy(proba: Float32Array, y: Int32Array, numClasses: number): number {
  let ok = 0;
  for (let r = 0; r < y.length; r++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (proba[r * numClasses + c] > proba[r * numClasses + best]) best = c;
    if (best === y[r]) ok++;
  }
  return ok / y.length;
}
