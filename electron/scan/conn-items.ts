import type { BehaviourRecord } from '../../shared/behaviour-flows';
import { DataError } from '../data/errors';
import { openSource, readHead, readLines, type ReadState } from '../data/files/line-source';
import { behaviourTokens, thresholds } from '../data/readers/behaviour-letters';
import { connColumns, TupleTable } from '../data/readers/conn-flows';
import { headLines } from '../data/readers/head-lines';
import { readZeekHeader } from '../data/readers/zeek-header';
import type { BehaviourThresholds } from '../data/types';
import type { FileProgress, ScanLine } from './url-lines';

/** A conn 4-tuple as scan items, verdicts and conn suppression rules write it: `src dst dport proto`. */
export function connItem(t: { src: string; dst: string; dport: string; proto: string }): string {
  return `${t.src} ${t.dst} ${t.dport} ${t.proto}`;
}

/**
 * A Zeek conn.log as behaviour strings, one scan item per 4-tuple, built by the importer's own code
 * (conn-flows.ts, behaviour-letters.ts). Memory: the tuple map, and at most `maxFlows` flows per tuple (the
 * earliest: the model reads the string's start, and every flow adds at least one letter, so a cap of the
 * encoder's maximum length scores each tuple exactly). Items come after the whole file is read, in the order
 * of their first line; a resume skips those at or before `afterLine`. Each item carries, as its detail, the
 * tuple's record in the importer's raw form: the flows behind each letter, with their lines.
 */
export async function* connItems(
  filePath: string,
  afterLine: number,
  signal: AbortSignal,
  onProgress: (p: FileProgress) => void,
  opts: { maxFlows: number; thresholds?: Partial<BehaviourThresholds> },
): AsyncGenerator<ScanLine[]> {
  const src = await openSource(filePath);
  const head = await readHead(src);
  const layout = readZeekHeader(headLines(head, head.length >= src.contentBytes && !src.gzip));
  if (!layout) throw new DataError(src.file, 1, 'not a zeek log: no #fields header line in the first lines');
  const cols = connColumns(src.file, layout, { columns: { label: null } });
  const th = thresholds(opts.thresholds);
  const table = new TupleTable(opts.maxFlows);
  const state: ReadState = { bytesRead: 0, lines: 0 };
  const skips = { tooLong: 0, binary: 0, notUrl: 0 };
  for await (const items of readLines(src, state, { signal })) {
    for (const it of items) {
      if (it.error !== undefined) {
        skips[it.error.includes('longer') ? 'tooLong' : 'binary']++;
        continue;
      }
      const t = it.text;
      if (t.length === 0 || t.charCodeAt(0) === 35 /* '#' */) continue;
      const p = cols.parse(t.split(cols.sep), it.n);
      if (typeof p === 'string') {
        skips.notUrl++;
        continue;
      }
      table.add(p);
    }
    onProgress({ bytesRead: state.bytesRead, totalBytes: src.totalBytes });
  }
  // Malformed lines are counted once, on the pass that starts the file (a resume has counted them), at line
  // 0: their real lines are spread between tuples that are still to be committed, and the cursor must not pass those.
  if (afterLine === 0) {
    const counted = (Object.keys(skips) as (keyof typeof skips)[]).filter((r) => skips[r] > 0).map((reason): ScanLine => ({ kind: 'skip', line: 0, reason, lines: skips[reason] }));
    if (counted.length) yield counted;
  }
  let out: ScanLine[] = [];
  for (const tup of table.sorted()) {
    if (tup.line <= afterLine) continue;
    const tokens = behaviourTokens(tup.flows, th);
    const behaviour = tokens.join('');
    const record: BehaviourRecord = {
      tuple: { src: tup.src, dst: tup.dst, dport: tup.dport, proto: tup.proto },
      behaviour,
      flows: tup.flows.map((fl, k) => ({ uid: fl.uid, line: fl.line, ts: fl.ts, token: tokens[k] })),
      ...(tup.dropped ? { omittedFlows: tup.dropped } : {}),
    };
    out.push({ kind: 'url', line: tup.line, url: connItem(tup), text: behaviour, detail: JSON.stringify(record), lines: tup.flows.length + tup.dropped });
    if (out.length >= 1024) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}
