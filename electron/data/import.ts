import fs from 'node:fs';
import path from 'node:path';
import { AtomicFile, writeFileAtomic } from './atomic';
import { CacheWriter, type EncodedData } from './cache';
import { DataError } from './errors';
import { CharSeqEncoder, TabularFeaturizer, TabularFitter, charSeqSpec, featurizerFromJSON, type FeaturizerJSON } from './featurize';
import { Grow } from './grow';
import { LabelEncoder, type LabelEncoderJSON, type LabelMode } from './labels';
import { openDataset, type DatasetReader } from './reader';
import { SummaryBuilder, type DatasetSummary } from './summary';
import type { DataRecord, ImportOptions, Progress, RunContext } from './types';

export interface ImportResult {
  summary: DatasetSummary;
  featurizer: FeaturizerJSON;
  /** null for an unlabelled file. */
  labelEncoder: LabelEncoderJSON | null;
  encoded: EncodedData;
  /** Set when options.rawLinesPath was given: encoded.rawOffsets index into this file. */
  rawLinesPath?: string;
}

export interface CacheImportResult {
  summary: DatasetSummary;
  featurizer: FeaturizerJSON;
  labelEncoder: LabelEncoderJSON | null;
  rows: number;
  cols: number;
  /** outDir/encoded.dtc, outDir/raw.txt (decompressed copy of the input), outDir/summary.json, outDir/featurizer.json */
  cachePath: string;
  rawLinesPath: string;
  summaryPath: string;
  featurizerPath: string;
}

/** Label bookkeeping shared by both import paths: drop list, unknown labels, class dictionary. */
class LabelState {
  readonly labelled: boolean;
  readonly mode: LabelMode;
  private readonly probe: LabelEncoder | undefined;
  private readonly given: LabelEncoder | undefined;
  private readonly drop: Set<string>;
  readonly dict = new Map<string, number>();
  readonly codes: Grow<Uint32Array>;
  category: string | undefined;
  benign: boolean | undefined;

  constructor(r: DatasetReader, private readonly opts: ImportOptions, capacity: number) {
    this.labelled = r.schema.labelSource !== undefined;
    const lo = opts.labels ?? {};
    this.given = opts.labelEncoder ? new LabelEncoder(opts.labelEncoder) : undefined;
    this.mode = this.given?.json.mode ?? lo.mode ?? (r.schema.taxonomy === 'kdd' ? '5class' : 'attack');
    if (this.labelled) {
      if (this.given && this.given.json.taxonomy !== r.schema.taxonomy) {
        throw new DataError(r.source.file, undefined, `label encoder is for ${this.given.json.taxonomy} labels, this file has ${r.schema.taxonomy} labels`);
      }
      this.probe = this.given ?? LabelEncoder.fit(this.mode, r.schema.taxonomy, [], { attackMap: lo.attackMap, benign: lo.benign });
    }
    this.drop = new Set(lo.drop ?? []);
    this.codes = new Grow(Uint32Array, this.labelled ? capacity : 0);
  }

  /** false = skip the row. Fills `category` / `benign` for the summary. */
  accept(rec: DataRecord, r: DatasetReader, summary: SummaryBuilder | undefined): boolean {
    if (!this.labelled) return true;
    const raw = rec.label!;
    if (this.drop.has(raw)) {
      if (summary) summary.dropped.set(raw, (summary.dropped.get(raw) ?? 0) + 1);
      return false;
    }
    const cat = this.probe!.category(raw);
    if (cat === undefined) {
      if (summary) {
        summary.unknown.set(raw, (summary.unknown.get(raw) ?? 0) + 1);
        r.malformed.add(rec.line, `unknown label "${raw}" (not in the attack map)`, rec.raw);
      }
      return false;
    }
    if (summary && this.given && this.given.encode(raw) < 0) summary.unseen.set(raw, (summary.unseen.get(raw) ?? 0) + 1);
    this.category = cat;
    this.benign = cat === 'normal';
    let c = this.dict.get(raw);
    if (c === undefined) this.dict.set(raw, (c = this.dict.size));
    this.codes.push(c);
    return true;
  }

