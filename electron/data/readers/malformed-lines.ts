import { DataError, preview } from '../errors';
import type { ErrorMode } from '../types';

export interface MalformedLine {
  line: number;
  reason: string;
  text: string;
}

/** Bad lines: counted, the first few kept as examples; in strict mode the first one throws. */
export class MalformedLog {
  count = 0;
  readonly examples: MalformedLine[] = [];
  constructor(
    private readonly file: string,
    private readonly mode: ErrorMode,
    private readonly max: number,
  ) {}
  add(line: number, reason: string, text: string): void {
    if (this.mode === 'strict') throw new DataError(this.file, line, reason);
    this.count++;
    if (this.examples.length < this.max) this.examples.push({ line, reason, text: preview(text) });
  }
}
