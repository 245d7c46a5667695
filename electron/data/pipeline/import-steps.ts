import fs from 'node:fs';
import path from 'node:path';
import { AtomicFile, writeFileAtomic } from '../files/atomic-file';
import { CacheWriter } from '../cache/cache-file';
import { DEFAULT_BEHAVIOUR_DROP } from '../readers/behaviour';
import { DataError } from '../errors';
import { CharSeqEncoder, TabularFeaturizer, charSeqSpec, featurizerFromJSON } from '../featurize';
import { Grow } from '../primitives/growable-array';
import type { CacheImportResult, ImportResult } from './import-result';
import type { CodedBatch } from '../readers/kdd-byte-scanner';
import { LabelEncoder, type LabelMode } from '../labels/label-encoder';
import type { DatasetReader } from '../readers/reader';
import type { DatasetSummary, SummaryBuilder } from '../summary/dataset-summary';
import type { DataRecord, ImportOptions } from '../types';

/** Helpers shared by the record path (import-file.ts), the byte path (kdd-byte-import.ts) and import-many.ts. */

const KEEP = 1;
const DROP = 2;
const UNKNOWN = 3;
const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Label bookkeeping shared by both import paths: drop list, unknown labels, class dictionary. */
export class LabelState {
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
    this.drop = new Set(lo.drop ?? (r.schema.format === 'zeek-behaviour' ? DEFAULT_BEHAVIOUR_DROP : []));
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

  /** accept() for the byte path: the label is a code into `names`; checks run once per distinct label. */
  acceptCode(code: number, names: string[], b: CodedBatch, i: number, r: DatasetReader, summary: SummaryBuilder | undefined): boolean {
    if (!this.labelled) return true;
    if (code >= this.verdict.length) this.growVerdicts(code);
    let v = this.verdict[code];
    if (v === 0) v = this.judge(code, names[code]);
    if (v === KEEP) {
      if (summary && this.unseenCode[code]) inc(summary.unseen, names[code]);
      this.category = this.categoryCode[code];
      this.benign = this.category === 'normal';
      this.codes.push(this.dictCode[code]);
      return true;
    }
    if (v === DROP) {
      if (summary) inc(summary.dropped, names[code]);
      return false;
    }
    if (summary) {
      inc(summary.unknown, names[code]);
      r.malformed.add(b.line[i], `unknown label "${names[code]}" (not in the attack map)`, b.text(i));
    }
    return false;
  }

  private verdict = new Int8Array(0);
  private unseenCode = new Uint8Array(0);
  private dictCode = new Uint32Array(0);
  private readonly categoryCode: string[] = [];

  private growVerdicts(code: number): void {
    const n = Math.max(64, code * 2);
    const v = new Int8Array(n);
    v.set(this.verdict);
    this.verdict = v;
    const u = new Uint8Array(n);
    u.set(this.unseenCode);
    this.unseenCode = u;
    const d = new Uint32Array(n);
    d.set(this.dictCode);
    this.dictCode = d;
  }

  /** The checks of accept() for a label seen for the first time (which, when kept, is also its first kept row). */
  private judge(code: number, raw: string): number {
    let v: number;
    if (this.drop.has(raw)) v = DROP;
    else {
      const cat = this.probe!.category(raw);
      if (cat === undefined) v = UNKNOWN;
      else {
        v = KEEP;
        this.categoryCode[code] = cat;
        this.unseenCode[code] = this.given && this.given.encode(raw) < 0 ? 1 : 0;
        let c = this.dict.get(raw);
        if (c === undefined) this.dict.set(raw, (c = this.dict.size));
        this.dictCode[code] = c;
      }
    }
    this.verdict[code] = v;
    return v;
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

export function makeFeaturizer(r: DatasetReader, opts: ImportOptions): TabularFeaturizer | CharSeqEncoder | undefined {
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

export function estimateRows(r: DatasetReader): number {
  return Math.ceil(r.estimatedRows * 1.05) + 1024;
}

export function summarize(r: DatasetReader, s: SummaryBuilder, labels: LabelState, opts: ImportOptions): DatasetSummary {
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


type Featurizer = TabularFeaturizer | CharSeqEncoder;
type FinishedLabels = ReturnType<LabelState['finish']>;

/** The in-memory import's result; finishes the labels. */
export function encodedResult(
  r: DatasetReader,
  summary: SummaryBuilder,
  labels: LabelState,
  opts: ImportOptions & { rawLinesPath?: string },
  f: Featurizer,
  rows: { features: Float32Array | Int32Array; lines: Grow<Uint32Array>; offsets: Grow<Float64Array> | undefined },
): ImportResult {
  const lab = labels.finish();
  return {
    summary: summarize(r, summary, labels, opts),
    featurizer: f.json,
    labelEncoder: lab.encoder?.json ?? null,
    encoded: {
      sourceName: r.sourceName,
      rows: rows.lines.length,
      cols: f.dim,
      dtype: f instanceof CharSeqEncoder ? 'int32' : 'float32',
      features: rows.features,
      labels: lab.labels,
      classes: lab.encoder?.json.classes ?? [],
      lines: rows.lines.view(),
      rawOffsets: rows.offsets?.view(),
    },
    rawLinesPath: opts.rawLinesPath,
  };
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
