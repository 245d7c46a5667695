import { z } from 'zod';
import { formatShort } from './format';

export const ParamValueSchema = z.union([z.number(), z.string().max(200), z.boolean(), z.array(z.number()).max(64)]);
export const HyperparamsSchema = z.record(z.string().max(64), ParamValueSchema);

export const TrainRequestSchema = z
  .object({
    datasetId: z.string().min(1).max(200),
    /** One run per architecture, queued in order: several variants in one go. */
    modelIds: z.array(z.string().min(1).max(64)).min(1).max(32),
    /** Overrides of each model's defaults (epochs, batchSize, learningRate, optimizer, seed, patience, ...). */
    params: HyperparamsSchema.default({}),
    /** Evaluated after training when given (must be encoded like the training set). */
    testDatasetId: z.string().min(1).max(200).optional(),
    tags: z.array(z.string().min(1).max(40)).max(20).default([]),
  })
  .strict();
export type TrainRequest = z.input<typeof TrainRequestSchema>;

export const EpochStatsSchema = z.object({
  epoch: z.number().int(),
  loss: z.number().nullable(),
  acc: z.number().nullable(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
  wallMs: z.number(),
});
export type EpochStats = z.infer<typeof EpochStatsSchema>;

/**
 * The run's own validation split (the rows training held out), scored with the kept checkpoint: the figures
 * a sweep may choose on, and the score thresholds that hold the false-positive rate at 0.1 % and 1 % there,
 * so a scan can take an operating point that was never read off the test file.
 */
export const ValidationSummarySchema = z.object({
  description: z.string(),
  rows: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number().nullable(),
  auc: z.number().nullable(),
  /** Which score the thresholds apply to: p(positive) of a binary model, or 1 − p(normal) of a multi-class one. */
  basis: z.enum(['binary', 'attack-vs-normal']).nullable(),
  positive: z.string().nullable(),
  thresholds: z.array(
    z.object({
      targetFpr: z.number(),
      /** Flag scores ≥ threshold; null when no threshold keeps the FPR within the target (too few negatives). */
      threshold: z.number().nullable(),
      tpr: z.number().nullable(),
      fpr: z.number().nullable(),
    }),
  ),
});
export type ValidationSummary = z.infer<typeof ValidationSummarySchema>;

/** interrupted: the process training it died; the run holds its last epoch-end checkpoint and can resume. */
export const RunStatusSchema = z.enum(['queued', 'running', 'done', 'cancelled', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A run in one of these states has a saved model: it can be evaluated, scanned, inspected and exported. */
export function runHasModel(status: string): boolean {
  return status === 'done' || status === 'cancelled' || status === 'interrupted';
}

/**
 * The batch-level training curve: running epoch-mean loss and accuracy after each batch, at the global batch
 * step (1-based across epochs), thinned to at most MAX_BATCH_POINTS so a long run stays cheap to store and draw.
 */
export const BatchCurveSchema = z.object({
  batchesPerEpoch: z.number().int().min(1),
  points: z.array(z.object({ step: z.number().int().min(1), loss: z.number(), acc: z.number() })),
});
export type BatchCurve = z.infer<typeof BatchCurveSchema>;
export const MAX_BATCH_POINTS = 600;

/** Appends a point, halving the kept points (every other one) when they pile up past MAX_BATCH_POINTS. */
export function pushBatchPoint(curve: BatchCurve, p: BatchCurve['points'][number]): void {
  if (curve.points.some((q) => q.step === p.step)) return;
  curve.points.push(p);
  if (curve.points.length > MAX_BATCH_POINTS) curve.points = curve.points.filter((_, i) => i % 2 === 1 || i === curve.points.length - 1);
}

export const RunDetailSchema = z.object({
  id: z.string(),
  /** The analyst's name for the run, or the default from its settings (defaultRunName). */
  name: z.string(),
  datasetId: z.string().nullable(),
  datasetName: z.string().nullable(),
  modelId: z.string(),
  family: z.enum(['records', 'sequences']),
  status: RunStatusSchema,
  createdAt: z.number(),
  params: HyperparamsSchema,
  classes: z.array(z.string()),
  history: z.array(EpochStatsSchema),
  bestEpoch: z.number().int().nullable(),
  stoppedEarly: z.boolean(),
  backend: z.string().nullable(),
  wallMs: z.number().nullable(),
  trainRows: z.number().int().nullable(),
  valRows: z.number().int().nullable(),
  jobId: z.string().nullable(),
  error: z.string().nullable(),
  tags: z.array(z.string()),
  note: z.string(),
  /** The latest evaluation, when one exists (full results via evals). */
  testAccuracy: z.number().nullable(),
  /** Null for runs trained before validation summaries were stored, or without a validation split. */
  validation: ValidationSummarySchema.nullable(),
  sweepId: z.string().nullable(),
  /** Null for runs trained before batch curves were stored (and for architectures without batches). */
  batchCurve: BatchCurveSchema.nullable(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const EvaluationInfoSchema = z.object({
  id: z.string(),
  runId: z.string(),
  /** The evaluated run's name (RunDetail.name), so lists of evaluations never show ids. */
  runName: z.string(),
  modelId: z.string(),
  datasetId: z.string().nullable(),
  datasetName: z.string().nullable(),
  split: z.object({ kind: z.enum(['official-test', 'random-split', 'file']), description: z.string() }),
  rows: z.number().int(),
  accuracy: z.number().nullable(),
  createdAt: z.number(),
});
export type EvaluationInfo = z.infer<typeof EvaluationInfoSchema>;

export const EvalRecordSchema = z.object({
  row: z.number().int(),
  id: z.string(),
  trueLabel: z.string().nullable(),
  predicted: z.string(),
  confidence: z.number(),
  raw: z.string(),
});
export const EvalRecordsPageSchema = z.object({ total: z.number().int(), offset: z.number().int(), rows: z.array(EvalRecordSchema) });
export type EvalRecordsPage = z.infer<typeof EvalRecordsPageSchema>;

/** The longest run name: the default and sweep-trial names are built to fit it. */
const MAX_RUN_NAME = 120;

/** A run's name: free text the analyst chose, or the default built from its settings; no control characters. */
export const RunNameSchema = z
  .string()
  .trim()
  .min(1, 'a run name cannot be empty')
  .max(MAX_RUN_NAME)
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'a run name cannot hold control characters');

/** 0.001 → "1e-3", 0.0005 → "5e-4", 0.0031234 → "3.12e-3": learning rates read the way papers write them. */
export function formatLearningRate(lr: number): string {
  return Number(lr.toPrecision(3)).toExponential().replace('e+', 'e');
}

/** One setting as a part of a run's name: "10 ep", "b256", "lr 1e-3", "dropout 0.2", "units 64-32". */
export function paramNamePart(key: string, value: unknown): string {
  if (key === 'epochs' && typeof value === 'number') return `${value} ep`;
  if (key === 'stepsPerEpoch' && typeof value === 'number') return `${value} b/ep`;
  if (key === 'batchSize' && typeof value === 'number') return `b${value}`;
  if (key === 'learningRate' && typeof value === 'number') return `lr ${formatLearningRate(value)}`;
  const text = (v: unknown) => (typeof v === 'number' ? formatShort(v) : String(v));
  return `${key} ${Array.isArray(value) ? value.map(text).join('-') : text(value)}`;
}

/**
 * The readable default name of a run from its key settings, e.g. "char-cnn · urls_labeled · 10 ep · b256 · lr 1e-3".
 * Settings an architecture does not use (a forest's placeholder learning rate 0) are left out.
 */
export function defaultRunName(modelId: string, datasetName: string | null, params: Record<string, unknown>): string {
  const parts = [modelId];
  if (datasetName) parts.push(datasetName);
  const num = (k: string) => (typeof params[k] === 'number' && Number.isFinite(params[k]) && (params[k] as number) > 0 ? (params[k] as number) : null);
  const epochs = num('epochs');
  const batch = num('batchSize');
  const lr = num('learningRate');
  if (epochs !== null) parts.push(paramNamePart('epochs', epochs));
  // "40 ep" of 150-batch epochs is not 40 passes over the data: the name says the epoch's length.
  const steps = num('stepsPerEpoch');
  if (epochs !== null && steps !== null) parts.push(paramNamePart('stepsPerEpoch', steps));
  if (batch !== null) parts.push(paramNamePart('batchSize', batch));
  if (lr !== null) parts.push(paramNamePart('learningRate', lr));
  return parts.join(' · ');
}

/**
 * A sweep trial's name: the sweep, the trial's number (from 1, as the sweep table counts) and the values it
 * drew, e.g. "dnn1 on KDDTrain+ · trial 3 · lr 3e-3 · dropout 0.2 · b128". A sweep over several
 * architectures names the trial's. A long sweep name gives way so the settings stay in the name.
 */
export function trialRunName(sweepName: string, index: number, point: Record<string, unknown>, modelId?: string): string {
  const tail = [`trial ${index + 1}`, ...(modelId ? [modelId] : []), ...Object.entries(point).map(([k, v]) => paramNamePart(k, v))].join(' · ');
  const room = MAX_RUN_NAME - tail.length - 3;
  if (room < 8) return `${sweepName.slice(0, 8)}… · ${tail}`.slice(0, MAX_RUN_NAME);
  return `${sweepName.length > room ? `${sweepName.slice(0, room - 1)}…` : sweepName} · ${tail}`;
}

/** The hyperparameters a report or export lists: every scalar setting, sorted by name, learning rates as 1e-3. */
export function hyperparamLines(params: Record<string, unknown>): [string, string][] {
  return Object.keys(params)
    .sort()
    .filter((k) => params[k] !== undefined && params[k] !== null)
    .map((k) => {
      const v = params[k];
      const text = k === 'learningRate' && typeof v === 'number' ? formatLearningRate(v) : Array.isArray(v) ? v.join(', ') : String(v);
      return [k, text];
    });
}
