import { formatPercent } from '../../../../shared/format';
import type { DatasetRow } from '../../../../shared/domain';
import type { InspectQuery, InspectRow } from '../../../../shared/inspect';
import type { EvaluationInfo } from '../../../../shared/run';

export type SortKey = 'row' | 'true' | 'pred' | 'conf';

/** Everything the table's query depends on except the page. */
export interface Filters {
  trueClass: string;
  predClass: string;
  /**
   * The evaluation whose prediction the predicted-class, confidence and sort apply to, by id: ticking another
   * model must not move the filter to it ('' = the first ticked).
   */
  byEval: string;
  misclassified: boolean;
  disagree: boolean;
  minConfidence: number;
  maxConfidence: number;
  /** Leave out rows the `by` model never scored (a random-split evaluation scores only its held-out rows). */
  scoredOnly: boolean;
  search: string;
  /** Only these rows: a group selected on the embedding map. */
  rows?: number[];
  sort: SortKey;
  descending: boolean;
}

export function emptyFilters(): Filters {
  return {
    trueClass: '',
    predClass: '',
    byEval: '',
    misclassified: false,
    disagree: false,
    minConfidence: 0,
    maxConfidence: 1,
    scoredOnly: false,
    search: '',
    sort: 'row',
    descending: false,
  };
}

/** Position of the filtering evaluation among the ticked ones (the first when it is no longer ticked). */
export function byIndex(f: Filters, evalIds: string[]): number {
  return Math.max(0, evalIds.indexOf(f.byEval));
}

/** The engine request for a page of rows under these filters. */
export function toQuery(datasetId: string, evalIds: string[], f: Filters, offset: number, limit: number): InspectQuery {
  // The engine drops rows the `by` model did not score as soon as any confidence bound is set.
  const min = f.scoredOnly ? Math.max(f.minConfidence, 1e-12) : f.minConfidence;
  return {
    datasetId,
    evalIds,
    ...(f.trueClass ? { trueClass: f.trueClass } : {}),
    ...(f.predClass ? { predClass: f.predClass } : {}),
    by: byIndex(f, evalIds),
    misclassified: f.misclassified,
    disagree: f.disagree && evalIds.length > 1,
    minConfidence: min,
    maxConfidence: f.maxConfidence,
    ...(f.search ? { search: f.search } : {}),
    ...(f.rows?.length ? { rows: f.rows } : {}),
    sort: f.sort,
    descending: f.descending,
    offset,
    limit,
  };
}

/** The newest evaluation per run and split of one dataset, newest first: older re-runs of the same scoring add nothing. */
export function evaluationsOf(evals: EvaluationInfo[], datasetId: string): EvaluationInfo[] {
  const seen = new Set<string>();
  const out: EvaluationInfo[] = [];
  for (const e of [...evals].sort((a, b) => b.createdAt - a.createdAt)) {
    if (e.datasetId !== datasetId) continue;
    const key = `${e.runId}|${e.split.description}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** Datasets some evaluation scored, most recently scored first. */
export function evaluatedDatasets(datasets: DatasetRow[], evals: EvaluationInfo[]): DatasetRow[] {
  const latest = new Map<string, number>();
  for (const e of evals) if (e.datasetId) latest.set(e.datasetId, Math.max(latest.get(e.datasetId) ?? 0, e.createdAt));
  return datasets.filter((d) => latest.has(d.id)).sort((a, b) => latest.get(b.id)! - latest.get(a.id)!);
}

/** How a model is named wherever an evaluation or run is listed: the run's name (never its id). */
export function modelLabel(e: { runName: string }): string {
  return e.runName;
}

export function shortSplit(e: EvaluationInfo): string {
  return e.split.kind === 'official-test' ? 'test' : e.split.kind === 'random-split' ? 'val split' : 'file';
}

export const pct = (p: number, digits = 1) => formatPercent(p, digits);

/** A header and rows for the CSV export, one prediction and confidence column pair per evaluation. */
export function csvColumns(evals: EvaluationInfo[]): string[] {
  const head = ['row', 'record', 'true_label'];
  for (const e of evals) {
    const name = `${e.modelId}_${e.runId.slice(-6)}`;
    head.push(`${name}_pred`, `${name}_confidence`);
  }
  return head;
}

export function csvRow(r: InspectRow): (string | number | null)[] {
  const out: (string | number | null)[] = [r.row, r.id, r.trueLabel];
  for (const p of r.preds) out.push(p?.label ?? null, p ? Number(p.confidence.toFixed(6)) : null);
  return out;
}
