import type { EvalResult, PrCurve, RocCurve } from '../../../../shared/eval';

export interface CurveChoice {
  id: string;
  label: string;
}

export const ATTACK_VS_NORMAL = 'attack-vs-normal';
const BINARY = 'binary';

/** Binary: the one curve. Multi-class: "any attack vs normal" when there is a normal class, then each class. */
export function curveChoices(results: EvalResult[]): CurveChoice[] {
  const first = results[0];
  if (!first) return [];
  if (first.roc.mode === 'binary') return [{ id: BINARY, label: `${first.roc.curves[0]?.positive ?? 'positive'} (binary)` }];
  const out: CurveChoice[] = [];
  if (results.some((r) => r.roc.attackVsNormal)) out.push({ id: ATTACK_VS_NORMAL, label: 'any attack vs normal' });
  for (const c of first.roc.curves) out.push({ id: c.positive, label: `${c.positive} vs rest` });
  return out;
}

export function rocCurve(r: EvalResult, choice: string): RocCurve | null {
  if (choice === BINARY || r.roc.mode === 'binary') return r.roc.curves[0] ?? null;
  if (choice === ATTACK_VS_NORMAL) return r.roc.attackVsNormal;
  return r.roc.curves.find((c) => c.positive === choice) ?? null;
}

export function prCurve(r: EvalResult, choice: string): PrCurve | null {
  if (choice === BINARY || r.pr.mode === 'binary') return r.pr.curves[0] ?? null;
  if (choice === ATTACK_VS_NORMAL) return r.pr.attackVsNormal;
  return r.pr.curves.find((c) => c.positive === choice) ?? null;
}
