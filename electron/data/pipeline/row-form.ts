import type { Featurizer, TabularFeaturizer, TabularFitter } from '../featurize';
import type { RawSink } from '../files/line-source';
import type { LabelState } from '../labels/label-state';
import type { SummaryBuilder } from '../summary/dataset-summary';
import type { Progress } from '../types';

/**
 * The rows of an import in the form its reader hands them over: record objects (every format), or the
 * column-packed byte batches of the KDD readers (reader.coded). The import pipeline (import-file.ts) runs
 * the same steps on either; a form says how each step is done on its rows. record-rows.ts and
 * kdd-coded-rows.ts are the two forms.
 */
export interface RowForm {
  /** One pass over the file: batches of rows, each step applied per row by the caller. */
  pass(p: Pass): AsyncGenerator<RowBatch>;
  /** After a pass: statistics the form gathered on its own go to the summary (and the fitter, when fitting). */
  endPass(p: Pass): void;
  /** Fits the featurizer once a fitting pass is over (numeric statistics and category counts). */
  finishFit(fitter: TabularFitter): TabularFeaturizer;
  /** Fitting in memory, one pass: keeps what each kept row needs until the fit is known (RowBatch.keep). */
  keepForFit(fitter: TabularFitter, capacity: number): void;
  /** Fits on the kept rows and encodes them, row-major. */
  encodeKept(fitter: TabularFitter, rows: number): { f: TabularFeaturizer; features: Float32Array };
}

/** One pass and what it does besides labelling: summarise (first pass), fit (tabular, no featurizer given) or encode. */
export interface Pass {
  phase: Progress['phase'];
  /** Copy the decompressed content here (raw.txt): the first pass over a file. */
  copyTo?: RawSink;
  /** Report bad lines (the first pass; a repeat pass keeps the first pass's log). */
  report: boolean;
  labels: LabelState;
  /** Set on a pass that summarises its kept rows. */
  summary?: SummaryBuilder;
  /** false: accept() does not count rejected labels in the summary (a repeat pass already did). Default true. */
  countRejects?: boolean;
  /** Set on a fitting pass (its rows feed fit(); two-pass import) or with keepForFit (one pass in memory). */
  fitter?: TabularFitter;
  /** Set on an encoding pass. */
  featurizer?: Featurizer;
}

/** A batch of rows; `i` is 0 … n − 1. The steps, in the order the pipeline calls them. */
export interface RowBatch {
  readonly n: number;
  line(i: number): number;
  /** Byte offset of the row's line in the decompressed content. */
  offset(i: number): number;
  /** Label step: false = the row is dropped (a drop-listed or unknown label). */
  accept(i: number): boolean;
  summarize(i: number): void;
  fit(i: number): void;
  keep(i: number): void;
  /** Featurize step: row i into out[at ...] (zeros there). */
  encode(i: number, out: Float32Array | Int32Array, at: number): void;
}
