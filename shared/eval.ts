import { z } from 'zod';

/**
 * The stored / wire shape of an evaluation and of a paired comparison. Plain JSON: no typed arrays, no
 * Infinity or NaN (a threshold of +∞, "flag nothing", is stored as null). Every key is always present;
 * "not defined" is null together with a human-readable reason, never a missing key, so the Compare view
 * can diff two runs field by field.
 *
 * Bump EVAL_RESULT_VERSION when a field changes meaning; add a migration rather than reinterpreting old runs.
 */
export const EVAL_RESULT_VERSION = 1;

const rate = z.number().min(0).max(1);
const count = z.number().int().min(0);

export const EvalSplitSchema = z.object({
  /** official-test: the dataset's own test file (e.g. KDDTest+); random-split: held out from training data; file: a user-chosen file. */
  kind: z.enum(['official-test', 'random-split', 'file']),
  description: z.string(),
});
export type EvalSplit = z.infer<typeof EvalSplitSchema>;

export const ClassScoresSchema = z.object({
  label: z.string(),
  precision: rate,
  recall: rate,
  f1: rate,
  /** Rows whose true class is this one. */
  support: count,
  /** Rows predicted (arg-max) as this class. */
  predicted: count,
});
export type ClassScores = z.infer<typeof ClassScoresSchema>;

export const AveragesSchema = z.object({ precision: rate, recall: rate, f1: rate });

export const ConfusionSchema = z.object({
  /** counts[true][predicted]. */
  counts: z.array(z.array(count)),
  /** Each row divided by its support; an empty row stays all zeros. */
  normalized: z.array(z.array(rate)),
});

/** Which scores a curve ranks by: one class's probability, or 1 − p(normal) for "any attack". */
export const CurveBasisSchema = z.enum(['class', 'attack-vs-normal']);

const curveHeader = {
  basis: CurveBasisSchema,
  /** Positive class label ('attack' for attack-vs-normal). */
  positive: z.string(),
  positives: count,
  negatives: count,
  /** Points on the full, exact curve before downsampling for display. */
  fullPoints: count,
  /** Why the metric is null (e.g. "no negatives: every row is 'normal'"); null when it is defined. */
  reason: z.string().nullable(),
};

export const RocCurveSchema = z.object({
  ...curveHeader,
  /** Exact AUC on the full curve (= Mann–Whitney U / (P·N), ties count 1/2). */
  auc: rate.nullable(),
  /** Display points (≤ ~500), from the origin to (1, 1); thresholds[i] flags rows with score ≥ it, null = +∞. */
  fpr: z.array(rate),
  tpr: z.array(rate),
  thresholds: z.array(z.number().nullable()),
});
export type RocCurve = z.infer<typeof RocCurveSchema>;

export const PrCurveSchema = z.object({
  ...curveHeader,
  /** Exact average precision on the full curve, Σ (R_n − R_{n−1}) P_n. */
  averagePrecision: rate.nullable(),
  /** Display points (≤ ~500), recall increasing from (0, 1); thresholds as for ROC. */
  recall: z.array(rate),
  precision: z.array(rate),
  thresholds: z.array(z.number().nullable()),
});
export type PrCurve = z.infer<typeof PrCurveSchema>;

/** binary: K = 2, one curve for the positive (attack) class. one-vs-rest: one curve per class. */
export const CurveModeSchema = z.enum(['binary', 'one-vs-rest']);

export const RocSchema = z.object({
  mode: CurveModeSchema,
  /** binary: that curve's AUC. one-vs-rest: macro mean of the per-class AUCs that are defined. */
  auc: rate.nullable(),
  /** Why auc is null, or a note when some classes were left out of the macro mean. */
  reason: z.string().nullable(),
  curves: z.array(RocCurveSchema),
  /** Multi-class with a normal class: "any attack" ranked by 1 − p(normal). null for binary (it would repeat curves[0]). */
  attackVsNormal: RocCurveSchema.nullable(),
});

export const PrSchema = z.object({
  mode: CurveModeSchema,
  /** binary: that curve's AP. one-vs-rest: macro mean of the per-class APs that are defined. */
  averagePrecision: rate.nullable(),
  reason: z.string().nullable(),
  curves: z.array(PrCurveSchema),
  attackVsNormal: PrCurveSchema.nullable(),
});

