import { isBenignLabel } from '../../../shared/labels';

/**
 * One diverging scale for every attribution in the workbench (feature bars, character shading, the flows
 * table): warm (red-orange) pushes towards an attack, cool (blue) towards normal. Attributions are computed
 * towards the predicted class, so when a model predicts the normal class its positive values point to
 * normal and are drawn cool.
 */
export const WARM = { r: 242, g: 106, b: 61 };
export const COOL = { r: 77, g: 141, b: 255 };
export const rgb = (c: { r: number; g: number; b: number }, a = 1) => `rgba(${c.r}, ${c.g}, ${c.b}, ${a})`;

/** +1 when "towards the predicted class" means towards an attack, −1 when the predicted class is benign. */
export function attackSign(predicted: string): 1 | -1 {
  return isBenignLabel(predicted) ? -1 : 1;
}

/** The benign class's name among a model's classes, for legends ("towards normal"). */
export function normalNameOf(classes: readonly string[]): string {
  return classes.find(isBenignLabel) ?? 'normal';
}

/**
 * The shade of one attribution `s` (towards the predicted class) on the diverging scale, alpha by
 * |s| / scale (scale = the string's strongest character). The square root keeps weak but real characters
 * visible next to one dominant character.
 */
export function saliencyShade(s: number, scale: number, sign: 1 | -1 = 1): string {
  const a = Math.min(0.9, Math.sqrt(Math.abs(s) / Math.max(1e-12, scale)) * 0.9);
  if (a < 0.03) return 'transparent';
  return rgb(s * sign > 0 ? WARM : COOL, Number(a.toFixed(3)));
}

export function saliencyScale(values: readonly number[]): number {
  let m = 1e-12;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}
