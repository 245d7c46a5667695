import path from 'node:path';
import { AtomicFile } from '../files/atomic-file';
import { hash53 } from '../primitives/byte-hash';
import { prng } from '../primitives/seeded-random';
import { DataError, NoDataError } from '../errors';
import { TabularFitter } from '../featurize';
import { Grow } from '../primitives/growable-array';
import type { CacheImportResult } from './import-result';
import { LabelState } from '../labels/label-state';
import { cacheFiles, cacheSections, finishCacheImport, writeCacheFile } from './cache-output';
import { makeFeaturizer, readReport, whyNoRows } from './import-steps';
import type { MalformedLine } from '../readers/malformed-lines';
import { openDataset } from '../readers/open-dataset';
import type { DatasetReader } from '../readers/reader';
import { SummaryBuilder, type DatasetSummary } from '../summary/dataset-summary';
import type { RawSink } from '../files/line-source';
import type { ImportOptions, Progress, RunContext } from '../types';
import { RecordRows } from './record-rows';
import type { Pass, RowBatch } from './row-form';

/** One file of a multi-file dataset. */
export interface ManyInput {
  path: string;
  /** Label of every row of this file (a DGA family file, a benign list); overrides options.fixedLabel. */
  fixedLabel?: string;
  /** Row-id prefix; default the file's base name (parent folder added when two inputs share one). */
  sourceName?: string;
  /** Cap for this file only (overrides options.maxRowsPerFile), e.g. more benign rows than rows per family. */
  maxRows?: number;
  /** Per-file reading choices; labels, text, scaling and featurizer options are the shared ones. */
  options?: Pick<ImportOptions, 'format' | 'columns' | 'errors'>;
}

export interface ManyOptions extends ImportOptions {
  /** Keep at most this many rows per file, a uniform sample in file order (e.g. a balanced DGA set). */
  maxRowsPerFile?: number;
  /** Seed of that sample; each file's sample depends on the seed and its source name only. Default 1. */
  sampleSeed?: number;
}

export interface FileReport {
  source: string;
  file: string;
  lines: number;
  /** Rows of this file in the dataset. */
  rows: number;
  /** Rows that passed the label checks before the per-file cap. */
  eligible: number;
  malformed: number;
}

export type ManyImportResult = CacheImportResult & { files: FileReport[] };

interface Part {
  input: ManyInput;
  r: DatasetReader;
  /** Its rows, as the pipeline steps take them. */
  form: RecordRows;
  /** Line numbers kept by the per-file sample; undefined = every eligible row. */
  keep: Set<number> | undefined;
  eligible: number;
  rows: number;
  /** Offset of this file's copy in raw.txt. */
  base: number;
}

function sourceNames(inputs: ManyInput[]): string[] {
  const base = inputs.map((i) => i.sourceName ?? path.basename(i.path));
  const seen = new Map<string, number>();
  for (const b of base) seen.set(b, (seen.get(b) ?? 0) + 1);
  const names = inputs.map((inp, k) => (inp.sourceName === undefined && seen.get(base[k])! > 1 ? `${path.basename(path.dirname(inp.path))}/${base[k]}` : base[k]));
  const dup = names.find((n, k) => names.indexOf(n) !== k);
  if (dup !== undefined) throw new DataError(dup, undefined, `two inputs have the source name "${dup}"; give one of them a sourceName`);
  return names;
}

