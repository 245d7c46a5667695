/**
 * Mean share of each point's k nearest 2-D neighbours that carry its label (points without a label are
 * skipped). At most `maxQueries` evenly spaced points are asked, so large maps stay cheap; null when no point
 * has a label.
 */
export function neighbourAgreement(xy: Float32Array, labels: ArrayLike<number>, k = 5, maxQueries = 2000): number | null {
  const n = labels.length;
  if (n <= k) return null;
  const stride = Math.max(1, Math.floor(n / maxQueries));
  const best = new Float64Array(k);
  const who = new Int32Array(k);
  let total = 0;
  let asked = 0;
  for (let i = 0; i < n; i += stride) {
    if (labels[i] < 0) continue;
    best.fill(Infinity);
    who.fill(-1);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = xy[2 * i] - xy[2 * j];
      const dy = xy[2 * i + 1] - xy[2 * j + 1];
      const d = dx * dx + dy * dy;
      if (d >= best[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1] > d) {
        best[p] = best[p - 1];
        who[p] = who[p - 1];
        p--;
      }
      best[p] = d;
      who[p] = j;
    }
    let same = 0;
    for (const j of who) if (j >= 0 && labels[j] === labels[i]) same++;
    total += same / k;
    asked++;
  }
  return asked ? total / asked : null;
}
