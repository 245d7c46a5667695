import type { TabularFeaturizer, TabularFitter } from '../featurize';
import { Grow } from '../primitives/growable-array';
import type { CodeCounts } from '../primitives/byte-hash';
import type { CodedBatch, KddScanner } from '../readers/kdd-byte-scanner';
import type { DatasetReader } from '../readers/reader';
import type { NumericAccumulator, SummaryBuilder } from '../summary/dataset-summary';
import type { LabelState } from '../labels/label-state';
import type { Pass, RowBatch, RowForm } from './row-form';

/**
 * Rows as the KDD readers' byte batches (reader.coded): no record objects, categories and labels as
 * interned codes, log1p memoised. The pipeline takes this form whenever the reader offers it and the
 * features are tabular; results are those of the record form, bit for bit.
 */
export class KddCodedRows implements RowForm {
  private scan: KddScanner | undefined;
  private counts: CodeCounts[] | undefined;
  private stats: NumStats | undefined;
  private kept: { t: Grow<Float64Array>; c: Grow<Uint32Array> } | undefined;
  private readonly nNum: number;
  private readonly nCat: number;

  constructor(private readonly r: DatasetReader) {
    this.nNum = r.schema.columns.filter((c) => c.type === 'numeric').length;
    this.nCat = r.schema.columns.length - this.nNum;
  }

  async *pass(p: Pass): AsyncGenerator<RowBatch> {
    const f = p.featurizer as TabularFeaturizer | undefined;
    const summarizing = p.summary !== undefined;
    const stats = summarizing ? new NumStats(this.nNum) : undefined;
    this.stats = stats;
    let batch: CodedRowBatch | undefined;
    for await (const sc of this.r.coded!({ phase: p.phase, copyTo: p.copyTo, report: p.report, log: (f ?? p.fitter!).scaledSpace, hash: summarizing })) {
      if (!batch) {
        if (summarizing) {
          this.scan = sc;
          this.counts = p.summary!.useCodes(sc.cats, sc.labels);
        }
        batch = new CodedRowBatch(this.r, p, sc, stats, f ? new Slots(f, sc) : undefined, this.kept);
      }
      yield batch;
    }
  }

  endPass(p: Pass): void {
    if (p.summary) this.stats!.finish(p.summary, p.fitter);
  }

  finishFit(fitter: TabularFitter): TabularFeaturizer {
    return fitCategories(fitter, this.scan, this.counts);
  }

  keepForFit(_fitter: TabularFitter, capacity: number): void {
    // The scaled-space values and category codes of each kept row, until the fit is known.
    this.kept = { t: new Grow(Float64Array, capacity, this.nNum), c: new Grow(Uint32Array, capacity, this.nCat) };
  }

  encodeKept(fitter: TabularFitter, rows: number): { f: TabularFeaturizer; features: Float32Array } {
    const { nNum, nCat, scan } = this;
    const f = fitCategories(fitter, scan, this.counts);
    const features = new Float32Array(rows * f.dim);
    const slotOf = f.catIdx.map((j, k) => Int32Array.from(scan?.cats[k].names ?? [], (name) => f.category(j, name)));
    const tv = this.kept!.t.view();
    const cv = this.kept!.c.view();
    const no = f.numOffsets;
    const co = f.catOffsets;
    const dim = f.dim;
    // Row-major fill: one sequential sweep over the output.
    for (let i = 0, base = 0; i < rows; i++, base += dim) {
      for (let k = 0; k < nNum; k++) features[base + no[k]] = f.scaleT(k, tv[i * nNum + k]);
      for (let k = 0; k < nCat; k++) features[base + co[k] + slotOf[k][cv[i * nCat + k]]] = 1;
    }
    return { f, features };
  }
}

/** The scanner's current batch; the scanner reuses it from chunk to chunk, so one of these serves a whole pass. */
class CodedRowBatch implements RowBatch {
  private readonly b: CodedBatch;
  private readonly names: string[];
  constructor(
    private readonly r: DatasetReader,
    private readonly p: Pass,
    sc: KddScanner,
    private readonly stats: NumStats | undefined,
    private readonly slots: Slots | undefined,
    private readonly kept: { t: Grow<Float64Array>; c: Grow<Uint32Array> } | undefined,
  ) {
    this.b = sc.batch;
    this.names = sc.labels.names;
  }
  get n(): number {
    return this.b.n;
  }
  line(i: number): number {
    return this.b.line[i];
  }
  offset(i: number): number {
    return this.b.off[i];
  }
  accept(i: number): boolean {
    return this.p.labels.acceptCode(this.b.label[i], this.names, this.b, i, this.r, this.p.countRejects === false ? undefined : this.p.summary);
  }
  summarize(i: number): void {
    observe(this.p.summary!, this.p.labels, this.stats!, this.b, i);
  }
  /** The numeric statistics of fit() are those summarize() gathers (NumStats); categories come from the summary's counts. */
  fit(): void {}
  keep(i: number): void {
    const b = this.b;
    const { t, c } = this.kept!;
    const nNum = b.nNum;
    const nCat = b.nCat;
    const at = t.next();
    const tb = t.buf;
    for (let k = 0; k < nNum; k++) tb[at + k] = b.t[i * nNum + k];
    const ac = c.next();
    const cb = c.buf;
    for (let k = 0; k < nCat; k++) cb[ac + k] = b.cat[i * nCat + k];
  }
  encode(i: number, out: Float32Array | Int32Array, at: number): void {
    encodeRow(this.p.featurizer as TabularFeaturizer, this.slots!, this.b, i, out as Float32Array, at);
  }
}

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