function sameShape(a: DatasetReader, b: DatasetReader): string | undefined {
  const sa = a.schema;
  const sb = b.schema;
  if (sa.kind !== sb.kind) return `is ${sb.kind}, ${a.source.file} is ${sa.kind}`;
  if (sa.kind === 'text' && (sa.textKind !== sb.textKind || sa.textCut !== sb.textCut)) return `holds ${sb.textKind} text, ${a.source.file} holds ${sa.textKind} text`;
  const cols = (s: typeof sa) => s.columns.map((c) => `${c.name}:${c.type}`).join(',');
  if (cols(sa) !== cols(sb)) return `has columns [${cols(sb)}], ${a.source.file} has [${cols(sa)}]`;
  if ((sa.labelSource === undefined) !== (sb.labelSource === undefined)) return `is ${sb.labelSource === undefined ? 'unlabelled' : 'labelled'}, ${a.source.file} is not (give a fixedLabel per file)`;
  if (sa.taxonomy !== sb.taxonomy) return `has ${sb.taxonomy} labels, ${a.source.file} has ${sa.taxonomy} labels`;
  return undefined;
}

/**
 * Several files as ONE dataset (e.g. Alexa plus 50 DGA family files): one fitted encoding, one label
 * dictionary, one cache; row ids stay `${file}:${line}` (cache sections `sources` + `sourceIdx`).
 * Streaming like importToCache: character and given featurizers take one pass per file, tabular
 * fitting two; a per-file cap adds one sampling pass over that file. raw.txt is the files' decompressed
 * contents one after another (each ending in a newline). Progress counts bytes over all passes.
 */
