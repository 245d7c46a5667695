import type { RunRow } from '../../../../shared/domain';
import type { EvalSplit } from '../../../../shared/eval';
import type { EvaluationInfo } from '../../../../shared/run';

/** A set of rows that several runs were scored on: only evaluations sharing one are comparable side by side. */
export interface TestSet {
  key: string;
  datasetId: string | null;
  datasetName: string;
  split: EvalSplit;
  /** Run id → its latest evaluation on these rows. */
  evalByRun: Record<string, EvaluationInfo>;
}

function seedOf(run: RunRow | undefined): string {
  const params = (run?.params ?? {}) as Record<string, unknown>;
  return `${params.seed ?? 42}/${params.validationFraction ?? 0.1}`;
}

/**
 * Same dataset and split description; a random split is also keyed by the run's seed and fraction, because two
 * runs' "random 10 % validation split" are the same rows only when they were drawn with the same seed.
 */
export function testSetKey(e: EvaluationInfo, run: RunRow | undefined): string {
  const base = `${e.datasetId ?? '?'}|${e.split.kind}|${e.split.description}`;
  return e.split.kind === 'random-split' ? `${base}|${seedOf(run)}` : base;
}

/** Groups evaluations into test sets, newest evaluation per run winning; ordered official test first. */
export function groupTestSets(evals: EvaluationInfo[], runs: RunRow[]): TestSet[] {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const sets = new Map<string, TestSet>();
  for (const e of evals) {
    const key = testSetKey(e, runById.get(e.runId));
    let set = sets.get(key);
    if (!set) {
      set = { key, datasetId: e.datasetId, datasetName: e.datasetName ?? 'a deleted dataset', split: e.split, evalByRun: {} };
      sets.set(key, set);
    }
    const prev = set.evalByRun[e.runId];
    if (!prev || prev.createdAt < e.createdAt) set.evalByRun[e.runId] = e;
  }
  const rank = { 'official-test': 0, file: 1, 'random-split': 2 } as const;
  return [...sets.values()].sort((a, b) => rank[a.split.kind] - rank[b.split.kind] || a.datasetName.localeCompare(b.datasetName));
}

/** The test set covering most of the chosen runs; ties go to an official test file. */
export function bestTestSet(sets: TestSet[], runIds: string[]): TestSet | undefined {
  let best: TestSet | undefined;
  let bestCount = 0;
  for (const s of sets) {
    const n = runIds.filter((id) => s.evalByRun[id]).length;
    if (n > bestCount) {
      best = s;
      bestCount = n;
    }
  }
  return best;
}

/** Short words for where a number comes from; never lets a random split pass for a test set. */
export function splitKindLabel(split: EvalSplit): string {
  switch (split.kind) {
    case 'official-test':
      return 'official test file';
    case 'random-split':
      return 'random split of the training file';
    case 'file':
      return 'test file';
  }
}
