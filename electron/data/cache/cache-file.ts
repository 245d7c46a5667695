import fs from 'node:fs';
import os from 'node:os';
import { AtomicFile } from '../files/atomic-file';

/**
 * Encoded-dataset cache file, little-endian:
 *   0..7   magic "DTCACHE1"
 *   8..15  u64 offset of the JSON header
 *   16..19 u32 byte length of the JSON header
 *   32..   sections (each 8-byte aligned): features (rows × cols, row-major), labels, line numbers,
 *          raw-line offsets; then the JSON header (CacheHeader) describing them.
 * The header goes last so features can be streamed without knowing the row count up front.
 */
const MAGIC = 'DTCACHE1';
const PRELUDE = 32;

export type FeatureDType = 'float32' | 'int32';
export interface Section {
  offset: number;
  bytes: number;
  dtype: 'float32' | 'int32' | 'uint32' | 'float64';
}

export interface CacheHeader {
  format: 'deeptriage-encoded';
  version: 1;
  sourceName: string;
  rows: number;
  cols: number;
  dtype: FeatureDType;
  classes: string[];
  sections: { features: Section; labels?: Section; lines: Section; rawOffsets?: Section; sourceIdx?: Section };
  /** Several input files (importManyToCache): row i came from sources[sourceIdx[i]]. */
  sources?: string[];
  /** Free-form JSON stored alongside (featurizer, label encoder, summary digest...). */
  meta: Record<string, unknown>;
}

export interface EncodedData {
  sourceName: string;
  rows: number;
  cols: number;
  dtype: FeatureDType;
  features: Float32Array | Int32Array;
  /** Class indices into `classes`; -1 = a label the encoder does not know. null = unlabelled. */
  labels: Int32Array | null;
  classes: string[];
  /** Row i has id `${sourceName}:${lines[i]}`. */
  lines: Uint32Array;
  /** Byte offset of row i's raw line in the raw-lines file, when one was written. */
  rawOffsets?: Float64Array;
  /** Several input files: row i has id `${sources[sourceIdx[i]]}:${lines[i]}` instead. */
  sources?: string[];
  sourceIdx?: Uint32Array;
}

/** The row's id, `${file}:${line}`; use this rather than sourceName, which is not the file of a multi-file dataset. */
export function rowId(d: Pick<EncodedData, 'sourceName' | 'lines' | 'sources' | 'sourceIdx'>, i: number): string {
  if (d.sources && d.sourceIdx) return `${d.sources[d.sourceIdx[i]]}:${d.lines[i]}`;
  return `${d.sourceName}:${d.lines[i]}`;
}