export async function importManyToCache(inputs: ManyInput[], outDir: string, options: ManyOptions = {}, ctx: RunContext = {}): Promise<ManyImportResult> {
  if (inputs.length === 0) throw new DataError('(no file)', undefined, 'no input files');
  const capOf = (inp: ManyInput) => inp.maxRows ?? options.maxRowsPerFile;
  for (const inp of inputs) {
    const c = capOf(inp);
    if (c !== undefined && !(Number.isInteger(c) && c >= 1)) throw new DataError(path.basename(inp.path), undefined, `maxRowsPerFile must be a positive integer, got ${c}`);
  }
  const allNames = sourceNames(inputs);
  let units = 0;
  let done = 0;
  let kept = 0;
  let phaseNow: Progress['phase'] = 'read';
  const report = (p: Progress) => {
    ctx.onProgress?.({ phase: phaseNow, bytesRead: done + p.bytesRead, totalBytes: units, lines: p.lines, rows: kept });
  };
  const inner: RunContext = { signal: ctx.signal, onProgress: report };
  const parts: Part[] = [];
  const empty: Array<{ e: NoDataError; strict: boolean }> = [];
  for (let k = 0; k < inputs.length; k++) {
    const inp = inputs[k];
    const fixedLabel = inp.fixedLabel ?? options.fixedLabel;
    const o: ImportOptions = { ...options, ...inp.options, sourceName: allNames[k], ...(fixedLabel !== undefined ? { fixedLabel } : {}) };
    let r: DatasetReader;
    try {
      r = await openDataset(inp.path, o, inner);
    } catch (e) {
      // An empty file among others: lenient leaves it out with a warning naming it; strict refuses, once the others are known to be fine.
      if (!(e instanceof NoDataError) || inputs.length === 1) throw e;
      empty.push({ e, strict: o.errors === 'strict' });
      continue;
    }
    if (parts.length) {
      const why = sameShape(parts[0].r, r);
      if (why) throw new DataError(r.source.file, undefined, `cannot join with ${parts[0].r.source.file}: this file ${why}`);
    }
    parts.push({ input: inp, r, form: new RecordRows(r), keep: undefined, eligible: 0, rows: 0, base: 0 });
  }
  if (parts.length === 0) throw new DataError(empty.map((x) => x.e.file).join(', '), undefined, `no usable rows in any file: ${empty.map((x) => x.e.message).join('; ')}`);
  const refused = empty.find((x) => x.strict);
  if (refused) {
    const fine = parts.map((p) => p.r.source.file);
    const others = fine.length === 1 ? `the other file (${fine[0]}) is` : `the other ${fine.length} files (${fine.join(', ')}) are`;
    throw new DataError(refused.e.file, undefined, `${refused.e.reason}; ${others} fine: leave this one out, or import in lenient mode to skip it`);
  }
  const skippedFiles = empty.map((x) => `${x.e.file}: left out of the dataset: ${x.e.reason}`);
  const sampled = parts.map((p) => capOf(p.input) !== undefined);
  const names = parts.map((p) => p.r.sourceName);
  const first = parts[0].r;
  const labels = new LabelState(first, options, parts.reduce((n, p) => n + p.r.estimatedRows, 0));
  let featurizer = makeFeaturizer(first, options);
  const needFit = !featurizer;
  const summary = new SummaryBuilder(first.schema);
  units = parts.reduce((n, p, k) => n + p.r.source.totalBytes * ((sampled[k] ? 1 : 0) + (needFit ? 2 : 1)), 0);

  phaseNow = 'read';
  const seed = options.sampleSeed ?? 1;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    const cap = capOf(p.input);
    if (cap !== undefined) {
      // A scratch label state: this pass decides eligibility, and counts drops, unknown and unseen labels
      // (over all eligible rows, before the cap) once; the later passes no longer report rejects.
      const probe = new LabelState(p.r, options, 0);
      const rand = prng((seed ^ hash53(p.r.sourceName)) >>> 0);
      const res: number[] = [];
      let seen = 0;
      for await (const b of p.form.pass({ phase: 'read', report: true, labels: probe, summary })) {
        for (let i = 0; i < b.n; i++) {
          if (!b.accept(i)) continue;
          if (seen < cap) res.push(b.line(i));
          else {
            const j = Math.floor(rand() * (seen + 1));
            if (j < cap) res[j] = b.line(i);
          }
          seen++;
        }
      }
      done += p.r.source.totalBytes;
      p.eligible = seen;
      if (seen > cap) p.keep = new Set(res);
    }
  }

  const files = await cacheFiles(outDir);
  const lines = new Grow(Uint32Array, 1024);
  const offsets = new Grow(Float64Array, 1024);
  const srcIdx = new Grow(Uint32Array, 1024);
  const reported = (k: number) => sampled[k];
  const raw = await AtomicFile.create(files.rawLinesPath);
  let rawSize = 0;
  let lastByte = 10;
  // Counts what goes into raw.txt, so each file's base offset is known without reading the file back.
  const sink: RawSink = {
    write: (data) => {
      if (data.length) {
        rawSize += data.length;
        lastByte = data[data.length - 1];
      }
      return raw.fh.write(data);
    },
  };
  /** Runs one pass over every file; `copy` = this pass writes raw.txt; `step` says what the pass does with file k's rows. */
  const pass = async (phase: Progress['phase'], copy: boolean, step: (k: number) => Omit<Pass, 'phase' | 'copyTo' | 'report'>, onRow: (b: RowBatch, i: number, k: number, p: Part) => void | Promise<void>) => {
    phaseNow = phase;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      if (copy) p.base = rawSize;
      for await (const b of p.form.pass({ phase, copyTo: copy ? sink : undefined, report: copy && !reported(k), ...step(k) })) {
        for (let i = 0; i < b.n; i++) {
          if (p.keep && !p.keep.has(b.line(i))) continue;
          await onRow(b, i, k, p);
        }
      }
      done += p.r.source.totalBytes;
      // A file without a final newline must not run into the next file's first line.
      if (copy && lastByte !== 10) await sink.write(Buffer.from('\n'));
    }
  };
  const keepRow = (b: RowBatch, i: number, k: number, p: Part) => {
    b.summarize(i);
    lines.push(b.line(i));
    offsets.push(p.base + b.offset(i));
    srcIdx.push(k);
    p.rows++;
    kept++;
  };

  // No file gave a row: the reason of each, in one error naming the files.
  const noRowsCheck = () => {
    if (lines.length > 0) return;
    if (parts.length === 1) throw new DataError(first.source.file, undefined, whyNoRows(first, summary));
    throw new DataError(parts.map((p) => p.r.source.file).join(', '), undefined, `no usable rows in any file: ${parts.map((p) => `${p.r.source.file}: ${whyNoRows(p.r, summary)}`).join('; ')}`);
  };
  let lab: ReturnType<LabelState['finish']> | undefined;
  try {
    if (needFit) {
      const fitter = new TabularFitter(first.schema.columns, options.scaling, options.maxCategories);
      await pass('fit', true, (k) => ({ labels, summary, countRejects: !reported(k), fitter }), (b, i, k, p) => {
        if (!b.accept(i)) return;
        keepRow(b, i, k, p);
        b.fit(i);
      });
      noRowsCheck();
      featurizer = fitter.finish();
    }
    const f = featurizer!;
    await writeCacheFile(files.cachePath, f, async (out) => {
      const pass2Labels = needFit ? new LabelState(first, options, 0) : labels;
      kept = 0;
      const step = (k: number) => ({ labels: pass2Labels, summary: needFit ? undefined : summary, countRejects: !needFit && !reported(k), featurizer: f });
      await pass(needFit ? 'encode' : 'read', !needFit, step, async (b, i, k, p) => {
        if (!b.accept(i)) return;
        if (!needFit) keepRow(b, i, k, p);
        else {
          kept++;
          if (lines.buf[out.rows] !== b.line(i) || srcIdx.buf[out.rows] !== k) throw new DataError(p.r.source.file, b.line(i), 'file changed between the fit and encode passes');
        }
        b.encode(i, out.buf, out.at);
        await out.next();
      });
      if (!needFit) noRowsCheck();
      if (out.rows !== lines.length) throw new DataError(first.source.file, undefined, `files changed between passes (${lines.length} rows, then ${out.rows})`);
      lab = labels.finish();
      const sections = cacheSections(options.sourceName ?? names[0], f, lab, lines, offsets);
      return { ...sections, sources: names, sourceIdx: srcIdx.view(), meta: { ...sections.meta, sources: names } };
    });
    await raw.commit();
  } catch (e) {
    await raw.abort();
    throw e;
  }

  const reports: FileReport[] = parts.map((p) => ({
    source: p.r.sourceName,
    file: p.r.source.file,
    lines: p.r.state.lines,
    rows: p.rows,
    eligible: p.keep ? p.eligible : p.rows,
    malformed: p.r.malformed.count,
  }));
  const s = summarizeMany(parts, summary, labels, options, names, skippedFiles);
  s.files = reports;
  return { ...(await finishCacheImport(outDir, files, s, featurizer!, lab!, lines.length)), files: reports };
}

