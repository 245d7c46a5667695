import type { EvalResult } from '../../../../shared/eval';
import { formatNumber, formatPercent } from '../../../../shared/format';

export interface MetricColumn {
  key: string;
  label: string;
  /** Header group in the table (Averages, IDS rates, Ranking, a class name). */
  group: string;
  better: 'high' | 'low';
  format: 'pct' | 'dec';
  help: string;
  get(r: EvalResult): number | null;
  /** Why the value is null, shown on hover. */
  reason?(r: EvalResult): string | null;
  /**
   * Shown only when the analyst asks for every column (exports always carry it): figures that repeat or
   * refine a default one, so the default table fits a laptop's width without scrolling.
   */
  extra?: true;
}

function tprAt(r: EvalResult, target: number) {
  return r.tprAtFpr.points.find((p) => Math.abs(p.targetFpr - target) < 1e-12);
}

function tprColumn(target: number, label: string): MetricColumn {
  return {
    key: `tprAt${label.replace(/\W/g, '')}`,
    label: `@ ${label}`,
    group: 'TPR at FPR',
    better: 'high',
    format: 'pct',
    help: `Highest detection rate reachable with at most ${label} of normal rows flagged (binary curve, or attack vs normal)`,
    get: (r) => tprAt(r, target)?.tpr ?? null,
    reason: (r) => r.tprAtFpr.reason ?? (tprAt(r, target) ? null : `not computed at ${label}`),
  };
}

const BASE_COLUMNS: MetricColumn[] = [
  { key: 'accuracy', label: 'Accuracy', group: 'Overall', better: 'high', format: 'pct', help: 'Share of rows whose arg-max class is right', get: (r) => r.accuracy },
  { key: 'macroPrecision', label: 'P', group: 'Macro', better: 'high', format: 'pct', help: 'Macro precision: unweighted mean over classes', get: (r) => r.macro.precision },
  { key: 'macroRecall', label: 'R', group: 'Macro', better: 'high', format: 'pct', help: 'Macro recall: unweighted mean over classes', get: (r) => r.macro.recall },
  { key: 'macroF1', label: 'F1', group: 'Macro', better: 'high', format: 'pct', help: 'Macro F1: unweighted mean of per-class F1', get: (r) => r.macro.f1 },
  { key: 'weightedPrecision', label: 'P', group: 'Weighted', better: 'high', format: 'pct', help: 'Support-weighted precision', extra: true, get: (r) => r.weighted.precision },
  { key: 'weightedRecall', label: 'R', group: 'Weighted', better: 'high', format: 'pct', help: 'Support-weighted recall (always equal to accuracy)', extra: true, get: (r) => r.weighted.recall },
  { key: 'weightedF1', label: 'F1', group: 'Weighted', better: 'high', format: 'pct', help: 'Support-weighted F1', extra: true, get: (r) => r.weighted.f1 },
  {
    key: 'detectionRate',
    label: 'Detection',
    group: 'IDS rates',
    better: 'high',
    format: 'pct',
    help: 'Attack rows predicted as any attack',
    get: (r) => r.detectionRate,
    reason: (r) => (r.normalClass === null ? 'no normal class' : 'no attack rows'),
  },
  {
    key: 'falseAlarmRate',
    label: 'False alarm',
    group: 'IDS rates',
    better: 'low',
    format: 'pct',
    help: 'Normal rows predicted as any attack (lower is better)',
    get: (r) => r.falseAlarmRate,
    reason: (r) => (r.normalClass === null ? 'no normal class' : 'no normal rows'),
  },
];

function rankingColumns(group: string, basis: string, auc: (r: EvalResult) => number | null, ap: (r: EvalResult) => number | null, reason: (r: EvalResult) => string | null): MetricColumn[] {
  return [
    { key: group === 'class-averaged' ? 'aucMacro' : 'auc', label: 'AUC', group: `Ranking · ${group}`, better: 'high', format: 'dec', help: `Area under the ROC curve, ${basis}`, get: auc, reason },
    { key: group === 'class-averaged' ? 'averagePrecisionMacro' : 'averagePrecision', label: 'AP', group: `Ranking · ${group}`, better: 'high', format: 'dec', help: `Average precision, ${basis}`, get: ap, reason },
  ];
}

