import type { FeaturizerJSON } from './featurize';
import type { LabelEncoderJSON, LabelMode } from './labels';

export type FormatName = 'kdd99' | 'nsl-kdd' | 'csv' | 'zeek' | 'urls' | 'domains';

/** 'strict' throws DataError on the first bad line; 'lenient' skips it and reports it in the summary. */
export type ErrorMode = 'strict' | 'lenient';

export interface Progress {
  phase: 'read' | 'fit' | 'encode';
  /** For .gz files these are compressed bytes, so bytesRead / totalBytes is a true fraction. */
  bytesRead: number;
  totalBytes: number;
  lines: number;
  rows: number;
}

/**
 * Cancellation is an AbortSignal: it crosses the worker boundary easily (the worker owns an
 * AbortController and aborts it on a 'cancel' message) and composes with timeouts.
 * Checked between chunks (~1 MiB), so a cancel lands within milliseconds.
 */
export interface RunContext {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface ColumnSpec {
  name: string;
  type: 'numeric' | 'categorical';
}

export interface DatasetSchema {
  format: FormatName;
  kind: 'tabular' | 'text';
  textKind?: 'url' | 'domain';
  /** Feature columns (tabular only), in the order of DataRecord.values. */
  columns: ColumnSpec[];
  /** Where labels come from: a column name, 'fixed' (options.fixedLabel) or undefined (unlabelled). */
  labelSource?: string;
  /** 'kdd' = labels are KDD attack names mapped through the attack map. */
  taxonomy: 'kdd' | 'generic';
  metaColumns: string[];
}

export interface DataRecord {
  /** `${sourceName}:${line}` */
  id: string;
  /** 1-based physical line number (of the first line, for a quoted multi-line CSV record). */
  line: number;
  raw: string;
  /** Byte offset of the line in the decompressed content. */
  offset: number;
  /** Tabular: the numeric features, in schema.columns order of the numeric columns (NaN = missing). */
  num?: Float64Array;
  /** Tabular: the categorical features, in schema.columns order of the categorical columns. */
  cat?: string[];
  /** Tabular, convenience (allocates): all features aligned with schema.columns. */
  readonly values?: Array<number | string>;
  /** URL / domain text (trimmed). */
  text?: string;
  /** Raw label (KDD trailing '.' removed). */
  label?: string;
  meta?: Record<string, string | number>;
  /** The raw feature part (no label / difficulty / ids), used for duplicate detection. */
  key: string;
}

export interface ColumnOptions {
  /** Label column name (CSV / zeek). null = unlabelled even if a 'label' column exists. */
  label?: string | null;
  /** Feature columns (CSV / zeek). Default: all usable columns except label and meta. */
  features?: string[];
  /** Which of the feature columns are categorical. Default: detected from the first rows / zeek #types. */
  categorical?: string[];
}

export interface TextOptions {
  /** Default 75 for URLs, 64 for domains. */
  maxLength?: number;
  /** Which side is cut when too long: 'right' keeps the start, 'left' keeps the end. Default 'right' for URLs, 'left' for domains (keeps the TLD). */
  truncate?: 'left' | 'right';
  /** Remove a leading scheme (`http://`, `https://`, any `x://`) and then a leading `www.`. Default false. */
  stripScheme?: boolean;
}

export interface LabelOptions {
  mode?: LabelMode;
  /** KDD attack name → category; default = built-in DEFAULT_ATTACK_MAP. */
  attackMap?: Record<string, string>;
  /** Labels counted as benign in 'binary' mode and for the shortcut check (case-insensitive). */
  benign?: string[];
  /** Rows with these raw labels are skipped and counted in summary.labels.dropped (e.g. zeek 'Background'). */
  drop?: string[];
}

export interface ImportOptions {
  /** Overrides format detection. */
  format?: FormatName;
  /** Prefix of row ids; default = file base name. */
  sourceName?: string;
  /** Default 'lenient'. */
  errors?: ErrorMode;
  columns?: ColumnOptions;
  /** Label for every row of a file without a label column (e.g. a DGA family file). */
  fixedLabel?: string;
  labels?: LabelOptions;
  /** Numeric scaling when fitting; default 'log1p-zscore'. */
  scaling?: 'minmax' | 'log1p-zscore';
  /** Cap per categorical column (most frequent kept, the rest go to the unknown bucket). Default 256. */
  maxCategories?: number;
  text?: TextOptions;
  /** Apply these instead of fitting (test sets, scans). */
  featurizer?: FeaturizerJSON;
  labelEncoder?: LabelEncoderJSON;
  /** Default 20. */
  maxMalformedExamples?: number;
  /** Default 0.9. */
  shortcutThreshold?: number;
}
