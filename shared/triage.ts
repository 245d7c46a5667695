import { z } from 'zod';

export const VerdictSchema = z.enum(['malicious', 'benign', 'unsure']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** What a verdict is about: a URL, a domain name, or one record of a dataset (`record:<datasetId>:<row id>`). */
export const ItemKindSchema = z.enum(['url', 'domain', 'record', 'conn']);
export type ItemKind = z.infer<typeof ItemKindSchema>;

export const VerdictRowSchema = z.object({
  item: z.string(),
  kind: ItemKindSchema,
  verdict: VerdictSchema,
  note: z.string(),
  updatedAt: z.number(),
  /** Where it was decided, and the score the item had there (context for the analyst; not a key). */
  scanId: z.string().nullable(),
  runId: z.string().nullable(),
  score: z.number().nullable(),
});
export type VerdictRow = z.infer<typeof VerdictRowSchema>;

export const RuleKindSchema = z.enum(['exact', 'registered', 'prefix', 'regex', 'conn']);
export type RuleKind = z.infer<typeof RuleKindSchema>;

export const RuleSchema = z.object({
  id: z.string(),
  kind: RuleKindSchema,
  pattern: z.string(),
  note: z.string(),
  enabled: z.boolean(),
  createdAt: z.number(),
});
export type Rule = z.infer<typeof RuleSchema>;

/** A scan result with what the analyst and the rules said about it. */
export const TriageItemSchema = z.object({
  item: z.string(),
  score: z.number(),
  count: z.number().int(),
  file: z.string(),
  line: z.number().int(),
  verdict: VerdictSchema.nullable(),
  note: z.string(),
  suppressedBy: z.string().nullable(),
  /** With order 'disagree': the second model's score for the same item (its scan of the same files). */
  otherScore: z.number().nullable().optional(),
});
export type TriageItem = z.infer<typeof TriageItemSchema>;

export const TriageQuerySchema = z
  .object({
    scanId: z.string().min(1).max(200),
    /**
     * 'score': highest first; 'uncertain': nearest the scan's threshold first (the verdicts that teach most);
     * 'disagree': where two models differ most first (|p1 − p2|, needs otherScanId: a scan of the same files
     * by another run; items scored by both only).
     */
    order: z.enum(['score', 'uncertain', 'disagree']).default('score'),
    otherScanId: z.string().min(1).max(200).optional(),
    /** 'open': no verdict yet (the work queue); 'any': everything. */
    verdict: z.enum(['any', 'open', 'malicious', 'benign', 'unsure']).default('any'),
    suppressed: z.enum(['hide', 'show', 'only']).default('hide'),
    minScore: z.number().min(0).max(1).default(0),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(5000).default(200),
  })
  .strict();

export const TriagePageSchema = z.object({
  total: z.number().int(),
  rows: z.array(TriageItemSchema),
  /**
   * Flagged (at the scan's threshold), not suppressed, and without a verdict: what is left to triage. With
   * order 'disagree': items both models scored, flagged by either at its scan's threshold, not suppressed, undecided.
   */
  remaining: z.number().int(),
  /** Results each rule suppressed in this scan, by rule id. */
  suppressedByRule: z.record(z.string(), z.number().int()),
});
export type TriagePage = z.infer<typeof TriagePageSchema>;

/** One indicator the analyst confirmed malicious, as exported. */
export const IndicatorSchema = z.object({ value: z.string(), kind: ItemKindSchema, note: z.string(), updatedAt: z.number(), score: z.number().nullable() });
export type Indicator = z.infer<typeof IndicatorSchema>;
