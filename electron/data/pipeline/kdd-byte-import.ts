import type { CodeCounts } from '../primitives/byte-hash';
import { DataError } from '../errors';
import { TabularFeaturizer, TabularFitter } from '../featurize';
import { Grow } from '../primitives/growable-array';
import type { CacheImportResult, ImportResult } from './import-result';
import { LabelState, cacheFiles, cacheSections, encodedResult, estimateRows, finishCacheImport, summarize, withRawFile, writeCacheFile } from './import-steps';
import type { CodedBatch, KddScanner } from '../readers/kdd-byte-scanner';
import type { DatasetReader } from '../readers/reader';
import { SummaryBuilder, type NumericAccumulator } from '../summary/dataset-summary';
import type { ImportOptions, Progress, RunContext } from '../types';

/**
 * importFile / importToCache for KDD'99 and NSL-KDD on the byte path (reader.coded): no record objects,
 * categories and labels as interned codes, log1p memoised. Same results as the record path, bit for bit.
 */

/** Category code → one-hot slot of a fitted featurizer, looked up once per distinct value. */
class Slots {
  private readonly slots: Int32Array[];
  constructor(
    private readonly f: TabularFeaturizer,
    private readonly scan: KddScanner,
  ) {
    this.slots = f.catIdx.map(() => new Int32Array(0));
  }
  get(k: number, code: number): number {
    let s = this.slots[k];
    if (code >= s.length) {
      const n = new Int32Array(Math.max(64, code * 2)).fill(-1);
      n.set(s);
      this.slots[k] = s = n;
    }
    let v = s[code];
    if (v < 0) s[code] = v = this.f.category(this.f.catIdx[k], this.scan.cats[k].names[code]);
    return v;
  }
}

/** Writes row i of the batch into out[at ...] (which must be zero), as TabularFeaturizer.encodeRow would. */
function encodeRow(f: TabularFeaturizer, slots: Slots, b: CodedBatch, i: number, out: Float32Array, at: number): void {
  const no = f.numOffsets;
  const co = f.catOffsets;
  const t = b.t;
  const xo = i * b.nNum;
  for (let k = 0; k < no.length; k++) out[at + no[k]] = f.scaleT(k, t[xo + k]);
  const c = b.cat;
  const cb = i * b.nCat;
  for (let k = 0; k < co.length; k++) out[at + co[k] + slots.get(k, c[cb + k])] = 1;
}

/** Numeric statistics for both the summary and the fitter in one sweep (they share min / max / count). */
class NumStats implements NumericAccumulator {
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly sum: Float64Array;
  readonly count: Float64Array;
  readonly missing: Float64Array;
  readonly tSum: Float64Array;
  readonly t2Sum: Float64Array;
  constructor(readonly k: number) {
    this.min = new Float64Array(k).fill(Infinity);
    this.max = new Float64Array(k).fill(-Infinity);
    this.sum = new Float64Array(k);
    this.count = new Float64Array(k);
    this.missing = new Float64Array(k);
    this.tSum = new Float64Array(k);
    this.t2Sum = new Float64Array(k);
  }
  add(x: Float64Array, t: Float64Array, o: number): void {
    const { min, max, sum, count, missing, tSum, t2Sum } = this;
    for (let j = 0; j < this.k; j++) {
      const v = x[o + j];
      if (v !== v) {
        missing[j]++;
        continue;
      }
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      sum[j] += v;
      count[j]++;
      const u = t[o + j];
      tSum[j] += u;
      t2Sum[j] += u * u;
    }
  }
  /** Hands the sums to the summary and (when fitting) the fitter. */
  finish(summary: SummaryBuilder, fitter: TabularFitter | undefined): void {
    summary.setNumeric(this);
    fitter?.numIdx.forEach((j, k) => {
      fitter.setNumericStats(j, { min: this.min[k], max: this.max[k], n: this.count[k], tSum: this.tSum[k], t2Sum: this.t2Sum[k] });
    });
  }
}

