import { CodeCounts, HashSet53, hash53, type Interner } from '../primitives/byte-hash';
import type { MalformedLine } from '../readers/malformed-lines';
import { stripPublicSuffix } from '../domains/public-suffix';
import { ShortcutSampler, type ShortcutResult } from './shortcut-check';
import type { DataRecord, DatasetSchema, FormatName } from '../types';
import type { LabelMode } from '../labels/label-encoder';

export interface NumericStats {
  name: string;
  min: number | null;
  max: number | null;
  mean: number | null;
  missing: number;
}

export interface DatasetSummary {
  source: string;
  file: string;
  format: FormatName;
  kind: 'tabular' | 'text';
  gzip: boolean;
  bytes: number;
  lines: number;
  rows: number;
  labels: {
    source: string;
    mode: LabelMode;
    raw: Record<string, number>;
    /** KDD: normal/dos/probe/r2l/u2r; other data: normal/attack. */
    categories: Record<string, number>;
    /** Labels the attack map / benign list cannot place (those rows are skipped, or throw in strict mode). */
    unknown: Record<string, number>;
    /** 'attack' mode with a given label encoder: labels outside its classes (label index -1). */
    unseen: Record<string, number>;
    /** Rows skipped because of options.labels.drop. */
    dropped: Record<string, number>;
  } | null;
  /** `rows` = rows whose raw feature part repeats an earlier row. */
  duplicates: { rows: number; distinct: number };
  numeric: NumericStats[];
  categorical: Array<{ name: string; cardinality: number; capped: boolean; top: Array<[string, number]> }>;
  text: { minLength: number; maxLength: number; meanLength: number } | null;
  metadata: Record<string, { min: number; max: number } | { distinct: number }>;
  malformed: { count: number; examples: MalformedLine[] };
  shortcuts: ShortcutResult[];
  warnings: string[];
  /** How the file was read: the format detected, header or not, which column is the text / label, lines left out by reason. */
  read?: ReadReport;
  /** Multi-file datasets (importManyToCache): rows per input file. */
  files?: Array<{ source: string; file: string; lines: number; rows: number; eligible: number; malformed: number }>;
}

export interface ReadReport {
  format: FormatName;
  /** The first line was a header row of column names. */
  header: boolean;
  /** Columns per line (from the header, a Zeek #fields line, or the format's fixed layout); 1 = the whole line. */
  columns: number;
  /** URL / domain lists: where the text is ("whole line", or "column 1 (url)"); null for tabular data. */
  text: string | null;
  /** Where labels come from ("column 2 (label)", a named column, "fixed: X"); null = unlabelled. */
  label: string | null;
  /** Lines left out, by reason: blank, header, comment, and each kind of malformed line. */
  skipped: Record<string, number>;
}

const CARDINALITY_CAP = 100_000;

/** Per-numeric-column running statistics, filled by the byte path in row order. */
export interface NumericAccumulator {
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  count: Float64Array;
  missing: Float64Array;
  /** Sums of the scaled-space value t and of t² (the fitter's mean / m2). */
  tSum: Float64Array;
  t2Sum: Float64Array;
}
const inc = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
const obj = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]));

/** One pass of statistics, fed the rows that are kept (after label checks). */
export class SummaryBuilder {
  rows = 0;
  private readonly hashes = new HashSet53(1 << 16);
  private readonly nMin: Float64Array;
  private readonly nMax: Float64Array;
  private readonly nSum: Float64Array;
  private readonly nCount: Float64Array;
  private readonly nMissing: Float64Array;
  private readonly cats: Array<Map<string, number>>;
  private readonly capped: boolean[];
  readonly raw = new Map<string, number>();
  readonly categories = new Map<string, number>();
  readonly unknown = new Map<string, number>();
  readonly unseen = new Map<string, number>();
  readonly dropped = new Map<string, number>();
  private textMin = Infinity;
  private textMax = 0;
  private textSum = 0;
  private readonly meta = new Map<string, { min: number; max: number; distinct: Set<string> }>();
  readonly sampler: ShortcutSampler | undefined;

