import { z } from 'zod';

export const FormatNameSchema = z.enum(['kdd99', 'nsl-kdd', 'csv', 'zeek', 'urls', 'domains', 'zeek-behaviour']);
export type FormatName = z.infer<typeof FormatNameSchema>;
export const LabelModeSchema = z.enum(['5class', 'binary', 'attack']);

/** Stratosphere behaviour-letter thresholds; each defaults to the Stratosphere value (docs/behaviour-letters.md). */
export const BehaviourThresholdsSchema = z
  .object({
    tt1: z.number().min(0), tt2: z.number().min(0), tt3: z.number().min(0),
    td1: z.number().min(0), td2: z.number().min(0),
    ts1: z.number().min(0), ts2: z.number().min(0),
    t1: z.number().min(0), t2: z.number().min(0), t3: z.number().min(0), timeout: z.number().positive(),
    maxZeros: z.number().int().min(0).max(1000),
  })
  .partial()
  .strict();

/** One file of a multi-file import (several paths → one dataset): its label when it has no label column, its own row cap. */
export const ImportInputSchema = z
  .object({
    path: z.string().min(1).max(4096),
    fixedLabel: z.string().max(200).optional(),
    maxRows: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict();
export type ImportInput = z.infer<typeof ImportInputSchema>;

/** What the analyst chooses at import; everything optional has a sensible default per format. */
export const ImportOptionsSchema = z
  .object({
    format: z.union([z.literal('auto'), FormatNameSchema]).default('auto'),
    errors: z.enum(['strict', 'lenient']).default('lenient'),
    labelMode: LabelModeSchema.optional(),
    /** CSV / zeek: the label column (null = unlabelled) and the feature columns. */
    labelColumn: z.string().max(200).nullable().optional(),
    featureColumns: z.array(z.string().max(200)).max(10_000).optional(),
    categoricalColumns: z.array(z.string().max(200)).max(10_000).optional(),
    /** Every row gets this label (a DGA family file, a benign list). */
    fixedLabel: z.string().max(200).optional(),
    dropLabels: z.array(z.string().max(200)).max(100).optional(),
    benignLabels: z.array(z.string().max(200)).max(100).optional(),
    /** KDD attack name → category, merged over the built-in map (e.g. a new attack name, or a re-filed one). */
    attackMap: z.record(z.string().min(1).max(100), z.enum(['normal', 'dos', 'probe', 'r2l', 'u2r'])).optional(),
    scaling: z.enum(['minmax', 'log1p-zscore']).optional(),
    maxLength: z.number().int().min(4).max(4096).optional(),
    truncate: z.enum(['left', 'right']).optional(),
    stripScheme: z.boolean().optional(),
    /** Domains: cut the public suffix and a leading www. (mail.example.co.uk → mail.example). */
    stripPublicSuffix: z.boolean().optional(),
    /** Several files: keep at most this many rows per file (seeded uniform sample). */
    maxRowsPerFile: z.number().int().min(1).max(100_000_000).optional(),
    sampleSeed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    /** 'zeek-behaviour': how a 4-tuple's flows' labels become its label (docs/behaviour-letters.md). */
    behaviourLabelRule: z.enum(['any-malicious', 'majority']).optional(),
    behaviourThresholds: BehaviourThresholdsSchema.optional(),
    /** Encode with another dataset's fitted featurizer and classes (a test set for that training set). */
    encodeLike: z.string().max(200).optional(),
  })
  .strict();
export type ImportOptionsInput = z.input<typeof ImportOptionsSchema>;
export type ImportOptionsParsed = z.output<typeof ImportOptionsSchema>;

export const MalformedLineSchema = z.object({ line: z.number(), reason: z.string(), text: z.string() });

export const ShortcutSchema = z.object({
  feature: z.string(),
  auc: z.number(),
  pure: z
    .object({ cls: z.string(), side: z.string(), threshold: z.number(), fraction: z.number() })
    .optional(),
  sampled: z.number(),
});

/** How an import read its file: format, header, the text and label columns, lines left out by reason. */
export const ReadReportSchema = z.object({
  format: FormatNameSchema,
  header: z.boolean(),
  columns: z.number().int(),
  text: z.string().nullable(),
  label: z.string().nullable(),
  skipped: z.record(z.string(), z.number()),
});
export type ReadReport = z.infer<typeof ReadReportSchema>;

/** One line on how a file was read: "read as urls, no header, 2 columns: URL column 1 (url), label column 2 (label); skipped 2 blank". */
export function describeRead(r: ReadReport): string {
  const what = r.format === 'domains' ? 'domain' : r.format === 'urls' ? 'URL' : 'text';
  const cols = [r.text ? `${what} ${r.text}` : '', r.label ? `label ${r.label}` : 'unlabelled'].filter(Boolean).join(', ');
  const skipped = Object.entries(r.skipped).map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`);
  return `read as ${r.format}, ${r.header ? 'header row' : 'no header'}, ${r.columns} column${r.columns === 1 ? '' : 's'}: ${cols}; skipped ${skipped.length ? skipped.join(', ') : 'nothing'}`;
}

/** Mirrors the data layer's summary; loose so a newer engine can add fields without breaking an older view. */
export const DatasetSummarySchema = z.looseObject({
  source: z.string(),
  file: z.string(),
  format: FormatNameSchema,
  kind: z.enum(['tabular', 'text']),
  gzip: z.boolean(),
  bytes: z.number(),
  lines: z.number(),
  rows: z.number(),
  labels: z
    .looseObject({
      source: z.string(),
      mode: LabelModeSchema,
      raw: z.record(z.string(), z.number()),
      categories: z.record(z.string(), z.number()),
      unknown: z.record(z.string(), z.number()),
      unseen: z.record(z.string(), z.number()),
      dropped: z.record(z.string(), z.number()),
    })
    .nullable(),
  duplicates: z.object({ rows: z.number(), distinct: z.number() }),
  numeric: z.array(z.object({ name: z.string(), min: z.number().nullable(), max: z.number().nullable(), mean: z.number().nullable(), missing: z.number() })),
  categorical: z.array(z.looseObject({ name: z.string(), cardinality: z.number(), capped: z.boolean(), top: z.array(z.tuple([z.string(), z.number()])) })),
  text: z.object({ minLength: z.number(), maxLength: z.number(), meanLength: z.number() }).nullable(),
  malformed: z.object({ count: z.number(), examples: z.array(MalformedLineSchema) }),
  shortcuts: z.array(ShortcutSchema),
  warnings: z.array(z.string()),
  /** How the file was read (absent in datasets imported before it existed). */
  read: ReadReportSchema.optional(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

export const DatasetDetailSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: FormatNameSchema,
  sourcePath: z.string().nullable(),
  createdAt: z.number(),
  rows: z.number().int(),
  cols: z.number().int(),
  kind: z.enum(['tabular', 'text']),
  classes: z.array(z.string()),
  /** Set when this dataset was encoded with another dataset's featurizer. */
  encodedLike: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  summary: DatasetSummarySchema,
});
export type DatasetDetail = z.infer<typeof DatasetDetailSchema>;

export const SampleRowSchema = z.object({ row: z.number().int(), id: z.string(), label: z.string().nullable(), raw: z.string() });
export type SampleRow = z.infer<typeof SampleRowSchema>;

export const ImportResultSchema = z.object({ datasetId: z.string(), rows: z.number().int(), malformed: z.number().int() });
