import path from 'node:path';
import type { ScanStats } from '../../shared/scan';
import { CharSeqEncoder, type CharSeqJSON } from '../data/featurize/charseq';
import { normalIndexOf } from '../eval/run-eval';
import { JobCancelledError, type JobHandler } from '../jobs/context';
import { openDatabase } from '../store/db';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { ScanWriter, type Cursor } from './scan-store';
import { scanLines } from './url-lines';

export interface ScanJobInput {
  scanId: string;
  dbPath: string;
  runDir: string;
  files: string[];
  featurizer: CharSeqJSON;
  classes: string[];
  threshold: number;
  cursor: Cursor;
  stats: ScanStats;
}

const BATCH = 512;
const COMMIT_EVERY_MS = 1000;

/**
 * Streams URL files through a character model. Every batch is committed with the position it reached, so a
 * cancel or a crash loses at most the batch in flight and a resume continues from the stored line.
 */
export const scanJob: JobHandler = async (raw, ctx) => {
  const input = raw as ScanJobInput;
  const db = openDatabase(input.dbPath);
  const writer = new ScanWriter(db, input.scanId);
  const model = await deserializeClassifier(readRunModel(input.runDir));
  const encoder = new CharSeqEncoder(input.featurizer);
  const k = input.classes.length;
  const normal = normalIndexOf(input.classes);
  const stats: ScanStats = structuredClone(input.stats);
  const startedAt = Date.now();
  const elapsedBefore = stats.elapsedMs;
  const scannedBefore = stats.scanned;
  const controller = new AbortController();
  const poll = setInterval(() => ctx.shouldStop() && controller.abort(), 100);

  let pending = new Map<string, { file: number; line: number }>();
  let repeats: string[] = [];
  let lastCommit = Date.now();
  let cursor: Cursor = { ...input.cursor };

  const commit = async () => {
    const urls = [...pending.keys()];
    const scored: { url: string; score: number; file: number; line: number }[] = [];
    if (urls.length) {
      const x = new Int32Array(urls.length * encoder.dim);
      urls.forEach((u, i) => encoder.encodeInto(u, x, i * encoder.dim));
      const proba = await model.predictProba(x, urls.length);
      urls.forEach((u, i) => {
        const p = normal === null ? proba[i * k + 1] : 1 - proba[i * k + normal];
        const at = pending.get(u)!;
        scored.push({ url: u, score: p, file: at.file, line: at.line });
      });
    }
    stats.scanned += scored.length;
    stats.elapsedMs = elapsedBefore + (Date.now() - startedAt);
    stats.urlsPerSecond = stats.elapsedMs > 0 ? (stats.scanned / stats.elapsedMs) * 1000 : 0;
    writer.commit(scored, repeats, { ...stats, threshold: input.threshold }, cursor);
    pending = new Map();
    repeats = [];
    lastCommit = Date.now();
    if (ctx.shouldStop()) throw new JobCancelledError();
  };

  try {
    for (let f = input.cursor.file; f < input.files.length; f++) {
      const file = input.files[f];
      const after = f === input.cursor.file ? input.cursor.line : 0;
      for await (const lines of scanLines(file, after, controller.signal, (p) => {
        const fraction = (f + (p.totalBytes ? p.bytesRead / p.totalBytes : 1)) / input.files.length;
        const sessionSecs = (Date.now() - startedAt) / 1000;
        const rate = sessionSecs > 0 ? (stats.scanned - scannedBefore) / sessionSecs : 0;
        ctx.progress({
          fraction: Math.min(1, fraction),
          message: `${path.basename(file)}: ${stats.lines.toLocaleString('en-US')} lines, ${stats.scanned.toLocaleString('en-US')} URLs scored`,
          metrics: { lines: stats.lines, scanned: stats.scanned, duplicates: stats.duplicates, urlsPerSecond: rate },
          ...(fraction > 0.01 && sessionSecs > 1 ? { etaSeconds: (sessionSecs / fraction) * (1 - fraction) } : {}),
        });
      })) {
        for (const l of lines) {
          stats.lines++;
          if (l.kind === 'skip') stats.skipped[l.reason]++;
          else if (l.kind === 'url') {
            if (pending.has(l.url) || writer.seen(l.url)) {
              stats.duplicates++;
              repeats.push(l.url);
            } else {
              pending.set(l.url, { file: f, line: l.line });
            }
          }
          cursor = { file: f, line: l.line };
          if (pending.size >= BATCH) await commit();
        }
        if (Date.now() - lastCommit > COMMIT_EVERY_MS) await commit();
      }
      cursor = { file: f + 1, line: 0 };
      await commit();
    }
    return { stats, cursor };
  } catch (err) {
    // A cancel raised by the reader (abort) is still a cancel; what was committed stays.
    if (controller.signal.aborted) throw new JobCancelledError();
    throw err;
  } finally {
    clearInterval(poll);
    model.dispose();
    db.close();
  }
};