/**
 * The overall columns for these results. Each ranking figure names its curve in its header group: the
 * curve the ROC / PR charts show first (any attack vs normal, or the binary curve) comes first, so the
 * table and the charts' legends agree by default; the class-averaged figures follow under their own name.
 */
export function overallColumns(results: EvalResult[]): MetricColumn[] {
  const binary = results.length > 0 && results.every((r) => r.roc.mode === 'binary');
  const vsNormal = results.some((r) => r.roc.attackVsNormal);
  const first: MetricColumn[] = binary
    ? rankingColumns(`${results[0].roc.curves[0]?.positive ?? 'positive'} (binary)`, 'the binary curve', (r) => r.roc.auc, (r) => r.pr.averagePrecision, (r) => r.roc.reason)
    : vsNormal
      ? rankingColumns('any attack vs normal', 'any attack vs normal (score 1 − p(normal)), as in the charts', (r) => r.roc.attackVsNormal?.auc ?? null, (r) => r.pr.attackVsNormal?.averagePrecision ?? null, () => 'no normal class or no attack rows')
      : [];
  const macro = binary
    ? []
    : rankingColumns('class-averaged', 'unweighted mean of the one-vs-rest curves of each class', (r) => r.roc.auc, (r) => r.pr.averagePrecision, (r) => r.roc.reason).map(
        (c): MetricColumn => ({ ...c, extra: first.length ? true : undefined }),
      );
  const tprBasis = results.find((r) => r.tprAtFpr.basis)?.tprAtFpr.basis;
  const tprGroup = tprBasis === 'attack-vs-normal' ? 'TPR at FPR · attack vs normal' : 'TPR at FPR';
  return [...BASE_COLUMNS, ...first, ...macro, ...[tprColumn(0.001, '0.1 %'), tprColumn(0.01, '1 %')].map((c) => ({ ...c, group: tprGroup }))];
}

/** Recall and F1 of each class, in the order the runs predict them. */
export function perClassColumns(classes: string[]): MetricColumn[] {
  return classes.flatMap((label): MetricColumn[] => {
    const of = (r: EvalResult) => r.perClass.find((c) => c.label === label);
    return [
      { key: `recall:${label}`, label: 'Recall', group: label, better: 'high', format: 'pct', help: `Recall of ${label}`, get: (r) => of(r)?.recall ?? null, reason: () => `no class ${label}` },
      { key: `f1:${label}`, label: 'F1', group: label, better: 'high', format: 'pct', help: `F1 of ${label}`, get: (r) => of(r)?.f1 ?? null, reason: () => `no class ${label}` },
    ];
  });
}

/** Union of the classes of several results, first-seen order. */
export function classesOf(results: EvalResult[]): string[] {
  const out: string[] = [];
  for (const r of results) for (const c of r.classes) if (!out.includes(c)) out.push(c);
  return out;
}

/** Indexes holding the best value (ties all win); empty with fewer than two values to compare. */
export function bestIndexes(values: (number | null)[], better: 'high' | 'low'): Set<number> {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length < 2) return new Set();
  const best = better === 'high' ? Math.max(...defined) : Math.min(...defined);
  // Values printed identically are a tie: 4 decimals is finer than the displayed precision.
  return new Set(values.flatMap((v, i) => (v !== null && Math.abs(v - best) < 5e-5 ? [i] : [])));
}

export function formatMetric(v: number | null, format: 'pct' | 'dec'): string {
  if (v === null) return '—';
  return format === 'pct' ? formatPercent(v) : formatNumber(v, 4);
}

export function groupsOf(columns: MetricColumn[]): { group: string; span: number }[] {
  const out: { group: string; span: number }[] = [];
  for (const c of columns) {
    const last = out[out.length - 1];
    if (last && last.group === c.group) last.span++;
    else out.push({ group: c.group, span: 1 });
  }
  return out;
}
