import type { EvalRecordsPage } from '../../shared/run';
import { readRawLine } from '../data/cache/cache-file';
import { indexRowId, readCacheIndex } from '../data/cache/cache-index';
import { argmaxRows } from './predict';
import { readProba, readRows, rowsPathFor } from './run-eval';

export interface RecordsQuery {
  trueClass?: number;
  predClass?: number;
  offset: number;
  limit: number;
}

/**
 * The records behind an evaluation, optionally one confusion-matrix cell: row id, labels, confidence and
 * the raw line, a page at a time (a cell of the KDD'99 test set can hold 200,000 rows).
 */
export async function evalRecords(
  probaPath: string,
  cachePath: string,
  rawPath: string,
  classes: string[],
  q: RecordsQuery,
): Promise<EvalRecordsPage> {
  const k = classes.length;
  const proba = readProba(probaPath);
  const rows = readRows(rowsPathFor(probaPath));
  const pred = argmaxRows(proba, k);
  const index = await readCacheIndex(cachePath);
  const matches: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const t = index.labels ? index.labels[rows[i]] : -1;
    if (q.trueClass !== undefined && t !== q.trueClass) continue;
    if (q.predClass !== undefined && pred[i] !== q.predClass) continue;
    matches.push(i);
  }
  const page = matches.slice(q.offset, q.offset + q.limit);
  const out = [];
  for (const i of page) {
    const r = rows[i];
    const t = index.labels ? index.labels[r] : -1;
    out.push({
      row: r,
      id: indexRowId(index, r),
      trueLabel: t >= 0 ? classes[t] : null,
      predicted: classes[pred[i]],
      confidence: proba[i * k + pred[i]],
      raw: index.rawOffsets ? (await readRawLine(rawPath, index.rawOffsets[r])).slice(0, 2000) : '',
    });
  }
  return { total: matches.length, offset: q.offset, rows: out };
}