/** The statistics every kept row of a first pass feeds: summary (+ difficulty metadata) and numeric sums. */
function observe(summary: SummaryBuilder, labels: LabelState, stats: NumStats, b: CodedBatch, i: number): void {
  const xo = i * b.nNum;
  summary.addCoded(b.x, xo, b.cat, i * b.nCat, b.hi[i], b.lo[i], b.label[i], labels.category!, labels.benign!);
  const d = b.diff[i];
  if (d === d) summary.addMetaNumber('difficulty', d);
  stats.add(b.x, b.t, xo);
}

function fitCategories(fitter: TabularFitter, scan: KddScanner | undefined, counts: CodeCounts[] | undefined): TabularFeaturizer {
  if (scan && counts) {
    fitter.catIdx.forEach((j, k) => {
      const cc = counts[k];
      const names = scan.cats[k].names;
      for (const code of cc.order) fitter.addCategory(j, names[code], cc.count[code]);
    });
  }
  return fitter.finish();
}

export async function importFileKdd(r: DatasetReader, options: ImportOptions & { rawLinesPath?: string }, ctx: RunContext, labels: LabelState, given: TabularFeaturizer | undefined): Promise<ImportResult> {
  const cap = estimateRows(r);
  const summary = new SummaryBuilder(r.schema);
  const fitter = given ? undefined : new TabularFitter(r.schema.columns, options.scaling, options.maxCategories);
  const nNum = r.schema.columns.filter((c) => c.type === 'numeric').length;
  const nCat = r.schema.columns.length - nNum;
  // Fitting keeps each kept row's scaled-space values and category codes until the fit is known.
  const keepT = fitter ? new Grow(Float64Array, cap, nNum) : undefined;
  const keepC = fitter ? new Grow(Uint32Array, cap, nCat) : undefined;
  const outF = given ? new Grow(Float32Array, cap, given.dim) : undefined;
  const lines = new Grow(Uint32Array, cap);
  const offsets = options.rawLinesPath ? new Grow(Float64Array, cap) : undefined;
  let scan: KddScanner | undefined;
  let counts: CodeCounts[] | undefined;
  let slots: Slots | undefined;
  const stats = new NumStats(nNum);

  await withRawFile(options.rawLinesPath, async (raw) => {
    const log = (given ?? fitter!).scaledSpace;
    for await (const sc of r.coded!({ copyTo: raw?.fh, log, hash: true })) {
      if (!scan) {
        scan = sc;
        counts = summary.useCodes(sc.cats, sc.labels);
        if (given) slots = new Slots(given, sc);
      }
      const b = sc.batch;
      const names = sc.labels.names;
      for (let i = 0; i < b.n; i++) {
        if (!labels.acceptCode(b.label[i], names, b, i, r, summary)) continue;
        observe(summary, labels, stats, b, i);
        if (keepT) {
          const at = keepT.next();
          const tb = keepT.buf;
          const t = b.t;
          const xo = i * nNum;
          for (let k = 0; k < nNum; k++) tb[at + k] = t[xo + k];
          const ac = keepC!.next();
          const cbuf = keepC!.buf;
          for (let k = 0; k < nCat; k++) cbuf[ac + k] = b.cat[i * nCat + k];
        } else encodeRow(given!, slots!, b, i, outF!.buf, outF!.next());
        lines.push(b.line[i]);
        offsets?.push(b.off[i]);
      }
    }
  });
  const rows = lines.length;
  stats.finish(summary, fitter);
  ctx.onProgress?.({ phase: 'encode', bytesRead: r.source.totalBytes, totalBytes: r.source.totalBytes, lines: r.state.lines, rows });
  let f: TabularFeaturizer;
  let features: Float32Array;
  if (fitter) {
    f = fitCategories(fitter, scan, counts);
    features = new Float32Array(rows * f.dim);
    const slotOf = f.catIdx.map((j, k) => Int32Array.from(scan?.cats[k].names ?? [], (name) => f.category(j, name)));
    const tv = keepT!.view();
    const cv = keepC!.view();
    const no = f.numOffsets;
    const co = f.catOffsets;
    const dim = f.dim;
    // Row-major fill: one sequential sweep over the output.
    for (let i = 0, base = 0; i < rows; i++, base += dim) {
      for (let k = 0; k < nNum; k++) features[base + no[k]] = f.scaleT(k, tv[i * nNum + k]);
      for (let k = 0; k < nCat; k++) features[base + co[k] + slotOf[k][cv[i * nCat + k]]] = 1;
    }
  } else {
    f = given!;
    features = outF!.view();
  }
  return encodedResult(r, summary, labels, options, f, { features, lines, offsets });
}

