import { DataError, preview } from '../errors';
import type { ErrorMode } from '../types';

export interface MalformedLine {
  line: number;
  reason: string;
  text: string;
}

/** Lines a pass leaves out that are not bad: blank lines, the header row, comment lines. */
export type QuietSkip = 'blank' | 'header' | 'comment';

/** A bad line's reason as a kind to count by (line numbers, columns and values left out). */
export function reasonKind(reason: string): string {
  if (reason.includes('NUL byte')) return 'NUL byte (binary data)';
  if (reason.includes('invalid UTF-8')) return 'invalid UTF-8';
  if (reason.includes('control character')) return 'control character';
  if (reason.includes('longer than')) return 'line too long';
  if (/comma-separated fields|fields, got/.test(reason)) return 'wrong number of fields';
  if (reason.includes('is not a number')) return 'not a number';
  if (reason.startsWith('unknown label')) return 'unknown label';
  if (/quot/i.test(reason)) return 'CSV quoting';
  return reason.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
}

/**
 * Lines above the first line detection read, which a pass leaves out: an over-long first line skipped in lenient
 * mode (malformed), and blank and `#` comment lines above a header or the data (quiet).
 */
export interface LeadLines {
  /** Physical line number of the first line detection read (the header, or the first data line). */
  until: number;
  tooLong?: { line: number; reason: string };
}

/** True when line n is a lead line, counted as such; unreadable lines are the caller's, as anywhere else. */
export function skipLead(log: MalformedLog, lead: LeadLines | undefined, n: number, text: string): boolean {
  if (!lead || n >= lead.until) return false;
  if (lead.tooLong?.line === n) log.add(n, lead.tooLong.reason, text);
  else log.skip(text.trim() === '' ? 'blank' : 'comment');
  return true;
}

/** Bad lines: counted (in all and by kind), the first few kept as examples; in strict mode the first one throws. */
export class MalformedLog {
  count = 0;
  readonly examples: MalformedLine[] = [];
  readonly byKind: Record<string, number> = {};
  /** Lines left out that are not bad, by kind. */
  readonly quiet: Record<QuietSkip, number> = { blank: 0, header: 0, comment: 0 };
  constructor(
    private readonly file: string,
    private readonly mode: ErrorMode,
    private readonly max: number,
  ) {}
  add(line: number, reason: string, text: string): void {
    if (this.mode === 'strict') throw new DataError(this.file, line, reason);
    this.count++;
    const kind = reasonKind(reason);
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (this.examples.length < this.max) this.examples.push({ line, reason, text: preview(text) });
  }
  skip(kind: QuietSkip): void {
    this.quiet[kind]++;
  }
}
