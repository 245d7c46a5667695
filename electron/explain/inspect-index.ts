import fs from 'node:fs';
import type { InspectRow } from '../../shared/inspect';
import { indexRowId, readCacheIndex, type CacheIndex } from '../data/cache/cache-index';
import { argmaxRows } from '../eval/predict';
import { readProba, readRows, rowsPathFor } from '../eval/run-eval';

/** Per dataset row: each evaluation's predicted class (-1 = not scored) and confidence. */
export interface InspectIndex {
  index: CacheIndex;
  classes: string[];
  preds: Int32Array[];
  confs: Float32Array[];
  rawPath: string;
}

export async function buildInspectIndex(cachePath: string, rawPath: string, classes: string[], probaPaths: string[]): Promise<InspectIndex> {
  const index = await readCacheIndex(cachePath);
  const n = index.header.rows;
  const k = classes.length;
  const preds: Int32Array[] = [];
  const confs: Float32Array[] = [];
  for (const p of probaPaths) {
    const proba = readProba(p);
    const rows = readRows(rowsPathFor(p));
    const am = argmaxRows(proba, k);
    const pred = new Int32Array(n).fill(-1);
    const conf = new Float32Array(n);
    rows.forEach((r, i) => {
      pred[r] = am[i];
      conf[r] = proba[i * k + am[i]];
    });
    preds.push(pred);
    confs.push(conf);
  }
  return { index, classes, preds, confs, rawPath };
}

/** Rows whose raw line contains `needle`, by streaming the raw-lines file once (memory: one chunk). */
export async function searchRaw(idx: InspectIndex, needle: string): Promise<Uint8Array> {
  const n = idx.index.header.rows;
  const hit = new Uint8Array(n);
  const offsets = idx.index.rawOffsets;
  if (!offsets || needle === '') return hit.fill(1);
  const rowAt = new Map<number, number>();
  for (let r = 0; r < n; r++) rowAt.set(offsets[r], r);
  const target = Buffer.from(needle, 'utf8');
  let carry: Buffer = Buffer.alloc(0);
  let base = 0; // file offset of carry[0]
  for await (const chunk of fs.createReadStream(idx.rawPath, { highWaterMark: 1 << 20 })) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      const r = rowAt.get(base + start);
      if (r !== undefined && buf.subarray(start, nl).indexOf(target) >= 0) hit[r] = 1;
      start = nl + 1;
    }
    carry = buf.subarray(start);
    base += start;
  }
  const r = rowAt.get(base);
  if (r !== undefined && carry.indexOf(target) >= 0) hit[r] = 1;
  return hit;
}

export interface Filter {
  trueClass?: number;
  predClass?: number;
  by: number;
  misclassified: boolean;
  disagree: boolean;
  minConfidence: number;
  maxConfidence: number;
  search?: Uint8Array;
  only?: Set<number>;
  sort: 'row' | 'true' | 'pred' | 'conf';
  descending: boolean;
}

export function queryRows(idx: InspectIndex, f: Filter): Int32Array {
  const n = idx.index.header.rows;
  const labels = idx.index.labels;
  const pred = idx.preds[f.by];
  const conf = idx.confs[f.by];
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    const t = labels ? labels[r] : -1;
    if (f.trueClass !== undefined && t !== f.trueClass) continue;
    if (f.search && !f.search[r]) continue;
    if (f.only && !f.only.has(r)) continue;
    const needsPred = f.predClass !== undefined || f.misclassified || f.minConfidence > 0 || f.maxConfidence < 1 || f.sort === 'pred' || f.sort === 'conf';
    if (needsPred && pred[r] < 0) continue;
    if (f.predClass !== undefined && pred[r] !== f.predClass) continue;
    if (f.misclassified && (t < 0 || pred[r] === t)) continue;
    if (conf[r] < f.minConfidence || conf[r] > f.maxConfidence) continue;
    if (f.disagree) {
      let differ = false;
      for (let e = 1; e < idx.preds.length && !differ; e++) differ = idx.preds[e][r] !== idx.preds[0][r];
      if (!differ) continue;
    }
    out.push(r);
  }
  const rows = Int32Array.from(out);
  if (f.sort !== 'row') {
    const key = f.sort === 'true' ? (labels ?? new Int32Array(n)) : f.sort === 'pred' ? pred : conf;
    rows.sort((a, b) => key[a] - key[b] || a - b);
  }
  if (f.descending) rows.reverse();
  return rows;
}

export function toInspectRows(idx: InspectIndex, rows: Int32Array): InspectRow[] {
  const { labels } = idx.index;
  return Array.from(rows, (r) => ({
    row: r,
    id: indexRowId(idx.index, r),
    trueLabel: labels && labels[r] >= 0 ? idx.classes[labels[r]] ?? null : null,
    preds: idx.preds.map((p, e) => (p[r] >= 0 ? { label: idx.classes[p[r]], confidence: idx.confs[e][r] } : null)),
  }));
}