export const OperatingPointSchema = z.object({
  /** The FPR budget asked for, e.g. 0.001. */
  targetFpr: rate,
  /** Highest TPR reachable by one threshold with FPR ≤ target; null when TPR or FPR is undefined. */
  tpr: rate.nullable(),
  /** The FPR actually reached there (≤ target). */
  fpr: rate.nullable(),
  /** Flag rows with score ≥ threshold; null when only "flag nothing" fits the budget, or the point is undefined. */
  threshold: z.number().nullable(),
  /** Counts at that threshold, so the UI can say "12 false alarms in 9,711 normal rows". */
  truePositives: count.nullable(),
  falsePositives: count.nullable(),
});
export type OperatingPoint = z.infer<typeof OperatingPointSchema>;

export const TprAtFprSchema = z.object({
  /**
   * The curve read: the binary curve, or attack-vs-normal for multi-class; null when neither exists.
   * Thresholds are on that curve's score: p(positive class), or 1 − p(normal) for attack-vs-normal.
   */
  basis: z.enum(['binary', 'attack-vs-normal']).nullable(),
  reason: z.string().nullable(),
  points: z.array(OperatingPointSchema),
});

export const EvalResultSchema = z.object({
  version: z.literal(EVAL_RESULT_VERSION),
  split: EvalSplitSchema,
  rows: count,
  classes: z.array(z.string()).min(2),
  /** Label of the benign class the IDS rates are relative to; null when there is none. */
  normalClass: z.string().nullable(),
  accuracy: rate,
  perClass: z.array(ClassScoresSchema),
  /** Unweighted mean over classes present in y_true or y_pred; F1 is the mean of per-class F1. 0/0 := 0. */
  macro: AveragesSchema.extend({ classesAveraged: count }),
  /** Support-weighted mean. */
  weighted: AveragesSchema,
  confusion: ConfusionSchema,
  /** Attack rows predicted as any attack / attack rows. null without a normal class or without attack rows. */
  detectionRate: rate.nullable(),
  /** Normal rows predicted as any attack / normal rows. null without a normal class or without normal rows. */
  falseAlarmRate: rate.nullable(),
  roc: RocSchema,
  pr: PrSchema,
  tprAtFpr: TprAtFprSchema,
});
export type EvalResult = z.infer<typeof EvalResultSchema>;

export const ConfidenceIntervalSchema = z.object({
  /** Point estimate on the actual test set (not the bootstrap mean). */
  estimate: z.number(),
  lower: z.number(),
  upper: z.number(),
});
export type ConfidenceInterval = z.infer<typeof ConfidenceIntervalSchema>;

/** a, b: each model; diff: a − b on the same resampled rows (paired). */
export const PairedIntervalsSchema = z.object({
  a: ConfidenceIntervalSchema,
  b: ConfidenceIntervalSchema,
  diff: ConfidenceIntervalSchema,
});

export const McNemarSchema = z.object({
  /** Rows model A got right and model B got wrong. */
  b: count,
  /** Rows model A got wrong and model B got right. */
  c: count,
  /** Which test produced statistic / pValue: exact binomial when b + c < 25 (default), else χ² with continuity correction. */
  method: z.enum(['exact-binomial', 'chi2-continuity']),
  /** exact-binomial: min(b, c); chi2-continuity: (max(|b − c| − 1, 0))² / (b + c). */
  statistic: z.number().min(0),
  pValue: rate,
  /** Both χ² variants always, for reports that quote them (0 and p = 1 when b + c = 0). */
  chi2Corrected: z.object({ statistic: z.number().min(0), pValue: rate }),
  chi2Uncorrected: z.object({ statistic: z.number().min(0), pValue: rate }),
});
export type McNemarResult = z.infer<typeof McNemarSchema>;

export const CompareResultSchema = z.object({
  version: z.literal(EVAL_RESULT_VERSION),
  rows: count,
  classes: z.array(z.string()).min(2),
  mcnemar: McNemarSchema,
  bootstrap: z.object({
    resamples: z.number().int().min(1),
    seed: z.number().int(),
    /** e.g. 0.95 → 2.5th and 97.5th percentiles (linear interpolation between order statistics). */
    confidence: z.number().gt(0).lt(1),
    accuracy: PairedIntervalsSchema,
    macroF1: PairedIntervalsSchema,
  }),
});
export type CompareResult = z.infer<typeof CompareResultSchema>;
