import { TabularFeaturizer, type TabularFitter } from '../featurize';
import { Grow } from '../primitives/growable-array';
import type { DatasetReader } from '../readers/reader';
import type { DataRecord } from '../types';
import type { Pass, RowBatch, RowForm } from './row-form';

/** Rows as record objects (DataRecord): the form of every reader. */
export class RecordRows implements RowForm {
  private store: ColumnStore | undefined;
  constructor(private readonly r: DatasetReader) {}

  async *pass(p: Pass): AsyncGenerator<RowBatch> {
    const batch = new RecordBatch(this.r, p, this.store);
    for await (const recs of this.r.batches({ phase: p.phase, copyTo: p.copyTo, report: p.report })) {
      batch.recs = recs;
      yield batch;
    }
  }

  endPass(): void {}

  finishFit(fitter: TabularFitter): TabularFeaturizer {
    return fitter.finish();
  }

  keepForFit(fitter: TabularFitter, capacity: number): void {
    this.store = new ColumnStore(fitter, capacity);
  }

  encodeKept(_fitter: TabularFitter, rows: number): { f: TabularFeaturizer; features: Float32Array } {
    const e = this.store!.encode(rows);
    return { f: e.f, features: e.out };
  }
}

class RecordBatch implements RowBatch {
  recs: DataRecord[] = [];
  constructor(
    private readonly r: DatasetReader,
    private readonly p: Pass,
    private readonly store: ColumnStore | undefined,
  ) {}
  get n(): number {
    return this.recs.length;
  }
  line(i: number): number {
    return this.recs[i].line;
  }
  offset(i: number): number {
    return this.recs[i].offset;
  }
  accept(i: number): boolean {
    return this.p.labels.accept(this.recs[i], this.r, this.p.countRejects === false ? undefined : this.p.summary);
  }
  summarize(i: number): void {
    this.p.summary!.add(this.recs[i], this.p.labels.category, this.p.labels.benign);
  }
  fit(i: number): void {
    this.p.fitter!.updateRow(this.recs[i].num!, this.recs[i].cat!);
  }
  keep(i: number): void {
    this.store!.push(this.recs[i].num!, this.recs[i].cat!);
  }
  encode(i: number, out: Float32Array | Int32Array, at: number): void {
    const f = this.p.featurizer!;
    const rec = this.recs[i];
    if (f instanceof TabularFeaturizer) f.encodeRow(rec.num!, rec.cat!, out as Float32Array, at);
    else f.encodeInto(rec.text!, out as Int32Array, at);
  }
}

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