export async function importToCacheKdd(r: DatasetReader, outDir: string, options: ImportOptions, labels: LabelState, given: TabularFeaturizer | undefined): Promise<CacheImportResult> {
  const cap = estimateRows(r);
  const summary = new SummaryBuilder(r.schema);
  const lines = new Grow(Uint32Array, cap);
  const offsets = new Grow(Float64Array, cap);
  const files = await cacheFiles(outDir);
  let featurizer = given;
  let lab: ReturnType<LabelState['finish']> | undefined;

  await withRawFile(files.rawLinesPath, async (raw) => {
    if (!featurizer) {
      const fitter = new TabularFitter(r.schema.columns, options.scaling, options.maxCategories);
      let scan: KddScanner | undefined;
      let counts: CodeCounts[] | undefined;
      const stats = new NumStats(fitter.numIdx.length);
      for await (const sc of r.coded!({ phase: 'fit', copyTo: raw!.fh, log: fitter.scaledSpace, hash: true })) {
        if (!scan) {
          scan = sc;
          counts = summary.useCodes(sc.cats, sc.labels);
        }
        const b = sc.batch;
        const names = sc.labels.names;
        for (let i = 0; i < b.n; i++) {
          if (!labels.acceptCode(b.label[i], names, b, i, r, summary)) continue;
          observe(summary, labels, stats, b, i);
          lines.push(b.line[i]);
          offsets.push(b.off[i]);
        }
      }
      stats.finish(summary, fitter);
      featurizer = fitCategories(fitter, scan, counts);
    }
    const f = featurizer;
    const firstPass = f === given;
    await writeCacheFile(files.cachePath, f, async (out) => {
      const pass2Labels = firstPass ? labels : new LabelState(r, options, 0);
      const phase: Progress['phase'] = firstPass ? 'read' : 'encode';
      let slots: Slots | undefined;
      const stats = firstPass ? new NumStats(f.numOffsets.length) : undefined;
      for await (const sc of r.coded!({ phase, copyTo: firstPass ? raw!.fh : undefined, report: firstPass, log: f.scaledSpace, hash: firstPass })) {
        if (!slots) {
          slots = new Slots(f, sc);
          if (firstPass) summary.useCodes(sc.cats, sc.labels);
        }
        const b = sc.batch;
        const names = sc.labels.names;
        for (let i = 0; i < b.n; i++) {
          if (!pass2Labels.acceptCode(b.label[i], names, b, i, r, firstPass ? summary : undefined)) continue;
          if (firstPass) {
            observe(summary, labels, stats!, b, i);
            lines.push(b.line[i]);
            offsets.push(b.off[i]);
          } else if (lines.buf[out.rows] !== b.line[i]) {
            throw new DataError(r.source.file, b.line[i], 'file changed between the fit and encode passes');
          }
          encodeRow(f, slots, b, i, out.buf as Float32Array, out.at);
          await out.next();
        }
      }
      stats?.finish(summary, undefined);
      if (out.rows !== lines.length) throw new DataError(r.source.file, undefined, `file changed between passes (${lines.length} rows, then ${out.rows})`);
      lab = labels.finish();
      return cacheSections(r.sourceName, f, lab, lines, offsets);
    });
  });
  return finishCacheImport(outDir, files, summarize(r, summary, labels, options), featurizer!, lab!, lines.length);
}
