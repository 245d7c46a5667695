import type { Classifier, SerializedModel } from '../../models/types';
import { combine, fitStacker, memberValidation, validationWeights, type Combiner, type EnsembleMethod } from './combine';
import { EnsembleClassifier, type EnsembleMember } from './ensemble-classifier';
import { probaMetrics } from '../../models/lib/metrics';

/** The members' probabilities on the validation rows they all held out, with those rows' labels. */
export interface ValidationPredictions {
  proba: Float32Array[];
  y: Int32Array;
}

export interface EnsembleFitReport {
  combiner: Combiner;
  /** Per member, on the shared validation rows (null without one). */
  members: ({ loss: number; acc: number } | null)[];
  /** The ensemble on the same rows: for 'stack' these are the rows it was fitted on (optimistic). */
  ensemble: { loss: number; acc: number } | null;
  valRows: number;
  stackerIterations?: number;
  stackerGradNorm?: number;
}

/** Fits the combiner: nothing for mean, the weights for weighted, the logistic-regression stacker for stack. */
export function fitCombiner(method: EnsembleMethod, numClasses: number, memberCount: number, val: ValidationPredictions | null): EnsembleFitReport {
  if (method !== 'mean' && !val) throw new Error(`a '${method}' ensemble is fitted on the members' shared validation rows, and there are none`);
  const k = numClasses;
  const stats = val ? memberValidation(val.proba, val.y, k) : null;
  const combiner: Combiner = { method, numClasses: k, weights: Array.from({ length: memberCount }, () => 1 / memberCount) };
  const report: EnsembleFitReport = { combiner, members: stats ?? Array.from({ length: memberCount }, () => null), ensemble: null, valRows: val?.y.length ?? 0 };
  if (method === 'weighted') combiner.weights = validationWeights(stats!.map((s) => s.loss));
  if (method === 'stack') {
    const fit = fitStacker(val!.proba, val!.y, k);
    combiner.stacker = { coef: fit.coef, intercept: fit.intercept };
    // Not used to combine: each member's share of the stacker's |coefficients|, for display.
    const d = memberCount * k;
    const mass = Array.from({ length: memberCount }, (_, m) => {
      let s = 0;
      for (let c = 0; c < k; c++) for (let j = 0; j < k; j++) s += Math.abs(fit.coef[c * d + m * k + j]);
      return s;
    });
    const total = mass.reduce((a, b) => a + b, 0);
    if (total > 0) combiner.weights = mass.map((v) => v / total);
    report.stackerIterations = fit.iterations;
    report.stackerGradNorm = fit.gradNorm;
  }
  if (val) report.ensemble = probaMetrics(combine(combiner, val.proba, val.y.length), val.y, k);
  return report;
}

/** The ensemble as a Classifier over loaded members (which it then owns). */
export function assembleEnsemble(members: { runId: string; modelId: string; model: Classifier; bytes: SerializedModel }[], combiner: Combiner): EnsembleClassifier {
  const m: EnsembleMember[] = members.map(({ runId, modelId, model }) => ({ runId, modelId, model }));
  return new EnsembleClassifier(m, combiner, members.map((x) => x.bytes));
}
