import type { Classifier, Hyperparams } from '../../models/types';
import type { ValidationSummary } from '../../shared/run';
import { evaluate } from '../eval/evaluate';
import { normalIndexOf } from '../eval/run-eval';
import { takeLabels, takeRows } from '../../models/lib/sampling';
import { stratifiedSplit } from './split';

/** The false-positive budgets every run stores a threshold for: 0.1 % and 1 %. */
export const VALIDATION_FPR_TARGETS: readonly number[] = [0.001, 0.01];

/**
 * Scores the kept checkpoint on the rows the training loop held out — the same stratified, seeded split
 * (prepareTraining → splitDataset) — so what a sweep chooses on and the thresholds a scan offers come from
 * data the model was never fitted to, and never from the test file. Null without a validation split.
 */
export async function validationSummary(
  model: Classifier,
  data: { x: Float32Array | Int32Array; y: Int32Array; rows: number; cols: number },
  params: Hyperparams,
  classes: readonly string[],
  datasetName: string,
): Promise<ValidationSummary | null> {
  const fraction = typeof params.validationFraction === 'number' ? params.validationFraction : 0.1;
  const seed = typeof params.seed === 'number' ? params.seed : 42;
  if (!(fraction > 0)) return null;
  const { picked } = stratifiedSplit(data.y, fraction, seed);
  if (picked.length === 0) return null;
  const x = takeRows(data.x, data.cols, picked);
  const y = takeLabels(data.y, picked);
  const proba = await model.predictProba(x, picked.length);
  const description = `random ${Math.round(fraction * 100)} % validation split (seed ${seed}) of the training file ${datasetName}`;
  const r = evaluate(
    { yTrue: y, proba, classes, normalIndex: normalIndexOf(classes), split: { kind: 'random-split', description } },
    { fprTargets: VALIDATION_FPR_TARGETS },
  );
  const positive = r.tprAtFpr.basis === 'binary' ? (r.roc.curves[0]?.positive ?? null) : r.tprAtFpr.basis === 'attack-vs-normal' ? 'attack' : null;
  return {
    description,
    rows: r.rows,
    accuracy: r.accuracy,
    macroF1: r.macro.f1,
    auc: r.roc.mode === 'binary' ? r.roc.auc : (r.roc.attackVsNormal?.auc ?? r.roc.auc),
    basis: r.tprAtFpr.basis,
    positive,
    thresholds: r.tprAtFpr.points.map((p) => ({ targetFpr: p.targetFpr, threshold: p.threshold, tpr: p.tpr, fpr: p.fpr })),
  };
}
