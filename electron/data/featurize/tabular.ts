/** A feature column as the encoder sees it; readers describe their columns with it (DatasetSchema.columns). */
export interface ColumnSpec {
  name: string;
  type: 'numeric' | 'categorical';
}

export type Scaling = 'minmax' | 'log1p-zscore';

export interface NumericColumnJSON {
  name: string;
  type: 'numeric';
  /** Raw min / max seen in training (minmax uses them). */
  min: number;
  max: number;
  /** Mean / std of the scaled-space input: raw for minmax, signed log1p for log1p-zscore. */
  mean: number;
  std: number;
  /** Output value for a missing (NaN) input: the training mean, scaled. */
  fill: number;
}

export interface CategoricalColumnJSON {
  name: string;
  type: 'categorical';
  /** Slot i ↔ categories[i]; slot categories.length is the unknown bucket. */
  categories: string[];
}

export interface TabularFeaturizerJSON {
  kind: 'tabular';
  version: 1;
  scaling: Scaling;
  columns: Array<NumericColumnJSON | CategoricalColumnJSON>;
  outputDim: number;
  featureNames: string[];
}

const slog1p = (x: number) => (x >= 0 ? Math.log1p(x) : -Math.log1p(-x));

/** Streaming statistics; feed training rows only. */
export class TabularFitter {
  private readonly n: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly counts: Array<Map<string, number> | undefined>;
  private readonly log: boolean;

  constructor(
    readonly columns: ColumnSpec[],
    readonly scaling: Scaling = 'log1p-zscore',
    readonly maxCategories = 256,
  ) {
    const k = columns.length;
    this.n = new Float64Array(k);
    this.min = new Float64Array(k).fill(Infinity);
    this.max = new Float64Array(k).fill(-Infinity);
    this.mean = new Float64Array(k);
    this.m2 = new Float64Array(k);
    this.counts = columns.map((c) => (c.type === 'categorical' ? new Map() : undefined));
    this.log = scaling === 'log1p-zscore';
    this.numIdx = columns.flatMap((c, j) => (c.type === 'numeric' ? [j] : []));
    this.catIdx = columns.flatMap((c, j) => (c.type === 'categorical' ? [j] : []));
  }

  addNumeric(j: number, x: number): void {
    if (x !== x) return;
    if (x < this.min[j]) this.min[j] = x;
    if (x > this.max[j]) this.max[j] = x;
    const t = this.log ? (x === 0 ? 0 : slog1p(x)) : x;
    this.n[j]++;
    // Plain sums: log1p-space values are small, so E[t²] − E[t]² loses nothing that matters here.
    this.mean[j] += t;
    this.m2[j] += t * t;
  }

  /**
   * addNumeric with the scaled-space value t already known (signed log1p of x, or x for minmax;
   * `scaledSpace`), so byte readers can memoise the log of repeated values.
   */
  addT(j: number, x: number, t: number): void {
    if (x !== x) return;
    if (x < this.min[j]) this.min[j] = x;
    if (x > this.max[j]) this.max[j] = x;
    this.n[j]++;
    this.mean[j] += t;
    this.m2[j] += t * t;
  }

  /**
   * Statistics of numeric column j accumulated elsewhere with exactly addT's operations in row order
   * (min/max of x over non-NaN, count, sum of t, sum of t²): the same bits as feeding addT row by row.
   */
  setNumericStats(j: number, s: { min: number; max: number; n: number; tSum: number; t2Sum: number }): void {
    this.min[j] = s.min;
    this.max[j] = s.max;
    this.n[j] = s.n;
    this.mean[j] = s.tSum;
    this.m2[j] = s.t2Sum;
  }

  /** True when t must be the signed log1p of x (log1p-zscore), false when t = x. */
  get scaledSpace(): boolean {
    return this.log;
  }

  addCategory(j: number, s: string, times = 1): void {
    const m = this.counts[j]!;
    m.set(s, (m.get(s) ?? 0) + times);
  }

  /** Schema column index of the k-th numeric / categorical column. */
  readonly numIdx: number[];
  readonly catIdx: number[];

  /** A row as the readers give it: numeric and categorical parts separately. */
  updateRow(num: ArrayLike<number>, cat: ArrayLike<string>): void {
    for (let k = 0; k < num.length; k++) this.addNumeric(this.numIdx[k], num[k]);
    for (let k = 0; k < cat.length; k++) this.addCategory(this.catIdx[k], cat[k]);
  }

  update(values: ArrayLike<number | string>): void {
    for (let j = 0; j < this.columns.length; j++) {
      const v = values[j];
      if (typeof v === 'number') this.addNumeric(j, v);
      else this.addCategory(j, v);
    }
  }

  finish(): TabularFeaturizer {
    const columns = this.columns.map((c, j): NumericColumnJSON | CategoricalColumnJSON => {
      if (c.type === 'categorical') {
        const entries = [...this.counts[j]!.entries()];
        // Keep the most frequent, then sort by name so the layout does not depend on row order.
        entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        const categories = entries.slice(0, this.maxCategories).map((e) => e[0]).sort();
        return { name: c.name, type: 'categorical', categories };
      }
      const n = this.n[j];
      const min = n ? this.min[j] : 0;
      const max = n ? this.max[j] : 0;
      const mean = n ? this.mean[j] / n : 0;
      const std = n > 1 ? Math.sqrt(Math.max(0, this.m2[j] / n - mean * mean)) : 0;
      const col: NumericColumnJSON = { name: c.name, type: 'numeric', min, max, mean, std, fill: 0 };
      // z-scored mean is 0 by definition; min-max needs the raw mean scaled.
      col.fill = this.log ? 0 : scaleNumeric(col, 'minmax', mean);
      return col;
    });
    const { dim, names } = layoutOf(columns);
    return new TabularFeaturizer({ kind: 'tabular', version: 1, scaling: this.scaling, columns, outputDim: dim, featureNames: names });
  }
}

