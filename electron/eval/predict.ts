/** Arg-max class per row; a tie goes to the lower class index (numpy's argmax rule), so [0.5, 0.5] → 0. */
export function argmaxRows(proba: Float32Array, k: number): Int32Array {
  const rows = proba.length / k;
  const out = new Int32Array(rows);
  for (let r = 0, o = 0; r < rows; r++, o += k) {
    let best = 0;
    let bv = proba[o];
    for (let c = 1; c < k; c++) {
      if (proba[o + c] > bv) {
        bv = proba[o + c];
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}