function summarizeMany(parts: Part[], s: SummaryBuilder, labels: LabelState, opts: ManyOptions, names: string[], skippedFiles: string[]): DatasetSummary {
  const max = opts.maxMalformedExamples ?? 20;
  const examples: MalformedLine[] = [];
  for (const p of parts) for (const m of p.r.malformed.examples) if (examples.length < max) examples.push({ ...m, reason: `${p.r.source.file}: ${m.reason}` });
  const files = parts.map((p) => p.r.source.file);
  const out = s.finish(
    {
      source: opts.sourceName ?? (names.length === 1 ? names[0] : `${names[0]} + ${names.length - 1} more`),
      file: files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, … (${files.length} files)`,
      gzip: parts.some((p) => p.r.source.gzip),
      bytes: parts.reduce((n, p) => n + p.r.source.totalBytes, 0),
      lines: parts.reduce((n, p) => n + p.r.state.lines, 0),
      malformed: { count: parts.reduce((n, p) => n + p.r.malformed.count, 0), examples },
    },
    labels.labelled ? labels.mode : undefined,
    [...skippedFiles, ...parts.flatMap((p) => p.r.warnings)],
    opts.shortcutThreshold ?? 0.9,
  );
  out.read = readReport(parts.map((p) => p.r), opts);
  return out;
}

