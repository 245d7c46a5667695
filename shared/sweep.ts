import { z } from 'zod';
import { HyperparamsSchema, ParamValueSchema } from './run';

/** One searched hyperparameter: a list of values (grid or random choice), or a range (random search only). */
export const SweepDimensionSchema = z.union([
  z.object({ values: z.array(ParamValueSchema).min(1).max(50) }).strict(),
  z
    .object({
      min: z.number(),
      max: z.number(),
      /** 'log' samples uniformly in log space (learning rates); both bounds must then be > 0. */
      scale: z.enum(['linear', 'log']).default('linear'),
      integer: z.boolean().default(false),
    })
    .strict(),
]);
export type SweepDimension = z.output<typeof SweepDimensionSchema>;
export type SweepSpace = Record<string, SweepDimension>;

export const SweepMetricSchema = z.enum(['valAcc', 'valLoss']);
export type SweepMetric = z.infer<typeof SweepMetricSchema>;

export const AshaSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Epochs every trial trains before it can be stopped (Ray Tune's grace_period). */
    graceEpochs: z.number().int().min(1).max(1000).default(1),
    /** Rungs at grace·η^k epochs; a trial continues past a rung only within the top 1/η seen there. */
    reductionFactor: z.number().min(2).max(10).default(3),
  })
  .strict();
export type AshaSettings = z.output<typeof AshaSettingsSchema>;

export const SweepRequestSchema = z
  .object({
    datasetId: z.string().min(1).max(200),
    modelIds: z.array(z.string().min(1).max(64)).min(1).max(8),
    space: z.record(z.string().min(1).max(64), SweepDimensionSchema),
    /** Fixed overrides for every trial (epochs, patience, validationFraction, ...). */
    params: HyperparamsSchema.default({}),
    search: z.enum(['grid', 'random']).default('grid'),
    /** The trial budget: at most this many trials (a grid larger than it is cut, round-robin over architectures). */
    trials: z.number().int().min(1).max(500).default(20),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
    metric: SweepMetricSchema.default('valAcc'),
    asha: AshaSettingsSchema.prefault({}),
    /** Shown beside each trial; never used to choose one (the choice is on the validation split only). */
    testDatasetId: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(100).optional(),
  })
  .strict();
export type SweepRequest = z.input<typeof SweepRequestSchema>;
export type SweepSpec = z.output<typeof SweepRequestSchema>;

export const TrialStateSchema = z.enum(['pending', 'running', 'done', 'stopped', 'cancelled', 'failed', 'skipped']);
export type TrialState = z.infer<typeof TrialStateSchema>;

export const SweepTrialSchema = z.object({
  index: z.number().int(),
  modelId: z.string(),
  /** The searched values this trial drew (not the fixed ones). */
  point: HyperparamsSchema,
  runId: z.string().nullable(),
  /** The trial's run's name (trialRunName unless the analyst renamed it); null before the run exists. */
  runName: z.string().nullable(),
  state: TrialStateSchema,
  /** The sweep metric at the trial's best epoch (its kept checkpoint), on the validation split. */
  metric: z.number().nullable(),
  epochs: z.number().int().nullable(),
  /** ASHA: the rung (epoch) at which this trial was stopped. */
  stoppedAt: z.number().int().nullable(),
  /** Accuracy on the test set when the sweep names one: for display, never for choosing. */
  testAccuracy: z.number().nullable(),
});
export type SweepTrial = z.infer<typeof SweepTrialSchema>;

export const SweepStatusSchema = z.enum(['running', 'done', 'cancelled', 'failed', 'interrupted']);

export const SweepInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  datasetId: z.string().nullable(),
  datasetName: z.string().nullable(),
  status: SweepStatusSchema,
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  metric: SweepMetricSchema,
  search: z.enum(['grid', 'random']),
  trials: z.number().int(),
  finished: z.number().int(),
  stopped: z.number().int(),
  bestRunId: z.string().nullable(),
  bestMetric: z.number().nullable(),
  jobId: z.string().nullable(),
  error: z.string().nullable(),
});
export type SweepInfo = z.infer<typeof SweepInfoSchema>;

export const SweepDetailSchema = z.object({
  info: SweepInfoSchema,
  spec: z.unknown(),
  /** The searched hyperparameters, in the order the table and plot show them. */
  dimensions: z.array(z.string()),
  trials: z.array(SweepTrialSchema),
});
export type SweepDetail = z.infer<typeof SweepDetailSchema>;

/** Keys written short on the command line and in the Train view. */
export const SWEEP_KEY_ALIASES: Record<string, string> = { lr: 'learningRate', batch: 'batchSize', embedding: 'embeddingDim', 'class-weight': 'classWeight' };

/**
 * One dimension written as text: `0.001,0.01` (values) or `MIN:MAX[:log][:int]` (a range, random search only).
 * Numbers are read as numbers, anything else (balanced, adam) as text. Throws with the reason.
 */
export function parseDimension(text: string): SweepDimension {
  const body = text.trim();
  if (body.includes(':')) {
    const [lo, hi, ...flags] = body.split(':').map((p) => p.trim());
    const min = Number(lo);
    const max = Number(hi);
    if (lo === '' || hi === '' || !Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`'${body}': MIN and MAX must be numbers`);
    const bad = flags.filter((f) => f !== 'log' && f !== 'int');
    if (bad.length) throw new Error(`'${body}': unknown flag '${bad[0]}' (log, int)`);
    return { min, max, scale: flags.includes('log') ? 'log' : 'linear', integer: flags.includes('int') };
  }
  const values = body
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => (Number.isFinite(Number(v)) ? Number(v) : v));
  if (values.length === 0) throw new Error('no values');
  return { values };
}
