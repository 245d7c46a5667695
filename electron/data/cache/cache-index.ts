import fs from 'node:fs';
import { readCacheHeader, type CacheHeader, type Section } from './cache-file';

/** Everything about a cached dataset's rows except the features: cheap enough to read on the main side. */
export interface CacheIndex {
  header: CacheHeader;
  labels: Int32Array | null;
  lines: Uint32Array;
  rawOffsets: Float64Array | null;
  /** Multi-file datasets only: row i came from header.sources[sourceIdx[i]]. */
  sourceIdx: Uint32Array | null;
}

/** The row's id, `${file}:${line}`, for single- and multi-file datasets alike. */
export function indexRowId(index: CacheIndex, i: number): string {
  const h = index.header;
  if (index.sourceIdx && h.sources) return `${h.sources[index.sourceIdx[i]]}:${index.lines[i]}`;
  return `${h.sourceName}:${index.lines[i]}`;
}

function readSectionSync(fd: number, s: Section): ArrayBuffer {
  const ab = new ArrayBuffer(s.bytes);
  const u = new Uint8Array(ab);
  let done = 0;
  while (done < s.bytes) {
    const n = fs.readSync(fd, u, done, Math.min(s.bytes - done, 64 << 20), s.offset + done);
    if (n === 0) throw new Error('cache file is truncated');
    done += n;
  }
  return ab;
}

export async function readCacheIndex(filePath: string): Promise<CacheIndex> {
  const header = await readCacheHeader(filePath);
  const fd = fs.openSync(filePath, 'r');
  try {
    const s = header.sections;
    return {
      header,
      labels: s.labels ? new Int32Array(readSectionSync(fd, s.labels)) : null,
      lines: new Uint32Array(readSectionSync(fd, s.lines)),
      rawOffsets: s.rawOffsets ? new Float64Array(readSectionSync(fd, s.rawOffsets)) : null,
      sourceIdx: s.sourceIdx && header.sources ? new Uint32Array(readSectionSync(fd, s.sourceIdx)) : null,
    };
  } finally {
    fs.closeSync(fd);
  }
}
