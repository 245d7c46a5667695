import { isUtf8 } from 'node:buffer';
import { DataError } from '../errors';
import { readZeekHeader } from './zeek-header';

/**
 * The first bytes of a file cut into lines the way the line reader will read them: readable lines go to
 * detection, unreadable ones (a NUL or control byte, invalid UTF-8) are what a pass will skip as malformed.
 * Judging line by line keeps a list with a few junk lines readable, and still refuses a binary file.
 */
export interface HeadScan {
  /** The first readable non-blank lines (at most `max`), '\r' and a BOM removed. */
  lines: string[];
  /** The physical line number of each of `lines`. */
  numbers: number[];
  /** Complete lines seen, and how many of them are blank or unreadable. */
  total: number;
  blank: number;
  unreadable: number;
  /** Bytes of the readable non-blank lines and of the unreadable lines. */
  textBytes: number;
  unreadableBytes: number;
  /** A non-blank line that starts in the head and runs past its end (only when the head is not the whole content). */
  open?: { line: number; bytes: number };
}

/** A C0 control byte other than tab, CR or ESC (ANSI colours in logs), or DEL: text files hold none of them. */
function hasControl(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c < 32 && c !== 9 && c !== 13 && c !== 27) || c === 127) return true;
  }
  return false;
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

/** `line0`: lines of the content before the head (a head read past an over-long line); the BOM is looked for only at 0. */
export function scanHead(head: Buffer, complete: boolean, max = 40, line0 = 0): HeadScan {
  const out: HeadScan = { lines: [], numbers: [], total: 0, blank: 0, unreadable: 0, textBytes: 0, unreadableBytes: 0 };
  let s = line0 === 0 && head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (s < head.length) {
    let e = head.indexOf(10, s);
    const last = e < 0;
    if (last) e = head.length;
    let line = head.subarray(s, e);
    if (last && !complete) {
      if (!isBlank(line)) out.open = { line: line0 + out.total + 1, bytes: line.length };
      break;
    }
    out.total++;
    if (line.length && line[line.length - 1] === 13) line = line.subarray(0, -1);
    if (isBlank(line)) out.blank++;
    else if (hasControl(line) || !isUtf8(line)) {
      out.unreadable++;
      out.unreadableBytes += line.length;
    } else {
      out.textBytes += line.length;
      const t = line.toString('utf8');
      if (out.lines.length < max && t.trim() !== '') {
        out.lines.push(t);
        out.numbers.push(line0 + out.total);
      }
    }
    s = e + 1;
  }
  return out;
}

function controlShare(b: Buffer): number {
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) bad++;
  }
  return b.length ? bad / b.length : 0;
}

/**
 * Throws when the head looks binary: more bytes on unreadable lines than on readable ones, or high bytes
 * and no line break. A few junk lines among text lines are left to the line reader to skip and count.
 */
export function assertText(file: string, head: Buffer, scan: HeadScan = scanHead(head, false)): void {
  if (scan.unreadable > 0 && scan.unreadableBytes >= scan.textBytes) {
    throw new DataError(
      file,
      undefined,
      `binary file: ${(controlShare(head) * 100).toFixed(1)}% control/NUL bytes in the first ${head.length} bytes, ${scan.unreadable} of ${scan.total} lines unreadable`,
    );
  }
  let hi = 0;
  for (let i = 0; i < head.length; i++) if (head[i] >= 0x80) hi++;
  if (head.length && hi / head.length > 0.3 && !head.includes(10)) {
    throw new DataError(file, undefined, `binary file: ${Math.round((hi / head.length) * 100)}% high bytes and no line breaks`);
  }
}

/** The first readable non-blank lines of the head, for detection (an incomplete last line is left out). */
export function headLines(head: Buffer, complete: boolean, max = 40): string[] {
  return scanHead(head, complete, max).lines;
}

/**
 * How many of the first lines are `#` comments above a header or the data (a feed's licence, a generator's
 * note). A Zeek log's `#separator` / `#fields` lines are its header, never comments.
 */
export function leadingComments(lines: string[]): number {
  if (readZeekHeader(lines)) return 0;
  let n = 0;
  while (n < lines.length && lines[n].trimStart().startsWith('#')) n++;
  return n;
}

/**
 * Why a head gave no line to detect a format from: an empty file, a first line longer than the head, only
 * blank lines, or (complete, one line) a header with no data under it. undefined = there are lines.
 */
export function noLinesReason(head: Buffer, scan: HeadScan, complete: boolean): string | undefined {
  if (head.length === 0) return 'file is empty (0 bytes)';
  if (scan.lines.length === 0 && scan.open) return `line ${scan.open.line} is longer than ${scan.open.bytes} bytes, the read-ahead that detects the format`;
  if (scan.lines.length === 0 && scan.unreadable === 0) {
    return complete ? `no data rows: the file's ${scan.total} line${scan.total === 1 ? ' is' : 's are all'} blank` : `no data rows in the first ${head.length} bytes: only blank lines`;
  }
  return undefined;
}