  finish(): { encoder: LabelEncoder | undefined; labels: Int32Array | null } {
    if (!this.labelled) return { encoder: undefined, labels: null };
    const lo = this.opts.labels ?? {};
    const names = [...this.dict.keys()];
    const enc = this.given ?? LabelEncoder.fit(this.mode, this.probe!.json.taxonomy, names, { attackMap: lo.attackMap, benign: lo.benign });
    const remap = Int32Array.from(names, (n) => enc.encode(n));
    const codes = this.codes.view();
    const labels = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) labels[i] = remap[codes[i]];
    return { encoder: enc, labels };
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

function makeFeaturizer(r: DatasetReader, opts: ImportOptions): TabularFeaturizer | CharSeqEncoder | undefined {
  if (opts.featurizer) {
    const f = featurizerFromJSON(opts.featurizer);
    if (f instanceof TabularFeaturizer) {
      const want = f.json.columns.map((c) => `${c.name}:${c.type}`).join(',');
      const have = r.schema.columns.map((c) => `${c.name}:${c.type}`).join(',');
      if (r.schema.kind !== 'tabular' || want !== have) {
        throw new DataError(r.source.file, undefined, `featurizer expects columns [${want}] but the file gives [${have}]`);
      }
    } else if (r.schema.kind !== 'text') throw new DataError(r.source.file, undefined, 'a character featurizer needs a URL or domain list');
    return f;
  }
  if (r.schema.kind === 'text') return new CharSeqEncoder(charSeqSpec(opts.text ?? {}, r.schema.textKind!));
  return undefined;
}

function estimateRows(r: DatasetReader): number {
  return Math.ceil(r.estimatedRows * 1.05) + 1024;
}

function summarize(r: DatasetReader, s: SummaryBuilder, labels: LabelState, opts: ImportOptions): DatasetSummary {
  return s.finish(
    {
      source: r.sourceName,
      file: r.source.file,
      gzip: r.source.gzip,
      bytes: r.source.totalBytes,
      lines: r.state.lines,
      malformed: { count: r.malformed.count, examples: r.malformed.examples },
    },
    labels.labelled ? labels.mode : undefined,
    r.warnings,
    opts.shortcutThreshold ?? 0.9,
  );
}

async function withRawFile<T>(rawPath: string | undefined, run: (f: AtomicFile | undefined) => Promise<T>): Promise<T> {
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

/**
 * Reads, checks, summarises and encodes one file in memory (one pass; tabular fitting keeps raw
 * columns as Float64 until the fit is known, ~8 bytes per numeric cell). Raw lines are not kept in
 * memory: with options.rawLinesPath the decompressed content is copied there and encoded.rawOffsets
 * index it. Worker-friendly: plain data in and out, progress via ctx.onProgress, cancel via ctx.signal.
 */
export async function importFile(filePath: string, options: ImportOptions & { rawLinesPath?: string } = {}, ctx: RunContext = {}): Promise<ImportResult> {
  const r = await openDataset(filePath, options, ctx);
  const cap = estimateRows(r);
  const summary = new SummaryBuilder(r.schema);
  const labels = new LabelState(r, options, cap);
  const given = makeFeaturizer(r, options);
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
  const lab = labels.finish();
  return {
    summary: summarize(r, summary, labels, options),
    featurizer: featurizer.json,
    labelEncoder: lab.encoder?.json ?? null,
    encoded: {
      sourceName: r.sourceName,
      rows,
      cols: featurizer.dim,
      dtype: featurizer instanceof CharSeqEncoder ? 'int32' : 'float32',
      features,
      labels: lab.labels,
      classes: lab.encoder?.json.classes ?? [],
      lines: lines.view(),
      rawOffsets: offsets?.view(),
    },
    rawLinesPath: options.rawLinesPath,
  };
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
  const summary = new SummaryBuilder(r.schema);
  const labels = new LabelState(r, options, cap);
  let featurizer = makeFeaturizer(r, options);
  const lines = new Grow(Uint32Array, cap);
  const offsets = new Grow(Float64Array, cap);
  await fs.promises.mkdir(outDir, { recursive: true });
  const cachePath = path.join(outDir, 'encoded.dtc');
  const rawLinesPath = path.join(outDir, 'raw.txt');

  let fitted = false;
  let lab: ReturnType<LabelState['finish']> | undefined;
  await withRawFile(rawLinesPath, async (raw) => {
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
    const block = Math.max(1, Math.floor((4 << 20) / (4 * Math.max(1, f.dim))));
    const buf = f instanceof TabularFeaturizer ? new Float32Array(block * f.dim) : new Int32Array(block * f.dim);
    const writer = await CacheWriter.create(cachePath, f.dim, f instanceof TabularFeaturizer ? 'float32' : 'int32');
    try {
      let n = 0;
      let total = 0;
      const pass2Labels = firstPass ? labels : new LabelState(r, options, 0);
      for await (const batch of r.batches({ phase: firstPass ? 'read' : 'encode', copyTo: firstPass ? raw!.fh : undefined, report: firstPass })) {
        for (const rec of batch) {
          if (!pass2Labels.accept(rec, r, firstPass ? summary : undefined)) continue;
          if (firstPass) {
            summary.add(rec, labels.category, labels.benign);
            lines.push(rec.line);
            offsets.push(rec.offset);
          } else if (lines.buf[total] !== rec.line) {
            throw new DataError(r.source.file, rec.line, 'file changed between the fit and encode passes');
          }
          if (f instanceof TabularFeaturizer) f.encodeRow(rec.num!, rec.cat!, buf as Float32Array, n * f.dim);
          else f.encodeInto(rec.text!, buf as Int32Array, n * f.dim);
          total++;
          if (++n === block) {
            await writer.append(buf, n);
            buf.fill(0);
            n = 0;
          }
        }
      }
      if (n) await writer.append(buf, n);
      if (total !== lines.length) throw new DataError(r.source.file, undefined, `file changed between passes (${lines.length} rows, then ${total})`);
      lab = labels.finish();
      await writer.finish({
        sourceName: r.sourceName,
        classes: lab.encoder?.json.classes ?? [],
        labels: lab.labels,
        lines: lines.view(),
        rawOffsets: offsets.view(),
        meta: { featurizer: f.json, labelEncoder: lab.encoder?.json ?? null, source: r.sourceName },
      });
    } catch (e) {
      await writer.abort();
      throw e;
    }
  });
  const f = featurizer!;
  const enc = lab!.encoder;
  const s = summarize(r, summary, labels, options);
  const summaryPath = path.join(outDir, 'summary.json');
  const featurizerPath = path.join(outDir, 'featurizer.json');
  await writeFileAtomic(summaryPath, JSON.stringify(s, null, 1));
  await writeFileAtomic(featurizerPath, JSON.stringify({ featurizer: f.json, labelEncoder: enc?.json ?? null }, null, 1));
  return {
    summary: s,
    featurizer: f.json,
    labelEncoder: enc?.json ?? null,
    rows: lines.length,
    cols: f.dim,
    cachePath,
    rawLinesPath,
    summaryPath,
    featurizerPath,
  };
}
