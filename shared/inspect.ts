import { z } from 'zod';

export const FeatureAttributionSchema = z.object({
  feature: z.string(),
  /** The record's value for this column, decoded back from its encoding. */
  value: z.string(),
  /** Training range (min … max) for numeric columns. */
  range: z.string().nullable(),
  /** Contribution to the probability of the predicted class (positive pushes towards it). */
  attribution: z.number(),
});

export const ModelExplanationSchema = z.object({
  runId: z.string(),
  modelId: z.string(),
  classes: z.array(z.string()),
  proba: z.array(z.number()),
  predicted: z.string(),
  method: z.enum(['integrated-gradients', 'occlusion']),
  /** Records: one entry per original column, strongest first. */
  features: z.array(FeatureAttributionSchema),
  /** Character models: per-character saliency (drop in the predicted class when the character is removed). */
  chars: z.array(z.object({ char: z.string(), saliency: z.number() })),
  /** Integrated gradients: Σ attributions vs f(x) − f(baseline). */
  completeness: z.object({ sum: z.number(), expected: z.number() }).nullable(),
  /** Set when this model's attributions could not be computed: its probabilities still stand, the other models' explanations too. */
  error: z.string().optional(),
  /**
   * Ensembles: each member's own probabilities and its part in the ensemble's predicted class. Mean and
   * weighted: weight × the member's probability (the parts sum to the ensemble's probability). Stack: the
   * member's term in the stacker's logit for that class minus its mean term for the other classes.
   */
  ensemble: z
    .object({
      method: z.enum(['mean', 'weighted', 'stack']),
      members: z.array(z.object({ runId: z.string(), modelId: z.string(), weight: z.number(), proba: z.array(z.number()), predicted: z.string(), share: z.number() })),
    })
    .optional(),
});
export type ModelExplanation = z.infer<typeof ModelExplanationSchema>;

export const ExplainResultSchema = z.object({
  record: z.object({ id: z.string().nullable(), raw: z.string(), trueLabel: z.string().nullable() }),
  /** Character models: the string as the model saw it (scheme stripped, truncated). */
  modelInput: z.string().nullable(),
  models: z.array(ModelExplanationSchema),
  neighbours: z.array(
    z.object({ row: z.number().int(), id: z.string(), label: z.string().nullable(), distance: z.number(), raw: z.string() }),
  ),
});
export type ExplainResult = z.infer<typeof ExplainResultSchema>;

export const InspectRowSchema = z.object({
  row: z.number().int(),
  id: z.string(),
  trueLabel: z.string().nullable(),
  /** One entry per selected evaluation, in request order; null where that model did not score the row. */
  preds: z.array(z.object({ label: z.string(), confidence: z.number() }).nullable()),
});
export type InspectRow = z.infer<typeof InspectRowSchema>;

export const InspectQuerySchema = z
  .object({
    datasetId: z.string().min(1).max(200),
    evalIds: z.array(z.string().min(1).max(200)).min(1).max(8),
    trueClass: z.string().max(200).optional(),
    /** Predicted class of the evaluation named by `by` (default the first). */
    predClass: z.string().max(200).optional(),
    by: z.number().int().min(0).max(7).default(0),
    misclassified: z.boolean().default(false),
    disagree: z.boolean().default(false),
    minConfidence: z.number().min(0).max(1).default(0),
    maxConfidence: z.number().min(0).max(1).default(1),
    /** Only these dataset rows (a selection made on the embedding map). */
    rows: z.array(z.number().int().min(0)).max(5000).optional(),
    /** Substring of the raw line (a field value, an IP, a service name). */
    search: z.string().max(500).optional(),
    /** 'row' | 'true' | 'pred' | 'conf' (the latter two of evaluation `by`). */
    sort: z.enum(['row', 'true', 'pred', 'conf']).default('row'),
    descending: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(2000).default(200),
  })
  .strict();
export type InspectQuery = z.input<typeof InspectQuerySchema>;
