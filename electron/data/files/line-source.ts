import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { isAscii, isUtf8 } from 'node:buffer';
import { DataAbortError, DataError, preview } from '../errors';

export const MAX_LINE_BYTES = 1 << 20;

/** Where a pass copies the decompressed content (raw.txt): a FileHandle, or anything that appends bytes. */
export interface RawSink {
  write(data: Uint8Array): Promise<unknown>;
}
const READ_CHUNK = 1 << 20;

export interface SourceInfo {
  path: string;
  /** File base name, used in error messages. */
  file: string;
  gzip: boolean;
  /** On-disk size (compressed size for .gz). */
  totalBytes: number;
  /** Decompressed size estimate (gzip ISIZE trailer, exact below 4 GiB for one member). */
  contentBytes: number;
}

/** A physical line, or a line that could not be read as text (error set, text = printable preview). */
export interface LineItem {
  n: number;
  off: number;
  text: string;
  error?: string;
}

export interface ReadState {
  bytesRead: number;
  lines: number;
  /** Set when the file shrank or disappeared while it was read. */
  changed?: string;
}

export async function openSource(filePath: string): Promise<SourceInfo> {
  const file = path.basename(filePath);
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(filePath, 'r');
  } catch (e) {
    throw new DataError(file, undefined, `cannot open: ${(e as Error).message}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new DataError(file, undefined, 'not a regular file');
    const magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
    // Magic bytes, not the extension: renamed or extension-less gzip files are common in log dumps.
    const gzip = st.size >= 18 && magic[0] === 0x1f && magic[1] === 0x8b;
    let contentBytes = st.size;
    if (gzip) {
      const tail = Buffer.alloc(4);
      await fh.read(tail, 0, 4, st.size - 4);
      contentBytes = tail.readUInt32LE(0);
    }
    return { path: filePath, file, gzip, totalBytes: st.size, contentBytes };
  } finally {
    await fh.close();
  }
}

/** First bytes of the decompressed content, for format sniffing. */
export async function readHead(src: SourceInfo, maxBytes = 64 * 1024): Promise<Buffer> {
  return (await readHeadOf(src, maxBytes)).head;
}

/** The head and whether it is the whole content (its last line is then complete even without a final newline). */
export async function readHeadOf(src: SourceInfo, maxBytes = 64 * 1024): Promise<{ head: Buffer; complete: boolean }> {
  if (src.totalBytes === 0) return { head: Buffer.alloc(0), complete: true };
  const fh = await fs.promises.open(src.path, 'r');
  try {
    const want = src.gzip ? Math.min(src.totalBytes, 32 * 1024) : Math.min(src.totalBytes, maxBytes);
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, 0);
    const raw = buf.subarray(0, bytesRead);
    if (!src.gzip) return { head: raw, complete: bytesRead >= src.totalBytes };
    try {
      const out = await gunzipPrefix(raw, maxBytes + 1);
      return { head: out.subarray(0, maxBytes), complete: want >= src.totalBytes && out.length <= maxBytes };
    } catch (e) {
      throw new DataError(src.file, undefined, `corrupt gzip data: ${(e as Error).message}`);
    }
  } finally {
    await fh.close();
  }
}

/**
 * The file's content as one chunked stream, inflated when it is gzip; `file` keeps the raw byte count. A read
 * error on the file ends the inflater with it, so a consumer sees one error whichever side failed.
 */
function openContent(src: SourceInfo): { file: fs.ReadStream; stream: NodeJS.ReadableStream & AsyncIterable<Buffer>; close: () => void } {
  const file = fs.createReadStream(src.path, { highWaterMark: READ_CHUNK });
  if (!src.gzip) return { file, stream: file, close: () => file.destroy() };
  const gunzip = zlib.createGunzip({ chunkSize: READ_CHUNK });
  file.on('error', (e) => gunzip.destroy(e));
  file.pipe(gunzip);
  return {
    file,
    stream: gunzip,
    close: () => {
      file.destroy();
      gunzip.destroy();
    },
  };
}

/**
 * The head of the content after its first `skip` lines, for detection past an over-long first line; undefined
 * when those lines do not end within the first `limit` bytes (the search would read a huge line to its end).
 */
export async function readHeadAfter(src: SourceInfo, skip: number, maxBytes = 64 * 1024, limit = 64 << 20): Promise<{ head: Buffer; complete: boolean } | undefined> {
  const { stream, close } = openContent(src);
  let seen = 0;
  let searched = 0;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      let b = chunk as Buffer;
      if (seen < skip) {
        let at = -1;
        while (seen < skip) {
          const nl = b.indexOf(10, at + 1);
          if (nl < 0) break;
          at = nl;
          seen++;
        }
        if (seen < skip) {
          searched += b.length;
          if (searched > limit) return undefined;
          continue;
        }
        b = b.subarray(at + 1);
      }
      parts.push(b);
      size += b.length;
      if (size > maxBytes) break;
    }
  } catch (e) {
    throw new DataError(src.file, undefined, `corrupt or truncated gzip data (${(e as Error).message})`);
  } finally {
    close();
  }
  if (seen < skip) return undefined;
  const all = Buffer.concat(parts, size);
  return { head: all.subarray(0, maxBytes), complete: size <= maxBytes };
}

/**
 * Inflates a gzip prefix up to `limit` output bytes: a truncated prefix gives what it holds (SYNC_FLUSH), and a
 * small prefix of one huge compressible line stops at the limit instead of filling memory.
 */
function gunzipPrefix(raw: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(parts, size));
    };
    z.on('data', (c: Buffer) => {
      parts.push(c);
      size += c.length;
      if (size >= limit) {
        finish();
        z.destroy();
      }
    });
    z.on('end', finish);
    z.on('error', (e) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    });
    z.end(raw);
  });
}

function badLinePreview(b: Buffer): string {
  return preview(b.subarray(0, 200).toString('latin1'));
}

function classifyBytes(b: Buffer): string | undefined {
  const nul = b.indexOf(0);
  if (nul >= 0) return `NUL byte at column ${nul + 1} (binary data?)`;
  if (!isUtf8(b)) {
    let i = 0;
    // Locate the first offending byte for the report; the prefix up to it is valid ASCII/UTF-8 most of the time.
    while (i < b.length && b[i] < 0x80) i++;
    return `invalid UTF-8 near byte ${i + 1} of the line`;
  }
  return undefined;
}

/** Receives the decompressed content as blocks of whole lines, in file order. */
export interface LineSink {
  /**
   * `body` holds whole lines separated by '\n' (no final '\n'); its first line is number `line0 + 1` and
   * starts at byte `off` of the content. Returns how many lines the body holds.
   */
  lines(body: Buffer, line0: number, off: number): number;
  /** A line that could not be cut out at all (over 1 MiB with no end in the chunk). */
  bad(item: LineItem): void;
}

/**
 * One physical line of `body` as a LineItem: the same result whatever the rest of the body holds,
 * so byte-level readers can hand any line they do not take to the string path.
 */
export function lineItem(body: Buffer, s: number, e: number, n: number, off: number): LineItem {
  let end = e;
  if (end > s && body[end - 1] === 13) end--;
  const b = body.subarray(s, end);
  const err = e - s > MAX_LINE_BYTES ? `line longer than 1 MiB (${e - s} bytes)` : classifyBytes(b);
  if (err) return { n, off, text: badLinePreview(b), error: err };
  return { n, off, text: b.toString('utf8') };
}

/** Splits a body into LineItems (the string path). */
function splitBody(body: Buffer, lineNo: number, off: number, items: LineItem[]): number {
  const first = lineNo;
  if (body.indexOf(0) < 0 && isAscii(body)) {
    const parts = body.toString('latin1').split('\n');
    for (let i = 0; i < parts.length; i++) {
      let t = parts[i];
      const len = t.length;
      if (len > 0 && t.charCodeAt(len - 1) === 13) t = t.slice(0, -1);
      lineNo++;
      if (len > MAX_LINE_BYTES) items.push({ n: lineNo, off, text: preview(t), error: `line longer than 1 MiB (${len} bytes)` });
      else items.push({ n: lineNo, off, text: t });
      off += len + 1;
    }
    return lineNo - first;
  }
  let s = 0;
  for (;;) {
    let e = body.indexOf(10, s);
    const last = e < 0;
    if (last) e = body.length;
    items.push(lineItem(body, s, e, ++lineNo, off));
    off += e - s + 1;
    if (last) break;
    s = e + 1;
  }
  return lineNo - first;
}

/**
 * Splits the decompressed stream into lines, in batches (one per ~1 MiB chunk).
 * Memory stays bounded: at most one chunk plus one partial line (≤ 1 MiB) is held.
 * CRLF and a UTF-8 BOM are tolerated. Lines that are too long, hold NUL bytes or are not UTF-8
 * come back as items with `error` set so the caller can apply strict/lenient policy.
 */
export async function* readLines(
  src: SourceInfo,
  state: ReadState,
  opts: { signal?: AbortSignal; copyTo?: RawSink } = {},
): AsyncGenerator<LineItem[]> {
  let items: LineItem[] = [];
  const sink: LineSink = {
    lines: (body, line0, off) => splitBody(body, line0, off, items),
    bad: (it) => items.push(it),
  };
  for await (const _ of readBlocks(src, state, opts, sink)) {
    const out = items;
    items = [];
    yield out;
  }
}

/**
 * The chunking under readLines: feeds `sink` whole-line blocks, one or two per ~1 MiB chunk, and yields
 * after each chunk that delivered something (the caller drains what the sink collected).
 */
export async function* readBlocks(
  src: SourceInfo,
  state: ReadState,
  opts: { signal?: AbortSignal; copyTo?: RawSink },
  sink: LineSink,
): AsyncGenerator<void> {
  const { file, stream, close } = openContent(src);
  let carry: Buffer | null = null;
  let skipping = false;
  let lineNo = 0;
  let off = 0; // offset of the next unconsumed byte in the decompressed content
  let first = true;
  try {
    for await (const chunkAny of stream) {
      if (opts.signal?.aborted) throw new DataAbortError(src.file);
      let buf = chunkAny as Buffer;
      if (opts.copyTo) await opts.copyTo.write(buf);
      state.bytesRead = file.bytesRead;
      if (first) {
        first = false;
        if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
          buf = buf.subarray(3);
          off = 3;
        }
      }
      let delivered = false;
      if (skipping) {
        const nl = buf.indexOf(10);
        if (nl < 0) {
          off += buf.length;
          continue;
        }
        skipping = false;
        off += nl + 1;
        buf = buf.subarray(nl + 1);
      }
      if (carry) {
        // Only the line that straddles the chunk boundary is joined; the rest of the chunk is not copied.
        const nl = buf.indexOf(10);
        if (nl < 0) buf = Buffer.concat([carry, buf]);
        else {
          const joined = Buffer.concat([carry, buf.subarray(0, nl)]);
          lineNo += sink.lines(joined, lineNo, off);
          off += joined.length + 1;
          delivered = true;
          buf = buf.subarray(nl + 1);
        }
        carry = null;
      }
      const lastNl = buf.lastIndexOf(10);
      if (lastNl < 0) {
        if (buf.length > MAX_LINE_BYTES) {
          lineNo++;
          sink.bad({ n: lineNo, off, text: badLinePreview(buf), error: 'line longer than 1 MiB' });
          delivered = true;
          skipping = true;
          off += buf.length;
        } else if (buf.length) carry = buf;
      } else {
        lineNo += sink.lines(buf.subarray(0, lastNl), lineNo, off);
        off += lastNl + 1;
        delivered = true;
        if (lastNl + 1 < buf.length) carry = Buffer.from(buf.subarray(lastNl + 1));
      }
      state.lines = lineNo;
      if (delivered) yield;
    }
    if (carry && carry.length) {
      lineNo += sink.lines(carry, lineNo, off);
      state.lines = lineNo;
      yield;
    }
  } catch (e) {
    if (e instanceof DataError || e instanceof DataAbortError) throw e;
    const err = e as NodeJS.ErrnoException;
    const what = err.code === 'ENOENT' ? 'file vanished during read' : err.code?.startsWith('Z_') ? `corrupt or truncated gzip data (${err.message})` : `read failed: ${err.message}`;
    throw new DataError(src.file, lineNo + 1, what);
  } finally {
    close();
  }
  state.bytesRead = file.bytesRead;
  // On POSIX an unlinked or truncated file still reads to the end of what remains, so check after the fact.
  try {
    const st = await fs.promises.stat(src.path);
    if (file.bytesRead < src.totalBytes || st.size < src.totalBytes) {
      state.changed = `file shrank during read (${src.totalBytes} bytes at start, ${file.bytesRead} read, ${st.size} now)`;
    }
  } catch {
    state.changed = `file vanished during read (${file.bytesRead} of ${src.totalBytes} bytes read)`;
  }
}
