import type { RunRow } from '../../../../shared/domain';
import type { CompareResult, EvalResult } from '../../../../shared/eval';
import type { EvaluationInfo, RunDetail } from '../../../../shared/run';
import type { TestSet } from './testsets';

/** One chosen run as the Compare view shows it: its evaluation on the chosen test set, when it has one. */
export interface Entry {
  run: RunRow;
  label: string;
  color: string;
  trainingDataset: string;
  detail: RunDetail | undefined;
  evaluation: EvaluationInfo | undefined;
  result: EvalResult | undefined;
}

export type ScoredEntry = Entry & { evaluation: EvaluationInfo; result: EvalResult };

export function isScored(e: Entry): e is ScoredEntry {
  return e.evaluation !== undefined && e.result !== undefined;
}

export interface PairedOutcome {
  labelA: string;
  labelB: string;
  evalIdA: string;
  evalIdB: string;
  result: CompareResult;
}

export interface Comparison {
  testSet: TestSet | undefined;
  entries: Entry[];
  paired: PairedOutcome | null;
}

export function runLabel(run: RunRow): string {
  return run.name;
}
