import { z } from 'zod';

export const ScanStatsSchema = z.object({
  /** Lines read across all files (headers included). */
  lines: z.number().int(),
  /** Distinct URLs scored. */
  scanned: z.number().int(),
  /** Lines whose URL was already scored in this scan (counted on the first occurrence, not scored again). */
  duplicates: z.number().int(),
  skipped: z.object({ empty: z.number().int(), notUrl: z.number().int(), tooLong: z.number().int(), binary: z.number().int() }),
  /** Time spent scanning over all sessions of this scan (resumes add up). */
  elapsedMs: z.number(),
  urlsPerSecond: z.number(),
  /** What scored the URLs in the latest session (onnxruntime or a tf.js backend, with why). Absent on older scans. */
  engine: z.string().optional(),
});
export type ScanStats = z.infer<typeof ScanStatsSchema>;

/** interrupted: the process scanning died; the results so far are kept and the scan resumes from its cursor. */
export const ScanStatusSchema = z.enum(['queued', 'running', 'done', 'cancelled', 'failed', 'interrupted']);

export const ScanInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  runId: z.string().nullable(),
  modelId: z.string().nullable(),
  status: ScanStatusSchema,
  createdAt: z.number(),
  files: z.array(z.string()),
  threshold: z.number(),
  stats: ScanStatsSchema,
  /** Where a resume continues: file index and last stored line. */
  cursor: z.object({ file: z.number().int(), line: z.number().int() }),
  /** Flagged at the threshold and not suppressed. */
  flagged: z.number().int(),
  /** Results a suppression rule marked (kept and listed under the rule, never dropped). */
  suppressed: z.number().int(),
  jobId: z.string().nullable(),
  error: z.string().nullable(),
});
export type ScanInfo = z.infer<typeof ScanInfoSchema>;

/** The model's ROC on a labelled split, to turn a threshold into the false-positive rate to expect. */
export const OperatingCurveSchema = z.object({
  split: z.string(),
  thresholds: z.array(z.number().nullable()),
  fpr: z.array(z.number()),
  tpr: z.array(z.number()),
});
export type OperatingCurve = z.infer<typeof OperatingCurveSchema>;

export const ScanResultRowSchema = z.object({
  url: z.string(),
  score: z.number(),
  count: z.number().int(),
  file: z.string(),
  line: z.number().int(),
  /** The analyst's verdict on this item (from any scan), and the rule that suppressed it here. */
  verdict: z.enum(['malicious', 'benign', 'unsure']).nullable(),
  suppressedBy: z.string().nullable(),
});
export type ScanResultRow = z.infer<typeof ScanResultRowSchema>;

/** Whether a run's model reads the chosen files, and why not (the Scan view's model picker). */
export const ScanModelFitSchema = z.object({ runId: z.string(), fits: z.boolean(), reason: z.string().nullable() });
export type ScanModelFit = z.infer<typeof ScanModelFitSchema>;

export const ScanResultDetailSchema = z.object({
  item: z.string(),
  file: z.string(),
  line: z.number().int(),
  /** A conn 4-tuple's behaviour record, as the zeek-behaviour importer writes a raw line (shared/behaviour-flows.ts); null otherwise. */
  record: z.string().nullable(),
});
export type ScanResultDetail = z.infer<typeof ScanResultDetailSchema>;
