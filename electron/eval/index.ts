/**
 * Evaluation library: pure functions over typed arrays, no Electron, SQLite or TF.js, so the eval job,
 * the CLI and tests share one implementation.
 *
 *   evaluate(inputs, opts)        one model on one test set → EvalResult (stored with the run)
 *   compareModels(inputs, opts)   two models on the same rows → CompareResult (McNemar + paired bootstrap)
 *
 * Conventions: 0/0 := 0 for precision / recall / F1 (sklearn zero_division=0); metrics that do not exist
 * (AUC with one class, detection rate without attacks) are null with a reason, never 0 or NaN; thresholds
 * mean "score ≥ threshold is positive", +∞ is stored as null; tied scores are one threshold step.
 */
export { evaluate, DEFAULT_FPR_TARGETS, type EvaluateOptions } from './evaluate';
export { compareModels, type CompareInputs } from './compare';
export { type EvalInputs, validateInputs } from './validate';
export { argmaxRows } from './predict';
export { confusionCounts, normalizeRows } from './confusion';
export { classificationReport, type ClassificationReport } from './classification';
export { idsRates } from './ids';
export { thresholdSteps, type Steps } from './steps';
export { rocAuc, rocPoints } from './roc';
export { averagePrecision, prPoints } from './pr';
export { tprAtFpr } from './tpr-at-fpr';
export { rocCurve, prCurve, DISPLAY_POINTS } from './curves';
export { mcnemar, discordantPairs, type McNemarOptions } from './mcnemar';
export { pairedBootstrap, quantile, type BootstrapOptions, type PairedBootstrap } from './bootstrap';
export { chi2Sf, binomHalfCdf } from './stats';
export { EvalError } from './errors';
export * from '../../shared/eval';
