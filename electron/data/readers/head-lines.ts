import { DataError } from '../errors';

function nonTextRatio(b: Buffer): number {
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) bad++;
  }
  return b.length ? bad / b.length : 0;
}

/** Throws when the head looks binary; a stray NUL on one line is left to the line reader. */
export function assertText(file: string, head: Buffer): void {
  const r = nonTextRatio(head);
  if (r > 0.02) throw new DataError(file, undefined, `binary file: ${(r * 100).toFixed(1)}% control/NUL bytes in the first ${head.length} bytes`);
  let hi = 0;
  for (let i = 0; i < head.length; i++) if (head[i] >= 0x80) hi++;
  if (head.length && hi / head.length > 0.3 && !head.toString('utf8').includes('\n')) {
    throw new DataError(file, undefined, `binary file: ${Math.round((hi / head.length) * 100)}% high bytes and no line breaks`);
  }
}

/** The first non-blank lines of the head, for detection (an incomplete last line is left out). */
export function headLines(head: Buffer, complete: boolean, max = 40): string[] {
  const lines = head.toString('utf8').replace(/^\uFEFF/, '').split('\n');
  if (!complete) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '').slice(0, max);
}
