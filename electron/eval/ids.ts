/**
 * Intrusion-detection rates as the NSL-KDD / KDD'99 papers report them, from the confusion matrix of the
 * arg-max predictions. Any attack class counts as a detection, even if it is the wrong attack.
 *  - detection rate   = attack rows predicted as any attack / all attack rows
 *  - false-alarm rate = normal rows predicted as any attack / all normal rows
 * null when there is no normal class, or when the denominator is zero (no attacks / no normal rows):
 * unlike per-class scores these are headline numbers, and a silent 0 would read as a real result.
 */
export function idsRates(counts: number[][], normalIndex: number | null): { detectionRate: number | null; falseAlarmRate: number | null } {
  if (normalIndex === null) return { detectionRate: null, falseAlarmRate: null };
  const k = counts.length;
  let attacks = 0;
  let detected = 0;
  let normals = 0;
  let alarms = 0;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const v = counts[r][c];
      if (r === normalIndex) {
        normals += v;
        if (c !== normalIndex) alarms += v;
      } else {
        attacks += v;
        if (c !== normalIndex) detected += v;
      }
    }
  }
  return {
    detectionRate: attacks === 0 ? null : detected / attacks,
    falseAlarmRate: normals === 0 ? null : alarms / normals,
  };
}
