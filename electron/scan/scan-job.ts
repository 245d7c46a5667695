import os from 'node:os';
import path from 'node:path';
import type { ScanStats } from '../../shared/scan';
import { CharSeqEncoder, type CharSeqJSON } from '../data/featurize/charseq';
import type { TabularFeaturizerJSON } from '../data/featurize/tabular';
import { normalIndexOf } from '../eval/run-eval';
import { JobCancelledError, type JobContext, type JobHandler } from '../jobs/context';
import { openDatabase } from '../store/db';
import { openScorer, prepareOnnx } from '../onnx/scorer';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { InferencePool } from './infer-pool';
import { ScanWriter, type Cursor } from './scan-store';
import { compileRules } from '../triage/rules';
import { listRules } from '../triage/rule-store';
import { scanItems, type ScanInputKind, type ScanItemOptions, type ScanTarget } from './item-lines';

export interface ScanJobInput {
  scanId: string;
  dbPath: string;
  runDir: string;
  files: string[];
  /** How each file reads (list, squid, zeek dns/http), detected when the scan starts or resumes. */
  inputs: ScanInputKind[];
  /** Whole URLs, the domain names a DGA / domain model reads, conn.log behaviour strings, or records. */
  target: ScanTarget;
  /** A character encoder (text and behaviour models) or the records model's fitted featurizer. */
  featurizer: CharSeqJSON | TabularFeaturizerJSON;
  /** conn.log: flows kept per 4-tuple; records: the training set's format. */
  items: ScanItemOptions;
  classes: string[];
  threshold: number;
  cursor: Cursor;
  stats: ScanStats;
}

const BATCH = 512;
const COMMIT_EVERY_MS = 1000;
/** Batches queued per inference worker: one computing, one waiting, so a worker never idles between batches. */
const IN_FLIGHT_PER_WORKER = 2;
const MAX_WORKERS = 4;

type Predict = (x: Int32Array | Float32Array, rows: number) => Promise<Float32Array>;

/** Where an item was first seen, what the model reads of it, and what is stored beside its score. */
interface Pending {
  file: number;
  line: number;
  text?: string;
  features?: Float32Array;
  detail?: string;
}

/** A closed batch: the URLs it scores and everything its commit records (repeats, counts, where it got to). */
interface Batch {
  urls: string[];
  at: Pending[];
  repeats: string[];
  cursor: Cursor;
  counts: Pick<ScanStats, 'lines' | 'duplicates' | 'skipped'>;
  proba: Promise<Float32Array | null>;
  /** Set when proba settles, so finished batches are committed without waiting for a full queue. */
  ready: boolean;
}

/**
 * Inference workers for this scan: one per core when the scan has the machine to itself (onnxruntime and
 * tf.js wasm each compute on the thread that calls them), one when other jobs run. DEEPTRIAGE_SCAN_WORKERS
 * overrides (0 = in this thread).
 */
function workerCount(ctx: JobContext): number {
  const forced = process.env.DEEPTRIAGE_SCAN_WORKERS;
  if (forced !== undefined && forced.trim() !== '' && Number.isInteger(Number(forced))) return Math.max(0, Math.min(MAX_WORKERS, Number(forced)));
  if (ctx.runningJobs > 1) return 1;
  return Math.max(1, Math.min(MAX_WORKERS, os.availableParallelism()));
}

/**
 * Streams URL files through a character model. Batches are scored by inference workers while this thread
 * reads on, and committed strictly in order, each with the position it reached, so a cancel or a crash loses
 * at most the batches in flight and a resume continues from the stored line.
 */
