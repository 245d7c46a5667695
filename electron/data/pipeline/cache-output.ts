import fs from 'node:fs';
import path from 'node:path';
import { CacheWriter } from '../cache/cache-file';
import { AtomicFile, writeFileAtomic } from '../files/atomic-file';
import { TabularFeaturizer, type Featurizer } from '../featurize';
import type { FinishedLabels } from '../labels/label-state';
import type { Grow } from '../primitives/growable-array';
import type { DatasetSummary } from '../summary/dataset-summary';
import type { CacheImportResult } from './import-result';

/** What an import writes to its folder: the raw copy, the cache file in blocks, summary.json and featurizer.json. */

/** Runs `run` with raw.txt open (when a path is given); the file appears only if `run` succeeds. */
export async function withRawFile<T>(rawPath: string | undefined, run: (f: AtomicFile | undefined) => Promise<T>): Promise<T> {
  const f = rawPath ? await AtomicFile.create(rawPath) : undefined;
  try {
    const out = await run(f);
    await f?.commit();
    return out;
  } catch (e) {
    await f?.abort();
    throw e;
  }
}

/** Creates outDir; the cache and the decompressed copy of the input go there. */
export async function cacheFiles(outDir: string): Promise<{ cachePath: string; rawLinesPath: string }> {
  await fs.promises.mkdir(outDir, { recursive: true });
  return { cachePath: path.join(outDir, 'encoded.dtc'), rawLinesPath: path.join(outDir, 'raw.txt') };
}

/** Encoded rows gathered in ~4 MiB blocks, so a streaming import never holds the whole matrix. */
export class RowBlocks {
  readonly buf: Float32Array | Int32Array;
  /** Rows filled so far, over all blocks. */
  rows = 0;
  private n = 0;
  private readonly block: number;

  constructor(
    private readonly writer: CacheWriter,
    private readonly dim: number,
  ) {
    this.block = Math.max(1, Math.floor((4 << 20) / (4 * Math.max(1, dim))));
    this.buf = writer.dtype === 'float32' ? new Float32Array(this.block * dim) : new Int32Array(this.block * dim);
  }

  /** Where the next row goes in buf. */
  get at(): number {
    return this.n * this.dim;
  }

  /** The row at `at` is filled. */
  async next(): Promise<void> {
    this.rows++;
    if (++this.n === this.block) {
      await this.writer.append(this.buf, this.n);
      this.buf.fill(0);
      this.n = 0;
    }
  }

  async flush(): Promise<void> {
    if (this.n) await this.writer.append(this.buf, this.n);
  }
}

export type CacheSections = Parameters<CacheWriter['finish']>[0];

/**
 * Writes the cache file: `fill` encodes every row into the blocks and returns the sections that follow
 * the features. The half-written file is removed if anything throws.
 */
export async function writeCacheFile(cachePath: string, f: Featurizer, fill: (out: RowBlocks) => Promise<CacheSections>): Promise<void> {
  const writer = await CacheWriter.create(cachePath, f.dim, f instanceof TabularFeaturizer ? 'float32' : 'int32');
  try {
    const out = new RowBlocks(writer, f.dim);
    const sections = await fill(out);
    await out.flush();
    await writer.finish(sections);
  } catch (e) {
    await writer.abort();
    throw e;
  }
}

export function cacheSections(sourceName: string, f: Featurizer, lab: FinishedLabels, lines: Grow<Uint32Array>, offsets: Grow<Float64Array>): CacheSections {
  return {
    sourceName,
    classes: lab.encoder?.json.classes ?? [],
    labels: lab.labels,
    lines: lines.view(),
    rawOffsets: offsets.view(),
    meta: { featurizer: f.json, labelEncoder: lab.encoder?.json ?? null, source: sourceName },
  };
}

/** Writes summary.json and featurizer.json next to the cache; the cache import's result. */
export async function finishCacheImport(
  outDir: string,
  files: { cachePath: string; rawLinesPath: string },
  summary: DatasetSummary,
  f: Featurizer,
  lab: FinishedLabels,
  rows: number,
): Promise<CacheImportResult> {
  const labelEncoder = lab.encoder?.json ?? null;
  const summaryPath = path.join(outDir, 'summary.json');
  const featurizerPath = path.join(outDir, 'featurizer.json');
  await writeFileAtomic(summaryPath, JSON.stringify(summary, null, 1));
  await writeFileAtomic(featurizerPath, JSON.stringify({ featurizer: f.json, labelEncoder }, null, 1));
  return { summary, featurizer: f.json, labelEncoder, rows, cols: f.dim, ...files, summaryPath, featurizerPath };
}
