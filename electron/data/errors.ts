/** Bad input: always names the file, and the line when one is involved. */
export class DataError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
  constructor(file: string, line: number | undefined, reason: string) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'DataError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** A file with no line to read rows from (empty, only blank or comment lines, only a header): a multi-file import can leave it out. */
export class NoDataError extends DataError {}

/** Thrown when the caller's AbortSignal fires; `name` is 'AbortError' like fetch/streams. */
export class DataAbortError extends Error {
  constructor(file: string) {
    super(`${file}: import cancelled`);
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new DataAbortError(file);
}

/** Printable preview of a bad line for reports (never the whole 1 MiB). */
export function preview(text: string, max = 120): string {
  const cut = text.length > max ? text.slice(0, max) + '…' : text;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