function layoutOf(columns: TabularFeaturizerJSON['columns']): { dim: number; names: string[]; offsets: number[] } {
  const names: string[] = [];
  const offsets: number[] = [];
  for (const c of columns) {
    offsets.push(names.length);
    if (c.type === 'numeric') names.push(c.name);
    else {
      for (const k of c.categories) names.push(`${c.name}=${k}`);
      names.push(`${c.name}=<unknown>`);
    }
  }
  return { dim: names.length, names, offsets };
}

function scaleNumeric(c: NumericColumnJSON, scaling: Scaling, x: number): number {
  if (scaling === 'minmax') {
    const r = c.max - c.min;
    return r > 0 ? (x - c.min) / r : 0;
  }
  const sd = c.std > 0 ? c.std : 1;
  return (slog1p(x) - c.mean) / sd;
}

/** Applies fitted statistics; the same code path serves training, test sets and scans. */
export class TabularFeaturizer {
  readonly dim: number;
  readonly offsets: number[];
  private readonly index: Array<Map<string, number> | undefined>;
  private readonly log: boolean;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly fill: Float64Array;
  private readonly numPos: number[];
  readonly numOffsets: number[];
  readonly catIdx: number[];
  readonly catOffsets: number[];

  constructor(readonly json: TabularFeaturizerJSON) {
    if (json.kind !== 'tabular' || json.version !== 1) throw new Error('not a version-1 tabular featurizer');
    const l = layoutOf(json.columns);
    if (l.dim !== json.outputDim) throw new Error(`featurizer JSON is inconsistent: outputDim ${json.outputDim}, columns give ${l.dim}`);
    this.dim = l.dim;
    this.offsets = l.offsets;
    this.index = json.columns.map((c) => (c.type === 'categorical' ? new Map(c.categories.map((k, i) => [k, i])) : undefined));
    const numIdx = json.columns.flatMap((c, j) => (c.type === 'numeric' ? [j] : []));
    const nums = numIdx.map((j) => json.columns[j] as NumericColumnJSON);
    this.log = json.scaling === 'log1p-zscore';
    this.a = Float64Array.from(nums, (c) => (this.log ? c.mean : c.min));
    this.b = Float64Array.from(nums, (c) => (this.log ? (c.std > 0 ? c.std : 1) : c.max - c.min));
    this.fill = Float64Array.from(nums, (c) => c.fill);
    this.numPos = [];
    numIdx.forEach((j, k) => (this.numPos[j] = k));
    this.catIdx = json.columns.flatMap((c, j) => (c.type === 'categorical' ? [j] : []));
    this.numOffsets = numIdx.map((j) => this.offsets[j]);
    this.catOffsets = this.catIdx.map((j) => this.offsets[j]);
  }

  /** Scaled value of schema column j (NaN → fill). */
  numeric(j: number, x: number): number {
    return this.scale(this.numPos[j], x);
  }

  /** Scaled value of the k-th numeric column; every encode path goes through here, so outputs are bit-identical. */
  scale(k: number, x: number): number {
    if (x !== x) return this.fill[k];
    if (this.log) {
      const t = x === 0 ? 0 : x > 0 ? Math.log1p(x) : -Math.log1p(-x);
      return (t - this.a[k]) / this.b[k];
    }
    const r = this.b[k];
    return r > 0 ? (x - this.a[k]) / r : 0;
  }

  /** scale() given t = the signed log1p of x (log1p-zscore) or x itself (minmax); same arithmetic, same bits. */
  scaleT(k: number, t: number): number {
    if (t !== t) return this.fill[k];
    if (this.log) return (t - this.a[k]) / this.b[k];
    const r = this.b[k];
    return r > 0 ? (t - this.a[k]) / r : 0;
  }

  /** True when scaleT wants signed log1p values. */
  get scaledSpace(): boolean {
    return this.log;
  }

  /** Slot of a category within column j; unknown values go to the last slot. */
  category(j: number, s: string): number {
    const m = this.index[j]!;
    const i = m.get(s);
    return i === undefined ? m.size : i;
  }

  /** Writes one row given as numeric + categorical parts; `out` must be zero in [offset, offset + dim). */
  encodeRow(num: ArrayLike<number>, cat: ArrayLike<string>, out: Float32Array, offset: number): void {
    const no = this.numOffsets;
    for (let k = 0; k < no.length; k++) out[offset + no[k]] = this.scale(k, num[k]);
    const ci = this.catIdx;
    const co = this.catOffsets;
    for (let k = 0; k < ci.length; k++) out[offset + co[k] + this.category(ci[k], cat[k])] = 1;
  }

  /** Writes one row aligned with the columns; `out` must be zero in [offset, offset + dim). */
  encodeInto(values: ArrayLike<number | string>, out: Float32Array, offset: number): void {
    const cols = this.json.columns;
    for (let j = 0; j < cols.length; j++) {
      const o = offset + this.offsets[j];
      if (cols[j].type === 'numeric') out[o] = this.numeric(j, values[j] as number);
      else out[o + this.category(j, values[j] as string)] = 1;
    }
  }

  encode(values: ArrayLike<number | string>): Float32Array {
    const out = new Float32Array(this.dim);
    this.encodeInto(values, out, 0);
    return out;
  }
}