export const scanJob: JobHandler = async (raw, ctx) => {
  const input = raw as ScanJobInput;
  const db = openDatabase(input.dbPath);
  const writer = new ScanWriter(db, input.scanId);
  // Rules as they stand when this session starts: a rule added mid-scan reaches earlier results through rules.apply.
  const suppress = compileRules(listRules(db));
  const encoder = input.featurizer.kind === 'charseq' ? new CharSeqEncoder(input.featurizer) : null;
  const dim = input.featurizer.kind === 'charseq' ? encoder!.dim : input.featurizer.outputDim;
  const k = input.classes.length;
  const normal = normalIndexOf(input.classes);
  const stats: ScanStats = structuredClone(input.stats);
  const startedAt = Date.now();
  const elapsedBefore = stats.elapsedMs;
  const scannedBefore = stats.scanned;
  const controller = new AbortController();
  const poll = setInterval(() => ctx.shouldStop() && controller.abort(), 100);

  const workers = workerCount(ctx);
  let pool: InferencePool | null = null;
  let dispose = async () => {};
  let predict: Predict;
  const backend = ctx.backend?.name ?? 'wasm';
  if (workers > 0) {
    // Convert once here; workers then hold only their onnxruntime session (or load the model themselves).
    const model = await deserializeClassifier(readRunModel(input.runDir));
    const prepared = await prepareOnnx(model).finally(() => model.dispose());
    pool = await InferencePool.start({ runDir: input.runDir, backend, ...('why' in prepared ? {} : { onnx: prepared }) }, workers);
    predict = (x, rows) => pool!.predict(x, rows);
    stats.engine = `${pool.engine} × ${workers} worker${workers > 1 ? 's' : ''}`;
  } else {
    const scorer = await openScorer(input.runDir, backend);
    predict = (x, rows) => scorer.predict(x, rows);
    dispose = () => scorer.dispose();
    stats.engine = scorer.engine;
  }
  const maxInFlight = Math.max(1, workers) * IN_FLIGHT_PER_WORKER;

  let pending = new Map<string, Pending>();
  let repeats: string[] = [];
  let cursor: Cursor = { ...input.cursor };
  let openedAt = Date.now();
  /** URLs of batches sent but not yet committed: they are not in the database yet, but are not new either. */
  const inFlightUrls = new Set<string>();
  const queue: Batch[] = [];
  let committed = stats.scanned;

  const commitOldest = async () => {
    const b = queue[0];
    const proba = await b.proba;
    queue.shift();
    const scored = b.urls.map((url, i) => ({
      url,
      score: normal === null ? proba![i * k + 1] : 1 - proba![i * k + normal],
      file: b.at[i].file,
      line: b.at[i].line,
      detail: b.at[i].detail ?? null,
      suppressedBy: suppress(url),
    }));
    committed += scored.length;
    const elapsedMs = elapsedBefore + (Date.now() - startedAt);
    const snapshot: ScanStats = {
      ...b.counts,
      ...(stats.engine ? { engine: stats.engine } : {}),
      scanned: committed,
      elapsedMs,
      urlsPerSecond: elapsedMs > 0 ? (committed / elapsedMs) * 1000 : 0,
    };
    writer.commit(scored, b.repeats, { ...snapshot, threshold: input.threshold }, b.cursor);
    stats.scanned = committed;
    stats.elapsedMs = elapsedMs;
    stats.urlsPerSecond = snapshot.urlsPerSecond;
    for (const u of b.urls) inFlightUrls.delete(u);
  };

  /** Closes the current batch: sends its URLs to be scored, then commits the oldest batches while too many are out. */
  const close = async () => {
    const urls = [...pending.keys()];
    let proba: Promise<Float32Array | null> = Promise.resolve(null);
    if (urls.length) {
      let x: Int32Array | Float32Array;
      if (encoder) {
        const ids = new Int32Array(urls.length * dim);
        urls.forEach((u, i) => encoder.encodeInto(pending.get(u)!.text ?? u, ids, i * dim));
        x = ids;
      } else {
        const rows = new Float32Array(urls.length * dim);
        urls.forEach((u, i) => rows.set(pending.get(u)!.features!, i * dim));
        x = rows;
      }
      proba = predict(x, urls.length);
      for (const u of urls) inFlightUrls.add(u);
    }
    const batch: Batch = {
      urls,
      at: urls.map((u) => pending.get(u)!),
      repeats,
      cursor,
      counts: { lines: stats.lines, duplicates: stats.duplicates, skipped: { ...stats.skipped } },
      proba,
      ready: urls.length === 0,
    };
    // A batch dropped by a cancel is never awaited; its failure must not surface as unhandled.
    proba.then(() => (batch.ready = true), () => (batch.ready = true));
    queue.push(batch);
    pending = new Map();
    repeats = [];
    openedAt = Date.now();
    while (queue.length >= maxInFlight || queue[0]?.ready) await commitOldest();
    if (ctx.shouldStop()) throw new JobCancelledError();
  };

  const drain = async () => {
    while (queue.length) await commitOldest();
    if (ctx.shouldStop()) throw new JobCancelledError();
  };

  try {
    for (let f = input.cursor.file; f < input.files.length; f++) {
      const file = input.files[f];
      const after = f === input.cursor.file ? input.cursor.line : 0;
      const target = input.target === 'url' || input.target === 'domain' ? input.target : 'url';
      for await (const lines of scanItems(file, input.inputs[f], target, after, controller.signal, (p) => {
        const fraction = (f + (p.totalBytes ? p.bytesRead / p.totalBytes : 1)) / input.files.length;
        const sessionSecs = (Date.now() - startedAt) / 1000;
        const rate = sessionSecs > 0 ? (committed - scannedBefore) / sessionSecs : 0;
        ctx.progress({
          fraction: Math.min(1, fraction),
          message: `${path.basename(file)}: ${stats.lines.toLocaleString('en-US')} lines, ${committed.toLocaleString('en-US')} URLs scored`,
          metrics: { lines: stats.lines, scanned: committed, duplicates: stats.duplicates, urlsPerSecond: rate },
          ...(fraction > 0.01 && sessionSecs > 1 ? { etaSeconds: (sessionSecs / fraction) * (1 - fraction) } : {}),
        });
      }, input.items)) {
        for (const l of lines) {
          stats.lines += l.kind === 'header' ? 1 : (l.lines ?? 1);
          if (l.kind === 'skip') stats.skipped[l.reason] += l.lines ?? 1;
          else if (l.kind === 'url') {
            if (pending.has(l.url) || inFlightUrls.has(l.url) || writer.seen(l.url)) {
              stats.duplicates++;
              repeats.push(l.url);
            } else {
              pending.set(l.url, { file: f, line: l.line, ...(l.text !== undefined ? { text: l.text } : {}), ...(l.features ? { features: l.features } : {}), ...(l.detail !== undefined ? { detail: l.detail } : {}) });
            }
          }
          cursor = { file: f, line: l.line };
          if (pending.size >= BATCH) await close();
        }
        if (Date.now() - openedAt > COMMIT_EVERY_MS) await close();
      }
      cursor = { file: f + 1, line: 0 };
      await close();
    }
    await drain();
    return { stats, cursor };
  } catch (err) {
    // A cancel raised by the reader (abort) is still a cancel; what was committed stays.
    if (controller.signal.aborted || err instanceof JobCancelledError) throw new JobCancelledError();
    throw err;
  } finally {
    clearInterval(poll);
    await pool?.close();
    await dispose();
    db.close();
  }
};