function assertLE(): void {
  if (os.endianness() !== 'LE') throw new Error('cache files are little-endian; big-endian hosts are not supported');
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Streams feature rows to disk; the file becomes visible under its name only on finish(). */
export class CacheWriter {
  private pos = PRELUDE;
  private rows = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly file: AtomicFile,
    readonly cols: number,
    readonly dtype: FeatureDType,
  ) {}

  static async create(finalPath: string, cols: number, dtype: FeatureDType): Promise<CacheWriter> {
    assertLE();
    const f = await AtomicFile.create(finalPath);
    await f.fh.write(Buffer.alloc(PRELUDE), 0, PRELUDE, 0);
    return new CacheWriter(f, cols, dtype);
  }

  /** Appends whole rows (the array is copied, so the caller may reuse it). */
  async append(rows: Float32Array | Int32Array, count = rows.length / this.cols): Promise<void> {
    const part = bytesOf(rows.subarray(0, count * this.cols));
    this.pending.push(new Uint8Array(part));
    this.pendingBytes += part.byteLength;
    this.rows += count;
    if (this.pendingBytes >= 8 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    for (const p of this.pending) {
      await this.file.fh.write(p, 0, p.byteLength, this.pos);
      this.pos += p.byteLength;
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async section(a: ArrayBufferView, dtype: Section['dtype']): Promise<Section> {
    this.pos = Math.ceil(this.pos / 8) * 8;
    const s: Section = { offset: this.pos, bytes: a.byteLength, dtype };
    if (a.byteLength) await this.file.fh.write(bytesOf(a), 0, a.byteLength, this.pos);
    this.pos += a.byteLength;
    return s;
  }

  async finish(info: {
    sourceName: string;
    classes: string[];
    labels: Int32Array | null;
    lines: Uint32Array;
    rawOffsets?: Float64Array;
    sources?: string[];
    sourceIdx?: Uint32Array;
    meta?: Record<string, unknown>;
  }): Promise<CacheHeader> {
    try {
      await this.flush();
      if (info.lines.length !== this.rows) throw new Error(`cache: ${this.rows} feature rows but ${info.lines.length} line numbers`);
      const features: Section = { offset: PRELUDE, bytes: this.rows * this.cols * 4, dtype: this.dtype };
      const labels = info.labels ? await this.section(info.labels, 'int32') : undefined;
      const lines = await this.section(info.lines, 'uint32');
      const rawOffsets = info.rawOffsets ? await this.section(info.rawOffsets, 'float64') : undefined;
      if (info.sourceIdx && info.sourceIdx.length !== this.rows) throw new Error(`cache: ${this.rows} feature rows but ${info.sourceIdx.length} source indices`);
      const sourceIdx = info.sourceIdx && info.sources ? await this.section(info.sourceIdx, 'uint32') : undefined;
      const header: CacheHeader = {
        format: 'deeptriage-encoded',
        version: 1,
        sourceName: info.sourceName,
        rows: this.rows,
        cols: this.cols,
        dtype: this.dtype,
        classes: info.classes,
        sections: { features, labels, lines, rawOffsets, ...(sourceIdx ? { sourceIdx } : {}) },
        ...(sourceIdx ? { sources: info.sources } : {}),
        meta: info.meta ?? {},
      };
      const json = Buffer.from(JSON.stringify(header));
      const hOff = this.pos;
      await this.file.fh.write(json, 0, json.length, hOff);
      const pre = Buffer.alloc(PRELUDE);
      pre.write(MAGIC, 0, 'latin1');
      pre.writeBigUInt64LE(BigInt(hOff), 8);
      pre.writeUInt32LE(json.length, 16);
      await this.file.fh.write(pre, 0, PRELUDE, 0);
      await this.file.commit();
      return header;
    } catch (e) {
      await this.file.abort();
      throw e;
    }
  }

  async abort(): Promise<void> {
    await this.file.abort();
  }
}

export async function writeCache(finalPath: string, d: EncodedData, meta?: Record<string, unknown>): Promise<CacheHeader> {
  const w = await CacheWriter.create(finalPath, d.cols, d.dtype);
  await w.append(d.features, d.rows);
  return w.finish({ sourceName: d.sourceName, classes: d.classes, labels: d.labels, lines: d.lines, rawOffsets: d.rawOffsets, sources: d.sources, sourceIdx: d.sourceIdx, meta });
}

export async function readCacheHeader(filePath: string): Promise<CacheHeader> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    return await headerOf(fh, filePath);
  } finally {
    await fh.close();
  }
}

async function headerOf(fh: fs.promises.FileHandle, filePath: string): Promise<CacheHeader> {
  const pre = Buffer.alloc(PRELUDE);
  await fh.read(pre, 0, PRELUDE, 0);
  if (pre.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${filePath}: not a DeepTriage cache file`);
  const off = Number(pre.readBigUInt64LE(8));
  const len = pre.readUInt32LE(16);
  const json = Buffer.alloc(len);
  await fh.read(json, 0, len, off);
  return JSON.parse(json.toString('utf8')) as CacheHeader;
}

async function readSection(fh: fs.promises.FileHandle, s: Section): Promise<ArrayBuffer> {
  // A fresh ArrayBuffer per section keeps typed-array alignment regardless of file layout.
  const ab = new ArrayBuffer(s.bytes);
  const u = new Uint8Array(ab);
  let done = 0;
  while (done < s.bytes) {
    const { bytesRead } = await fh.read(u, done, Math.min(s.bytes - done, 64 << 20), s.offset + done);
    if (bytesRead === 0) throw new Error('cache file is truncated');
    done += bytesRead;
  }
  return ab;
}

export async function readCache(filePath: string): Promise<EncodedData & { header: CacheHeader }> {
  assertLE();
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const h = await headerOf(fh, filePath);
    const fb = await readSection(fh, h.sections.features);
    return {
      header: h,
      sourceName: h.sourceName,
      rows: h.rows,
      cols: h.cols,
      dtype: h.dtype,
      classes: h.classes,
      features: h.dtype === 'float32' ? new Float32Array(fb) : new Int32Array(fb),
      labels: h.sections.labels ? new Int32Array(await readSection(fh, h.sections.labels)) : null,
      lines: new Uint32Array(await readSection(fh, h.sections.lines)),
      rawOffsets: h.sections.rawOffsets ? new Float64Array(await readSection(fh, h.sections.rawOffsets)) : undefined,
      ...(h.sections.sourceIdx && h.sources ? { sources: h.sources, sourceIdx: new Uint32Array(await readSection(fh, h.sections.sourceIdx)) } : {}),
    };
  } finally {
    await fh.close();
  }
}

/** The raw line at a byte offset of a raw-lines file (up to the next LF, CR stripped, ≤ 1 MiB). */
export async function readRawLine(rawPath: string, offset: number): Promise<string> {
  const fh = await fs.promises.open(rawPath, 'r');
  try {
    const chunks: Buffer[] = [];
    let pos = offset;
    for (let total = 0; total <= 1 << 20; ) {
      const b = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(b, 0, b.length, pos);
      if (bytesRead === 0) break;
      const nl = b.subarray(0, bytesRead).indexOf(10);
      if (nl >= 0) {
        chunks.push(b.subarray(0, nl));
        break;
      }
      chunks.push(b.subarray(0, bytesRead));
      pos += bytesRead;
      total += bytesRead;
    }
    const s = Buffer.concat(chunks).toString('utf8');
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  } finally {
    await fh.close();
  }
}
