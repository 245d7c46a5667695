import { DataError } from '../errors';
import { CharSeqEncoder, TabularFeaturizer, TabularFitter } from '../featurize';
import type { CacheImportResult, ImportResult } from './import-result';
import { Grow } from '../primitives/growable-array';
import {
  LabelState,
  cacheFiles,
  cacheSections,
  encodedResult,
  estimateRows,
  finishCacheImport,
  makeFeaturizer,
  summarize,
  withRawFile,
  writeCacheFile,
} from './import-steps';
import { importFileKdd, importToCacheKdd } from './kdd-byte-import';
import { openDataset } from '../readers/open-dataset';
import { SummaryBuilder } from '../summary/dataset-summary';
import type { ImportOptions, Progress, RunContext } from '../types';

/** Raw numeric / categorical values kept column-wise while fitting, so the file is read only once. */
class ColumnStore {
  readonly num: Array<Grow<Float64Array> | undefined>;
  readonly codes: Array<Grow<Uint32Array> | undefined>;
  readonly dicts: Array<Map<string, number> | undefined>;
  constructor(private readonly fitter: TabularFitter, capacity: number) {
    const cols = fitter.columns;
    this.num = cols.map((c) => (c.type === 'numeric' ? new Grow(Float64Array, capacity) : undefined));
    this.codes = cols.map((c) => (c.type === 'categorical' ? new Grow(Uint32Array, capacity) : undefined));
    this.dicts = cols.map((c) => (c.type === 'categorical' ? new Map() : undefined));
  }
  push(num: Float64Array, cat: string[]): void {
    const ni = this.fitter.numIdx;
    for (let k = 0; k < num.length; k++) {
      const j = ni[k];
      this.num[j]!.push(num[k]);
      this.fitter.addNumeric(j, num[k]);
    }
    const ci = this.fitter.catIdx;
    for (let k = 0; k < cat.length; k++) {
      const j = ci[k];
      const x = cat[k];
      const d = this.dicts[j]!;
      let c = d.get(x);
      if (c === undefined) d.set(x, (c = d.size));
      this.codes[j]!.push(c);
    }
  }
  /** Fits the categorical part, then writes the encoded matrix column by column. */
  encode(rows: number): { f: TabularFeaturizer; out: Float32Array } {
    this.dicts.forEach((d, j) => {
      if (!d) return;
      const counts = new Float64Array(d.size);
      const codes = this.codes[j]!.view();
      for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
      for (const [k, c] of d) this.fitter.addCategory(j, k, counts[c]);
    });
    const f = this.fitter.finish();
    const dim = f.dim;
    const out = new Float32Array(rows * dim);
    // Row-major fill: one sequential sweep over the output instead of one strided sweep per column.
    const nums = this.fitter.numIdx.map((j) => this.num[j]!.view());
    const codes = this.fitter.catIdx.map((j) => this.codes[j]!.view());
    const slots = this.fitter.catIdx.map((j) => Int32Array.from(this.dicts[j]!.keys(), (key) => f.category(j, key)));
    const no = f.numOffsets;
    const co = f.catOffsets;
    for (let i = 0, base = 0; i < rows; i++, base += dim) {
      for (let k = 0; k < nums.length; k++) out[base + no[k]] = f.scale(k, nums[k][i]);
      for (let k = 0; k < codes.length; k++) out[base + co[k] + slots[k][codes[k][i]]] = 1;
    }
    this.num.fill(undefined);
    this.codes.fill(undefined);
    return { f, out };
  }
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
  if (r.coded && !(given instanceof CharSeqEncoder)) return importFileKdd(r, options, ctx, labels, given);
  const summary = new SummaryBuilder(r.schema);
  const fitter = given ? undefined : new TabularFitter(r.schema.columns, options.scaling, options.maxCategories);
  const store = fitter ? new ColumnStore(fitter, cap) : undefined;
  const dim = given ? given.dim : 0;
  const outF = given instanceof TabularFeaturizer ? new Grow(Float32Array, cap, dim) : undefined;
  const outI = given instanceof CharSeqEncoder ? new Grow(Int32Array, cap, dim) : undefined;
  const lines = new Grow(Uint32Array, cap);
  const offsets = options.rawLinesPath ? new Grow(Float64Array, cap) : undefined;