  constructor(private readonly schema: DatasetSchema) {
    const k = schema.columns.length;
    const nc = schema.columns.filter((c) => c.type === 'categorical').length;
    this.nMin = new Float64Array(k).fill(Infinity);
    this.nMax = new Float64Array(k).fill(-Infinity);
    this.nSum = new Float64Array(k);
    this.nCount = new Float64Array(k);
    this.nMissing = new Float64Array(k);
    this.cats = Array.from({ length: nc }, () => new Map<string, number>());
    this.capped = this.cats.map(() => false);
    if (schema.labelSource !== undefined) this.sampler = new ShortcutSampler(schema.kind, schema.columns, schema.textKind, schema.textCut === 'public-suffix');
  }

  /** `category` is the label category already checked by the caller; `benign` drives the shortcut check. */
  add(rec: DataRecord, category: string | undefined, benign: boolean | undefined): void {
    this.rows++;
    this.hashes.addNumber(hash53(rec.key));
    const v = rec.num;
    if (v) {
      // Stats arrays are indexed by numeric / categorical position, not schema position.
      for (let j = 0; j < v.length; j++) {
        const x = v[j];
        if (x !== x) this.nMissing[j]++;
        else {
          if (x < this.nMin[j]) this.nMin[j] = x;
          if (x > this.nMax[j]) this.nMax[j] = x;
          this.nSum[j] += x;
          this.nCount[j]++;
        }
      }
      const c = rec.cat!;
      for (let j = 0; j < c.length; j++) {
        const x = c[j];
        const m = this.cats[j];
        const n = m.get(x);
        if (n !== undefined) m.set(x, n + 1);
        else if (m.size < CARDINALITY_CAP) m.set(x, 1);
        else this.capped[j] = true;
      }
    }
    let text = rec.text;
    if (text !== undefined) {
      // Statistics of what the model reads: the encoder cuts the suffix after the parser.
      if (this.schema.textCut === 'public-suffix') text = stripPublicSuffix(text);
      const L = text.length;
      if (L < this.textMin) this.textMin = L;
      if (L > this.textMax) this.textMax = L;
      this.textSum += L;
    }
    if (rec.meta) {
      for (const k in rec.meta) {
        let s = this.meta.get(k);
        if (!s) this.meta.set(k, (s = { min: Infinity, max: -Infinity, distinct: new Set() }));
        const m = rec.meta[k];
        if (typeof m === 'number') {
          if (m < s.min) s.min = m;
          if (m > s.max) s.max = m;
        } else if (s.distinct.size < 1000) s.distinct.add(m);
      }
    }
    if (rec.label !== undefined) {
      inc(this.raw, rec.label);
      if (category !== undefined) inc(this.categories, category);
      if (benign !== undefined) this.sampler?.add(!benign, v, text);
    }
  }

  /** Coded rows (byte path): categorical values and labels arrive as interned codes, counted per code. */
  private coded: { cats: Interner[]; labels: Interner; catCounts: CodeCounts[]; raw: CodeCounts; categoryOf: string[] } | undefined;

  /** Switches to coded rows; the returned counts are per categorical column (accepted rows, uncapped). */
  useCodes(cats: Interner[], labels: Interner): CodeCounts[] {
    const catCounts = cats.map(() => new CodeCounts());
    this.coded = { cats, labels, catCounts, raw: new CodeCounts(), categoryOf: [] };
    return catCounts;
  }

  /**
   * One kept row of the byte path: category codes cat[co ...], key hash (hi, lo), label code. Numeric
   * statistics come separately (setNumeric) so the caller can share one pass with the fitter;
   * x[xo ...] is only sampled.
   */
  addCoded(x: Float64Array, xo: number, cat: Uint32Array, co: number, hi: number, lo: number, label: number, category: string, benign: boolean): void {
    this.rows++;
    this.hashes.add(hi, lo);
    const c = this.coded!;
    const cc = c.catCounts;
    for (let k = 0; k < cc.length; k++) cc[k].add(cat[co + k]);
    c.raw.add(label);
    c.categoryOf[label] = category;
    this.sampler?.addAt(!benign, x, xo);
  }

  /** Numeric statistics of the coded rows, as add() would have accumulated them (same order of additions). */
  setNumeric(s: NumericAccumulator): void {
    this.nMin.set(s.min);
    this.nMax.set(s.max);
    this.nSum.set(s.sum);
    this.nCount.set(s.count);
    this.nMissing.set(s.missing);
  }

