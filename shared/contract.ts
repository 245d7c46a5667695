import { z } from 'zod';
import {
  AppInfoSchema,
  BackendInfoSchema,
  DatasetRowSchema,
  JobInfoSchema,
  JobProgressSchema,
  ModelInfoSchema,
  PresetSchema,
  RunRowSchema,
} from './domain';
import { DatasetDetailSchema, ImportInputSchema, ImportOptionsSchema, SampleRowSchema } from './dataset';
import { EvalRecordsPageSchema, EvaluationInfoSchema, RunDetailSchema, RunNameSchema, TrainRequestSchema } from './run';
import { EvalResultSchema } from './eval';
import { OperatingCurveSchema, ScanInfoSchema, ScanModelFitSchema, ScanResultDetailSchema, ScanResultRowSchema } from './scan';
import { ExplainResultSchema, InspectQuerySchema, InspectRowSchema } from './inspect';
import { EmbeddingMapSchema, EmbeddingSummarySchema, EmbedRequestSchema } from './embed';
import { SweepDetailSchema, SweepInfoSchema, SweepRequestSchema } from './sweep';
import { ItemKindSchema, RuleKindSchema, RuleSchema, TriagePageSchema, TriageQuerySchema, VerdictRowSchema, VerdictSchema } from './triage';

const Empty = z.object({}).strict();
const JobStarted = z.object({ jobId: z.string() });
const Id = z.string().min(1).max(200);

/**
 * The single source of truth for what the renderer (or any client) may ask of the engine.
 * Requests are strict: an unknown key is a bug on the caller's side and is refused, not ignored.
 */