  await withRawFile(options.rawLinesPath, async (raw) => {
    for await (const batch of r.batches({ copyTo: raw?.fh })) {
      for (let k = 0; k < batch.length; k++) {
        const rec = batch[k];
        if (!labels.accept(rec, r, summary)) continue;
        summary.add(rec, labels.category, labels.benign);
        if (store) store.push(rec.num!, rec.cat!);
        else if (outF) (given as TabularFeaturizer).encodeRow(rec.num!, rec.cat!, outF.buf, outF.next());
        else (given as CharSeqEncoder).encodeInto(rec.text!, outI!.buf, outI!.next());
        lines.push(rec.line);
        offsets?.push(rec.offset);
      }
    }
  });
  const rows = lines.length;
  const phase = (p: Progress['phase']) => ctx.onProgress?.({ phase: p, bytesRead: r.source.totalBytes, totalBytes: r.source.totalBytes, lines: r.state.lines, rows });
  phase('encode');
  let featurizer: TabularFeaturizer | CharSeqEncoder;
  let features: Float32Array | Int32Array;
  if (store) {
    const e = store.encode(rows);
    featurizer = e.f;
    features = e.out;
  } else {
    featurizer = given!;
    features = outF ? outF.view() : outI!.view();
  }
  return encodedResult(r, summary, labels, options, featurizer, { features, lines, offsets });
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
  let featurizer = makeFeaturizer(r, options);
  if (r.coded && !(featurizer instanceof CharSeqEncoder)) return importToCacheKdd(r, outDir, options, labels, featurizer);
  const summary = new SummaryBuilder(r.schema);
  const lines = new Grow(Uint32Array, cap);
  const offsets = new Grow(Float64Array, cap);
  const files = await cacheFiles(outDir);

  let fitted = false;
  let lab: ReturnType<LabelState['finish']> | undefined;
  await withRawFile(files.rawLinesPath, async (raw) => {
    if (!featurizer) {
      fitted = true;
      const fitter = new TabularFitter(r.schema.columns, options.scaling, options.maxCategories);
      for await (const batch of r.batches({ phase: 'fit', copyTo: raw!.fh })) {
        for (const rec of batch) {
          if (!labels.accept(rec, r, summary)) continue;
          summary.add(rec, labels.category, labels.benign);
          fitter.updateRow(rec.num!, rec.cat!);
          lines.push(rec.line);
          offsets.push(rec.offset);
        }
      }
      featurizer = fitter.finish();
    }
    const f = featurizer;
    const firstPass = !fitted;
    await writeCacheFile(files.cachePath, f, async (out) => {
      const pass2Labels = firstPass ? labels : new LabelState(r, options, 0);
      for await (const batch of r.batches({ phase: firstPass ? 'read' : 'encode', copyTo: firstPass ? raw!.fh : undefined, report: firstPass })) {
        for (const rec of batch) {
          if (!pass2Labels.accept(rec, r, firstPass ? summary : undefined)) continue;
          if (firstPass) {
            summary.add(rec, labels.category, labels.benign);
            lines.push(rec.line);
            offsets.push(rec.offset);
          } else if (lines.buf[out.rows] !== rec.line) {
            throw new DataError(r.source.file, rec.line, 'file changed between the fit and encode passes');
          }
          if (f instanceof TabularFeaturizer) f.encodeRow(rec.num!, rec.cat!, out.buf as Float32Array, out.at);
          else f.encodeInto(rec.text!, out.buf as Int32Array, out.at);
          await out.next();
        }
      }
      if (out.rows !== lines.length) throw new DataError(r.source.file, undefined, `file changed between passes (${lines.length} rows, then ${out.rows})`);
      lab = labels.finish();
      return cacheSections(r.sourceName, f, lab, lines, offsets);
    });
  });
  return finishCacheImport(outDir, files, summarize(r, summary, labels, options), featurizer!, lab!, lines.length);
}
