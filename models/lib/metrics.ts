const EPS = 1e-7;

/** Mean cross-entropy and accuracy of row-major class probabilities (same clipping as Keras). */
export function probaMetrics(proba: Float32Array, y: Int32Array, numClasses: number): { loss: number; acc: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < y.length; r++) {
    const row = proba.subarray(r * numClasses, r * numClasses + numClasses);
    const p = Math.min(Math.max(row[y[r]], EPS), 1 - EPS);
    loss -= Math.log(p);
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (row[c] > row[best]) best = c;
    if (best === y[r]) correct++;
  }
  return { loss: y.length ? loss / y.length : NaN, acc: y.length ? correct / y.length : NaN };
}
