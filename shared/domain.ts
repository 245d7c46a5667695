import { z } from 'zod';

export const BackendNameSchema = z.enum(['node-gpu', 'node', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendNameSchema>;

export const BackendAttemptSchema = z.object({
  name: BackendNameSchema,
  ok: z.boolean(),
  error: z.string().optional(),
});

export const BackendInfoSchema = z.object({
  name: BackendNameSchema,
  /** The TF.js backend id actually active ('tensorflow', 'wasm', 'cpu'). */
  tfBackend: z.string(),
  reason: z.string(),
  override: z.string().optional(),
  attempts: z.array(BackendAttemptSchema),
  tfVersion: z.string(),
  simd: z.boolean().optional(),
  threads: z.number().int().optional(),
  /** wasm only: which heavy kernels (matrix products, convolutions, sums) run natively, or why not. */
  nativeKernels: z.string().optional(),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

export const JobKindSchema = z.enum(['probe', 'benchmark', 'import', 'train', 'eval', 'compare', 'scan', 'explain', 'embed', 'export', 'ensemble', 'sweep', 'bundle', 'retrain']);
export type JobKind = z.infer<typeof JobKindSchema>;

export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobProgressSchema = z.object({
  jobId: z.string(),
  kind: JobKindSchema,
  /** 0..1 where the total is known. */
  fraction: z.number().min(0).max(1).optional(),
  message: z.string().optional(),
  /** Kind-specific figures (epoch, loss, rows/s, ...), kept open so each job can stream what it measures. */
  metrics: z.record(z.string(), z.number()).optional(),
  etaSeconds: z.number().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobInfoSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  title: z.string(),
  status: JobStatusSchema,
  createdAt: z.number(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  progress: JobProgressSchema.optional(),
  error: z.string().optional(),
  result: z.unknown().optional(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

export const WorkspaceInfoSchema = z.object({
  dir: z.string(),
  dbPath: z.string(),
  schemaVersion: z.number().int(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

export const AppInfoSchema = z.object({
  name: z.literal('DeepTriage'),
  version: z.string(),
  transport: z.enum(['electron', 'host', 'cli']),
  workspace: WorkspaceInfoSchema,
  platform: z.string(),
  cpus: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const ModelFamilySchema = z.enum(['records', 'sequences']);
export const ModelInfoSchema = z.object({
  id: z.string(),
  family: ModelFamilySchema,
  kind: z.enum(['deep', 'baseline']),
  description: z.string(),
  defaults: z.record(z.string(), z.unknown()),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const BenchmarkResultSchema = z.object({
  backend: z.string(),
  size: z.number().int(),
  repeats: z.number().int(),
  gflops: z.number(),
  millis: z.number(),
});
export type BenchmarkResult = z.infer<typeof BenchmarkResultSchema>;

export const DatasetRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.string(),
  kind: z.enum(['tabular', 'text']),
  sourcePath: z.string().nullable(),
  createdAt: z.number(),
  rows: z.number().int(),
  /** Rows per class (KDD categories, or the label values). */
  classes: z.record(z.string(), z.number()),
  malformed: z.number().int(),
  warnings: z.number().int(),
  encodedLike: z.string().nullable(),
});
export type DatasetRow = z.infer<typeof DatasetRowSchema>;

export const RunRowSchema = z.object({
  id: z.string(),
  /** The analyst's name for the run, or the default from its settings (defaultRunName in run.ts). */
  name: z.string(),
  datasetId: z.string().nullable(),
  modelId: z.string(),
  status: z.string(),
  createdAt: z.number(),
  params: z.unknown(),
  metrics: z.unknown().optional(),
  backend: z.string().optional(),
  wallMs: z.number().optional(),
  testAccuracy: z.number().nullable(),
  /** Where testAccuracy was measured: a random validation split of the training file is not a test set. */
  accuracySplit: z.enum(['official-test', 'file', 'random-split']).nullable().optional(),
  tags: z.array(z.string()),
  note: z.string(),
  datasetName: z.string().nullable(),
});
export type RunRow = z.infer<typeof RunRowSchema>;

export const PresetSchema = z.object({
  /** 'nsl-kdd-5class' | 'nsl-kdd-binary' | 'kdd99' | 'urls' | 'dga' */
  task: z.string(),
  label: z.string(),
  modelId: z.string(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
});
export type Preset = z.infer<typeof PresetSchema>;
