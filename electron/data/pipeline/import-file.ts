import { DataError } from '../errors';
import { CharSeqEncoder, TabularFitter, type Featurizer } from '../featurize';
import { LabelState } from '../labels/label-state';
import { Grow } from '../primitives/growable-array';
import { openDataset } from '../readers/open-dataset';
import type { DatasetReader } from '../readers/reader';
import { SummaryBuilder } from '../summary/dataset-summary';
import type { ImportOptions, RunContext } from '../types';
import { cacheFiles, cacheSections, finishCacheImport, withRawFile, writeCacheFile } from './cache-output';
import { encodedResult, estimateRows, makeFeaturizer, summarize, whyNoRows } from './import-steps';
import type { CacheImportResult, ImportResult } from './import-result';
import { KddCodedRows } from './kdd-coded-rows';
import { RecordRows } from './record-rows';
import type { Pass, RowForm } from './row-form';

/**
 * The import pipeline for one file: read (the reader's passes) → label (LabelState) → featurize (fit,
 * then encode) → summarize (SummaryBuilder) → the result in memory or a cache folder. Every format runs
 * through it; the KDD readers' byte batches are a faster form of the same rows.
 */

/** The KDD byte path when the reader offers it and the features are tabular, else records. */
function rowForm(r: DatasetReader, featurizer: Featurizer | undefined): RowForm {
  return r.coded && !(featurizer instanceof CharSeqEncoder) ? new KddCodedRows(r) : new RecordRows(r);
}

/**
 * Reads, checks, summarises and encodes one file in memory (one pass; tabular fitting keeps raw
 * columns as Float64 until the fit is known, ~8 bytes per numeric cell). Raw lines are not kept in
 * memory: with options.rawLinesPath the decompressed content is copied there and encoded.rawOffsets
 * index it. Worker-friendly: plain data in and out, progress via ctx.onProgress, cancel via ctx.signal.
 */
export async function importFile(filePath: string, options: ImportOptions & { rawLinesPath?: string } = {}, ctx: RunContext = {}): Promise<ImportResult> {
  const r = await openDataset(filePath, options, ctx);
  const cap = estimateRows(r);
  const labels = new LabelState(r, options, cap);
  const given = makeFeaturizer(r, options);
  const form = rowForm(r, given);
  const summary = new SummaryBuilder(r.schema);
  const fitter = given ? undefined : new TabularFitter(r.schema.columns, options.scaling, options.maxCategories);
  if (fitter) form.keepForFit(fitter, cap);
  const out = given ? (given instanceof CharSeqEncoder ? new Grow(Int32Array, cap, given.dim) : new Grow(Float32Array, cap, given.dim)) : undefined;
  const lines = new Grow(Uint32Array, cap);
  const offsets = options.rawLinesPath ? new Grow(Float64Array, cap) : undefined;

  await withRawFile(options.rawLinesPath, async (raw) => {
    const p: Pass = { phase: 'read', copyTo: raw?.fh, report: true, labels, summary, fitter, featurizer: given };
    for await (const b of form.pass(p)) {
      for (let i = 0; i < b.n; i++) {
        if (!b.accept(i)) continue;
        b.summarize(i);
        if (out) {
          // next() may swap in a larger buffer, so it runs before out.buf is read.
          const at = out.next();
          b.encode(i, out.buf, at);
        } else b.keep(i);
        lines.push(b.line(i));
        offsets?.push(b.offset(i));
      }
    }
    form.endPass(p);
  });
  const rows = lines.length;
  if (rows === 0) throw new DataError(r.source.file, undefined, whyNoRows(r, summary));
  ctx.onProgress?.({ phase: 'encode', bytesRead: r.source.totalBytes, totalBytes: r.source.totalBytes, lines: r.state.lines, rows });
  const { f, features } = fitter ? form.encodeKept(fitter, rows) : { f: given!, features: out!.view() };
  return encodedResult(r, summary, labels, options, f, { features, lines, offsets });
}

/**
 * Streaming import for inputs too large to hold encoded in memory: pass 1 fits and summarises,
 * pass 2 encodes straight into outDir/encoded.dtc in ~4 MiB blocks. Memory: the featurizer, the
 * summary, and 16 bytes per row (label, line number, raw offset).
 * A character featurizer or a given featurizer needs no fit, so those take a single pass.
 */
export async function importToCache(filePath: string, outDir: string, options: ImportOptions = {}, ctx: RunContext = {}): Promise<CacheImportResult> {
  const r = await openDataset(filePath, options, ctx);
  const cap = estimateRows(r);
  const labels = new LabelState(r, options, cap);
  const given = makeFeaturizer(r, options);
  const form = rowForm(r, given);
  const summary = new SummaryBuilder(r.schema);
  const lines = new Grow(Uint32Array, cap);
  const offsets = new Grow(Float64Array, cap);
  const files = await cacheFiles(outDir);

  let featurizer = given;
  let lab: ReturnType<LabelState['finish']> | undefined;
  await withRawFile(files.rawLinesPath, async (raw) => {
    if (!featurizer) {
      const fitter = new TabularFitter(r.schema.columns, options.scaling, options.maxCategories);
      const p: Pass = { phase: 'fit', copyTo: raw!.fh, report: true, labels, summary, fitter };
      for await (const b of form.pass(p)) {
        for (let i = 0; i < b.n; i++) {
          if (!b.accept(i)) continue;
          b.summarize(i);
          b.fit(i);
          lines.push(b.line(i));
          offsets.push(b.offset(i));
        }
      }
      form.endPass(p);
      if (lines.length === 0) throw new DataError(r.source.file, undefined, whyNoRows(r, summary));
      featurizer = form.finishFit(fitter);
    }
    const f = featurizer;
    const firstPass = f === given;
    await writeCacheFile(files.cachePath, f, async (out) => {
      const p: Pass = {
        phase: firstPass ? 'read' : 'encode',
        copyTo: firstPass ? raw!.fh : undefined,
        report: firstPass,
        labels: firstPass ? labels : new LabelState(r, options, 0),
        summary: firstPass ? summary : undefined,
        featurizer: f,
      };
      for await (const b of form.pass(p)) {
        for (let i = 0; i < b.n; i++) {
          if (!b.accept(i)) continue;
          if (firstPass) {
            b.summarize(i);
            lines.push(b.line(i));
            offsets.push(b.offset(i));
          } else if (lines.buf[out.rows] !== b.line(i)) {
            throw new DataError(r.source.file, b.line(i), 'file changed between the fit and encode passes');
          }
          b.encode(i, out.buf, out.at);
          await out.next();
        }
      }
      form.endPass(p);
      if (firstPass && lines.length === 0) throw new DataError(r.source.file, undefined, whyNoRows(r, summary));
      if (out.rows !== lines.length) throw new DataError(r.source.file, undefined, `file changed between passes (${lines.length} rows, then ${out.rows})`);
      lab = labels.finish();
      return cacheSections(r.sourceName, f, lab, lines, offsets);
    });
  });
  return finishCacheImport(outDir, files, summarize(r, summary, labels, options), featurizer!, lab!, lines.length);
}