  /** Numeric metadata of a kept row (NSL-KDD difficulty), same rules as DataRecord.meta. */
  addMetaNumber(k: string, m: number): void {
    let s = this.meta.get(k);
    if (!s) this.meta.set(k, (s = { min: Infinity, max: -Infinity, distinct: new Set() }));
    if (m < s.min) s.min = m;
    if (m > s.max) s.max = m;
  }

  /** Rebuilds the Maps add() would have filled, in the same first-seen order, so finish() is shared. */
  private uncode(): void {
    const c = this.coded;
    if (!c) return;
    c.catCounts.forEach((cc, k) => {
      const m = this.cats[k];
      const names = c.cats[k].names;
      for (let i = 0; i < cc.order.length && i < CARDINALITY_CAP; i++) m.set(names[cc.order[i]], cc.count[cc.order[i]]);
      this.capped[k] = cc.order.length > CARDINALITY_CAP;
    });
    for (const code of c.raw.order) {
      inc(this.raw, c.labels.names[code], c.raw.count[code]);
      inc(this.categories, c.categoryOf[code], c.raw.count[code]);
    }
    this.coded = undefined;
  }

  finish(base: Pick<DatasetSummary, 'source' | 'file' | 'gzip' | 'bytes' | 'lines' | 'malformed'>, labelMode: LabelMode | undefined, warnings: string[], threshold: number): DatasetSummary {
    this.uncode();
    const s = this.schema;
    const shortcuts = this.sampler && this.rows ? this.sampler.results() : [];
    const w = [...warnings];
    for (const r of shortcuts) {
      if (r.auc >= threshold) {
        w.push(`shortcut: "${r.feature}" alone separates benign from malicious rows with AUC ${r.auc.toFixed(3)} (≥ ${threshold}); a model can learn this instead of the content`);
      } else if (r.pure && r.pure.fraction >= 0.5) {
        const p = r.pure;
        const other = p.cls === 'malicious' ? 'benign' : 'malicious';
        w.push(
          `shortcut: "${r.feature}" ${p.side === 'below' ? '<' : '>'} ${+p.threshold.toFixed(4)} holds ${(p.fraction * 100).toFixed(1)}% of ${p.cls} rows and no ${other} row ` +
            `(AUC ${r.auc.toFixed(3)}, sample of ${r.sampled}); a model can learn this instead of the content`,
        );
      }
    }
    if (this.unknown.size) w.push(`unknown labels (rows skipped): ${[...this.unknown.entries()].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    if (base.malformed.count) w.push(`${base.malformed.count} malformed line(s) skipped`);
    const dup = this.rows - this.hashes.size;
    if (this.rows && dup / this.rows > 0.1) w.push(`${dup} duplicate rows (${Math.round((dup / this.rows) * 100)}%); consider de-duplicating before splitting`);
    const metadata: DatasetSummary['metadata'] = {};
    for (const [k, m] of this.meta) metadata[k] = m.distinct.size ? { distinct: m.distinct.size } : { min: m.min, max: m.max };
    return {
      ...base,
      format: s.format,
      kind: s.kind,
      rows: this.rows,
      labels:
        s.labelSource === undefined
          ? null
          : { source: s.labelSource, mode: labelMode!, raw: obj(this.raw), categories: obj(this.categories), unknown: obj(this.unknown), unseen: obj(this.unseen), dropped: obj(this.dropped) },
      duplicates: { rows: dup, distinct: this.hashes.size },
      numeric: s.columns
        .filter((c) => c.type === 'numeric')
        .map((c, j) => ({
          name: c.name,
          min: this.nCount[j] ? this.nMin[j] : null,
          max: this.nCount[j] ? this.nMax[j] : null,
          mean: this.nCount[j] ? this.nSum[j] / this.nCount[j] : null,
          missing: this.nMissing[j],
        })),
      categorical: s.columns
        .filter((c) => c.type === 'categorical')
        .map((c, j) => {
          const m = this.cats[j];
          const top = [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
          return { name: c.name, cardinality: m.size, capped: this.capped[j], top };
        }),
      text: s.kind === 'text' && this.rows ? { minLength: this.textMin, maxLength: this.textMax, meanLength: this.textSum / this.rows } : null,
      metadata,
      shortcuts,
      warnings: w,
    };
  }
}