export const operations = {
  'app.info': { request: Empty, response: AppInfoSchema },
  'backend.info': { request: Empty, response: BackendInfoSchema },
  'models.list': { request: Empty, response: z.array(ModelInfoSchema) },
  /** The best architecture per task from docs/results.md, as the Train view's default. */
  'models.presets': { request: Empty, response: z.array(PresetSchema) },
  'jobs.list': { request: Empty, response: z.array(JobInfoSchema) },
  'jobs.get': { request: z.object({ jobId: Id }).strict(), response: JobInfoSchema },
  'jobs.cancel': {
    request: z.object({ jobId: Id }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** A matmul throughput check on the active backend: the smallest real job, useful to see the pipeline work. */
  'compute.benchmark': {
    request: z
      .object({
        size: z.number().int().min(16).max(4096).default(256),
        repeats: z.number().int().min(1).max(10_000).default(20),
      })
      .strict(),
    response: JobStarted,
  },
  /** Streams URL files through a character model; results are stored as they come and the scan can resume. */
  'scan.start': {
    request: z
      .object({
        runId: Id,
        paths: z.array(z.string().min(1).max(4096)).min(1).max(100),
        threshold: z.number().min(0).max(1).default(0.5),
        name: z.string().min(1).max(200).optional(),
      })
      .strict(),
    response: z.object({ scanId: z.string(), jobId: z.string() }),
  },
  'scan.resume': { request: z.object({ scanId: Id }).strict(), response: JobStarted },
  /**
   * Which runs can scan these files (URL / domain models for URL-ish logs, behaviour models for a conn.log,
   * records models whose columns the file has), and for the others why not.
   */
  'scan.models': {
    request: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100) }).strict(),
    response: z.array(ScanModelFitSchema),
  },
  /** What a result keeps beside its score: for a conn 4-tuple, its behaviour record (the flows behind each letter). */
  'scans.detail': {
    request: z.object({ scanId: Id, item: z.string().min(1).max(100_000) }).strict(),
    response: ScanResultDetailSchema,
  },
  'scans.list': { request: Empty, response: z.array(ScanInfoSchema) },
  'scans.get': {
    request: z.object({ scanId: Id }).strict(),
    response: z.object({ scan: ScanInfoSchema, curve: OperatingCurveSchema.nullable() }),
  },
  'scans.setThreshold': {
    request: z.object({ scanId: Id, threshold: z.number().min(0).max(1) }).strict(),
    response: ScanInfoSchema,
  },
  /** Results sorted by score, highest first; minScore filters to the flagged ones. */
  'scans.results': {
    request: z
      .object({
        scanId: Id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(200),
        minScore: z.number().min(0).max(1).default(0),
      })
      .strict(),
    response: z.object({ total: z.number().int(), rows: z.array(ScanResultRowSchema) }),
  },
  'scans.delete': { request: z.object({ scanId: Id }).strict(), response: z.object({ deleted: z.boolean() }) },
  'datasets.list': { request: Empty, response: z.array(DatasetRowSchema) },
  /** Streams the file in a worker: parse, fit the encoding (or reuse another dataset's), summarise, cache. */
  'datasets.import': {
    request: z
      .object({
        path: z.string().min(1).max(4096),
        /** Several files into one dataset (path then only names it): e.g. Alexa plus DGA family files. */
        inputs: z.array(ImportInputSchema).min(1).max(1000).optional(),
        name: z.string().min(1).max(200).optional(),
        options: ImportOptionsSchema.prefault({}),
      })
      .strict(),
    response: JobStarted,
  },
  /** A file's format and columns from its first lines, and the training set it could be encoded like (a test file). */
  'datasets.detect': {
    request: z.object({ path: z.string().min(1).max(4096) }).strict(),
    response: z.object({
      format: z.string().nullable(),
      columns: z.array(z.string()),
      /** The newest dataset fitted on its own encoding with this format and these columns. */
      encodeLike: z.object({ datasetId: z.string(), name: z.string() }).nullable(),
      /** Why nothing was detected (unreadable, unknown format). */
      reason: z.string().nullable(),
    }),
  },
  'datasets.get': { request: z.object({ datasetId: Id }).strict(), response: DatasetDetailSchema },
  'datasets.sample': {
    request: z.object({ datasetId: Id, limit: z.number().int().min(1).max(500).default(50) }).strict(),
    response: z.array(SampleRowSchema),
  },
  'datasets.delete': { request: z.object({ datasetId: Id }).strict(), response: z.object({ deleted: z.boolean() }) },
  /** The native open dialog; only the Electron shell can answer it (the host uses a path field and uploads). */
  'files.pick': {
    request: z
      .object({ title: z.string().max(200).default('Open'), multiple: z.boolean().default(false) })
      .strict(),
    response: z.object({ paths: z.array(z.string()) }),
  },
  'runs.list': { request: Empty, response: z.array(RunRowSchema) },
  'runs.get': { request: z.object({ runId: Id }).strict(), response: RunDetailSchema },
  'runs.update': {
    request: z
      .object({ runId: Id, tags: z.array(z.string().min(1).max(40)).max(20).optional(), note: z.string().max(10_000).optional() })
      .strict(),
    response: RunDetailSchema,
  },
  /** Names a run (the default name is built from its settings); the name shows wherever runs are listed. */
  'runs.rename': { request: z.object({ runId: Id, name: RunNameSchema }).strict(), response: RunDetailSchema },
  /** Scores a run on a dataset encoded like its training set (its own training file: the validation rows). */
  'eval.start': {
    request: z.object({ runId: Id, datasetId: Id }).strict(),
    response: z.object({ jobId: z.string(), evalId: z.string() }),
  },
  'evals.list': {
    request: z.object({ runIds: z.array(Id).max(200).optional() }).strict(),
    response: z.array(EvaluationInfoSchema),
  },
  'evals.get': {
    request: z.object({ evalId: Id }).strict(),
    response: z.object({ info: EvaluationInfoSchema, result: EvalResultSchema }),
  },
  /** The records an evaluation scored, optionally one confusion-matrix cell (class names), a page at a time. */
  'evals.records': {
    request: z
      .object({
        evalId: Id,
        trueClass: z.string().max(200).optional(),
        predClass: z.string().max(200).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    response: EvalRecordsPageSchema,
  },
  /** Rows of an evaluated dataset with every selected model's prediction: filtered, sorted, a page at a time. */
  'inspect.query': {
    request: InspectQuerySchema,
    response: z.object({ total: z.number().int(), rows: z.array(InspectRowSchema), classes: z.array(z.string()) }),
  },
  /** Why each model decided as it did on one record (or one URL): attributions and nearest training records. */
  'inspect.explain': {
    request: z
      .object({
        runIds: z.array(Id).min(1).max(8),
        datasetId: Id.optional(),
        row: z.number().int().min(0).optional(),
        text: z.string().min(1).max(4096).optional(),
        neighbours: z.number().int().min(0).max(50).default(5),
      })
      .strict(),
    response: ExplainResultSchema,
  },
  /** McNemar and paired bootstrap intervals for two evaluations of the same rows; the result is the job's. */
  'compare.start': {
    request: z
      .object({
        evalIdA: Id,
        evalIdB: Id,
        resamples: z.number().int().min(100).max(20_000).default(1000),
        seed: z.number().int().default(42),
      })
      .strict(),
    response: JobStarted,
  },
  /** One queued run per architecture; each streams job.progress with loss / accuracy per batch and epoch. */
  'train.start': {
    request: TrainRequestSchema,
    response: z.object({ runs: z.array(z.object({ runId: z.string(), jobId: z.string() })) }),
  },
  /**
   * A hyperparameter sweep: trials (ordinary runs, tagged with the sweep) run one after another as a job;
   * weak ones are stopped at ASHA rungs; the best is chosen on the validation split, never the test set.
   */
  'sweep.start': { request: SweepRequestSchema, response: z.object({ sweepId: z.string(), jobId: z.string() }) },
  'sweeps.list': { request: Empty, response: z.array(SweepInfoSchema) },
  'sweeps.get': { request: z.object({ sweepId: Id }).strict(), response: SweepDetailSchema },
  /** Forgets the sweep (cancelling it if it runs); its trials stay as ordinary runs. */
  'sweeps.delete': { request: z.object({ sweepId: Id }).strict(), response: z.object({ deleted: z.boolean() }) },
  /** A 2-D map (UMAP / t-SNE) of a run's character embeddings or last hidden layer over a seeded, stratified sample. */
  'embed.start': { request: EmbedRequestSchema, response: z.object({ jobId: z.string(), mapId: z.string() }) },
  'embed.get': { request: z.object({ mapId: Id }).strict(), response: EmbeddingMapSchema },
  'embed.list': { request: z.object({ runId: Id.optional() }).strict(), response: z.array(EmbeddingSummarySchema) },
  'embed.delete': { request: z.object({ mapId: Id }).strict(), response: z.object({ deleted: z.boolean() }) },
  /**
   * Writes the run's model as an ONNX file (opset 17: `input` → `probabilities`, class names and the character
   * or record encoding in its metadata) into the workspace's exports folder; the job's result names the file.
   */
  'runs.exportOnnx': { request: z.object({ runId: Id }).strict(), response: z.object({ jobId: z.string(), path: z.string() }) },
  /**
   * A new run combining stored runs that read the same encoded input and predict the same classes: the mean
   * of their probabilities, a validation-weighted mean (weights ∝ 1 / validation log-loss), or a logistic
   * regression stacked on their validation predictions. The job loads the members and fits the combiner.
   */
  'ensemble.create': {
    request: z
      .object({
        runIds: z.array(Id).min(2).max(8),
        method: z.enum(['mean', 'weighted', 'stack']).default('mean'),
        name: z.string().min(1).max(200).optional(),
      })
      .strict(),
    response: z.object({ runId: z.string(), jobId: z.string() }),
  },
  /**
   * Writes a scoring bundle of the run into `dir` (default: the workspace's exports folder): model.onnx, the
   * encoding as data (encoding.json), a Python scorer that reproduces the encoding exactly, a Ray Data job and
   * a README. An existing folder must be empty or hold an earlier bundle.
   */
  'runs.exportBundle': {
    request: z.object({ runId: Id, dir: z.string().min(1).max(4096).optional() }).strict(),
    response: z.object({ jobId: z.string(), dir: z.string() }),
  },
  /** A scan's results with verdicts and suppressions: the triage work queue (order 'uncertain' = nearest the threshold first). */
  'triage.items': { request: TriageQuerySchema, response: TriagePageSchema },
  /** Sets (verdict null: clears) the analyst's verdict on items; a verdict belongs to the item, in every scan. */
  'verdicts.set': {
    request: z
      .object({
        items: z.array(z.object({ item: z.string().min(1).max(8192), kind: ItemKindSchema, score: z.number().min(0).max(1).optional() }).strict()).min(1).max(5000),
        verdict: VerdictSchema.nullable(),
        note: z.string().max(10_000).optional(),
        scanId: Id.optional(),
        runId: Id.optional(),
      })
      .strict(),
    response: z.object({ count: z.number().int() }),
  },
  /** The verdicts stored for the given items (those without one are absent). */
  'verdicts.get': {
    request: z.object({ items: z.array(z.string().min(1).max(8192)).min(1).max(5000) }).strict(),
    response: z.array(VerdictRowSchema),
  },
  'verdicts.list': {
    request: z
      .object({
        verdict: VerdictSchema.optional(),
        kind: ItemKindSchema.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    response: z.object({ total: z.number().int(), rows: z.array(VerdictRowSchema) }),
  },
  /** Suppression rules: later scans mark matching results (kept, counted under the rule), never drop them. */
  'rules.list': { request: Empty, response: z.array(RuleSchema) },
  'rules.add': {
    request: z
      .object({ kind: RuleKindSchema, pattern: z.string().min(1).max(4096), note: z.string().max(2000).optional(), applyTo: Id.optional() })
      .strict(),
    response: RuleSchema,
  },
  'rules.update': {
    request: z
      .object({ ruleId: Id, kind: RuleKindSchema.optional(), pattern: z.string().min(1).max(4096).optional(), note: z.string().max(2000).optional(), enabled: z.boolean().optional() })
      .strict(),
    response: RuleSchema,
  },
  'rules.delete': { request: z.object({ ruleId: Id }).strict(), response: z.object({ deleted: z.boolean() }) },
  /** Re-applies the current rules to a stored scan; returns how many results changed. */
  'rules.apply': { request: z.object({ scanId: Id }).strict(), response: z.object({ changed: z.number().int() }) },
  /**
   * Retrain with verdicts: the run's training rows plus the verdict-labelled items as a new dataset (encoded
   * like the run's), a new run with the old settings, and both runs evaluated on the verdict set afterwards.
   */
  'retrain.start': {
    request: z
      .object({
        runId: Id,
        epochs: z.number().int().min(1).max(1000).optional(),
        /** Initialise the new run from the old run's saved weights (same architecture and encoding) instead of from scratch. */
        fromWeights: z.boolean().optional(),
      })
      .strict(),
    response: z.object({
      runId: z.string(),
      jobId: z.string(),
      datasetId: z.string(),
      verdictDatasetId: z.string().nullable(),
      testDatasetId: z.string().nullable(),
      trainRows: z.number().int(),
      verdictRows: z.number().int(),
      relabelled: z.number().int(),
    }),
  },
  /** The items confirmed malicious, as CSV, JSON or a STIX 2.1 bundle of indicators (the text of the file). */
  'indicators.export': {
    request: z.object({ format: z.enum(['csv', 'json', 'stix']) }).strict(),
    response: z.object({ filename: z.string(), mime: z.string(), count: z.number().int(), content: z.string() }),
  },
  /** Continues an interrupted run from its last epoch-end checkpoint, in the same run, up to `epochs`. */
  'runs.resume': {
    request: z.object({ runId: Id, epochs: z.number().int().min(1).max(100_000).optional(), testDatasetId: Id.optional() }).strict(),
    response: z.object({ runId: z.string(), jobId: z.string() }),
  },
  'runs.delete': {
    request: z.object({ runId: Id }).strict(),
    response: z.object({ deleted: z.boolean() }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type Operations = typeof operations;
export type OpName = keyof Operations;
/** What a caller passes (defaults not yet applied). */
export type OpRequest<K extends OpName> = z.input<Operations[K]['request']>;
/** What a handler receives (after validation and defaults). */
export type OpParsedRequest<K extends OpName> = z.output<Operations[K]['request']>;
export type OpResponse<K extends OpName> = z.output<Operations[K]['response']>;

export const events = {
  'job.progress': JobProgressSchema,
  'job.updated': JobInfoSchema,
  'datasets.changed': z.object({}),
  'runs.changed': z.object({}),
  'scans.changed': z.object({}),
  'sweeps.changed': z.object({}),
  'verdicts.changed': z.object({}),
  'rules.changed': z.object({}),
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
