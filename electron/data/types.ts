import type { ColumnSpec, FeaturizerJSON } from './featurize';
import type { LabelEncoderJSON, LabelMode } from './labels/label-encoder';

export type FormatName = 'kdd99' | 'nsl-kdd' | 'csv' | 'zeek' | 'urls' | 'domains' | 'zeek-behaviour';

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

export interface DatasetSchema {
  format: FormatName;
  kind: 'tabular' | 'text';
  textKind?: 'url' | 'domain' | 'behaviour';
  /** Set when the encoder cuts the public suffix of each domain (summaries then describe the cut text). */
  textCut?: 'public-suffix';
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
  /**
   * Domains: cut the public suffix (`mail.example.co.uk` → `mail.example`) and a leading `www.`, so a
   * model cannot learn the TLD instead of the name. Applied by the encoder (so scans and free-text
   * explanations get the same cut). Default false.
   */
  stripPublicSuffix?: boolean;
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
  /** 'zeek-behaviour' only: thresholds of the Stratosphere letters and the tuple label rule. */
  behaviour?: BehaviourOptions;
}

/** See docs/behaviour-letters.md; every field defaults to the Stratosphere value (readers/behaviour-letters.ts DEFAULT_THRESHOLDS). */
export interface BehaviourOptions {
  thresholds?: Partial<BehaviourThresholds>;
  /**
   * How a 4-tuple gets one label from its flows' labels. 'any-malicious' (default): malicious as soon as
   * one flow is not benign and not dropped (a single C&C flow makes the tuple malicious behaviour);
   * otherwise benign if any flow is benign; otherwise the most common label. 'majority': the most common
   * label among flows whose label is not in labels.drop (ties go to the non-benign label), else the most common.
   */
  labelRule?: 'any-malicious' | 'majority';
  /** Flows kept per tuple in the raw JSON line shown by Inspect (the string itself is never cut here). Default 1000. */
  maxFlowsInRaw?: number;
}

export interface BehaviourThresholds {
  /** Periodicity: TD = max(T1,T2)/min(T1,T2); TD ≤ tt1 strong periodic, < tt2 weak periodic, < tt3 weak non-periodic, else strong non-periodic. */
  tt1: number;
  tt2: number;
  tt3: number;
  /** Duration (seconds): ≤ td1 short, ≤ td2 medium, else long. */
  td1: number;
  td2: number;
  /** Size (total IP bytes, both directions): ≤ ts1 small, ≤ ts2 medium, else large. */
  ts1: number;
  ts2: number;
  /** Time-difference symbols (seconds): ≤ t1 '.', ≤ t2 ',', ≤ t3 '+', ≤ timeout '*', else one '0' per full timeout (at most maxZeros). */
  t1: number;
  t2: number;
  t3: number;
  timeout: number;
  maxZeros: number;
}
