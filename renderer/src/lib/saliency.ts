/**
 * The saliency colours of the character strip, shared so that the flows table beside it reads the same:
 * red towards the predicted class, blue away from it, alpha by |s| / scale (scale = the string's strongest
 * character). The square root keeps weak but real characters visible next to one dominant character.
 */
export function saliencyShade(s: number, scale: number): string {
  const a = Math.min(0.9, Math.sqrt(Math.abs(s) / Math.max(1e-12, scale)) * 0.9);
  if (a < 0.03) return 'transparent';
  return s > 0 ? `rgba(242, 90, 90, ${a.toFixed(3)})` : `rgba(77, 141, 255, ${a.toFixed(3)})`;
}

export function saliencyScale(values: readonly number[]): number {
  let m = 1e-12;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}
