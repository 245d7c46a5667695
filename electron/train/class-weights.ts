import type { ParamValue } from '../../models/types';

/** Per-class loss weights, or null for unweighted. 'balanced' = n / (k · n_c) like scikit-learn. */
export function classWeights(setting: ParamValue | undefined, y: Int32Array, numClasses: number): Float32Array | null {
  if (setting === undefined || setting === 'none') return null;
  if (Array.isArray(setting)) {
    if (setting.length !== numClasses || setting.some((w) => !(w >= 0))) {
      throw new Error(`classWeight list must hold ${numClasses} non-negative numbers, got ${JSON.stringify(setting)}`);
    }
    return Float32Array.from(setting);
  }
  if (setting !== 'balanced') throw new Error(`classWeight must be 'none', 'balanced' or a list, got ${JSON.stringify(setting)}`);
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  const present = counts.filter((c) => c > 0).length;
  return Float32Array.from(counts, (c) => (c > 0 ? y.length / (present * c) : 0));
}
