import { z } from 'zod';

const Id = z.string().min(1).max(200);

export const EmbedMethodSchema = z.enum(['umap', 'tsne']);
export type EmbedMethod = z.infer<typeof EmbedMethodSchema>;

/** What gets projected: the learned character vectors of a character model, or a layer's view of a dataset. */
export const EmbedSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chars') }).strict(),
  z.object({ kind: z.literal('dataset'), datasetId: Id }).strict(),
]);
export type EmbedSource = z.infer<typeof EmbedSourceSchema>;

/** Exact t-SNE neighbour search is quadratic; beyond this it takes minutes on a laptop. */
export const TSNE_MAX_POINTS = 20_000;
export const EMBED_MAX_POINTS = 50_000;

export const EmbedRequestSchema = z
  .object({
    runId: Id,
    source: EmbedSourceSchema,
    method: EmbedMethodSchema.default('umap'),
    /** Records drawn from the dataset, stratified by class (ignored for character embeddings). */
    sampleSize: z.number().int().min(10).max(EMBED_MAX_POINTS).default(5000),
    /** Seeds both the sample and the projection: same run, dataset, size and seed → the same map. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  })
  .strict();
export type EmbedRequest = z.input<typeof EmbedRequestSchema>;

export const EmbedPointSchema = z.object({
  x: z.number(),
  y: z.number(),
  /** Dataset label; for character embeddings the character's kind (letter, digit, …). */
  trueLabel: z.string().nullable(),
  /** Null for character embeddings (a character has no prediction). */
  predicted: z.string().nullable(),
  confidence: z.number().nullable(),
  /** Dataset row index (the Inspect view's row); for characters, the vocabulary id. */
  row: z.number().int(),
  /** Dataset row id (`source:line`); null for characters. */
  id: z.string().nullable(),
  char: z.string().nullable(),
  /** A short form of the record (URL, domain, the start of a log line) for hover and lists. */
  text: z.string(),
});
export type EmbedPoint = z.infer<typeof EmbedPointSchema>;

export const EmbeddingSummarySchema = z.object({
  mapId: z.string(),
  runId: z.string(),
  modelId: z.string(),
  method: EmbedMethodSchema,
  seed: z.number().int(),
  /** The size asked for; `count` is what the dataset could give. */
  sampleSize: z.number().int(),
  count: z.number().int(),
  source: z.object({ kind: z.enum(['chars', 'dataset']), datasetId: z.string().nullable(), datasetName: z.string().nullable() }),
  /** What was projected, e.g. "dense_3 (1024 units, the layer before the output)". */
  layer: z.string(),
  /** Width of the projected vectors before any PCA pre-reduction. */
  dims: z.number().int(),
  /** Mean share of each point's 5 nearest 2-D neighbours with its true label: how well the map keeps classes apart. */
  neighbourAgreement: z.number().nullable(),
  createdAt: z.number(),
});
export type EmbeddingSummary = z.infer<typeof EmbeddingSummarySchema>;

export const EmbeddingMapSchema = EmbeddingSummarySchema.extend({
  classes: z.array(z.string()),
  points: z.array(EmbedPointSchema),
});
export type EmbeddingMap = z.infer<typeof EmbeddingMapSchema>;
