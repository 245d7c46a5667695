import type { DatasetSchema } from '../types';

export interface ParsedRow {
  cat?: string[];
  text?: string;
  label?: string;
  meta?: Record<string, string | number>;
  key: string;
}

/** Turns one line of a known layout into a row, or a reason string when the line is malformed. */
export interface RowParser {
  schema: DatasetSchema;
  /** Header / comment lines that are not data. */
  skip(text: string, lineNo: number): boolean;
  /** True when a quoted field continues on the next line (CSV only). */
  incomplete?(text: string): boolean;
  /** Numeric features are written to num[at ...] (the caller owns the batch buffer). */
  parse(text: string, num: Float64Array, at: number): ParsedRow | string;
}

/** The reason for a cell that should hold a number. */
export function numericError(i: number, name: string, s: string): string {
  return `field ${i + 1} (${name}): "${s.length > 40 ? s.slice(0, 40) + '…' : s}" is not a number`;
}
