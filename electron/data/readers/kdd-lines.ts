import { readBlocks } from '../files/line-source';
import type { ColumnSpec } from '../featurize';
import { KddScanner, type ScanOptions } from './kdd-byte-scanner';
import { KDD_CATEGORICAL, KDD_FEATURES, KDD_PROTOCOLS } from './kdd-columns';
import { checkChanged, openLineReader } from './line-reader';
import type { BatchOptions, DatasetReader, OpenRequest } from './reader';
import { numericError, type RowParser } from './row-parser';

/**
 * What KDD'99 and NSL-KDD share: the line parser, and the byte path (reader.coded) that parses
 * ~1 MiB blocks straight into column-packed batches; the import pipeline takes it when it can.
 */
/** Most of the first 20 lines satisfy `pred` (or the first does): a bad line near the top is a bad line, not another format. */
export function mostLines(lines: string[], pred: (l: string) => boolean): boolean {
  const data = lines.slice(0, 20);
  return pred(data[0]) || data.filter(pred).length >= 0.8 * data.length;
}

/** The first lines are KDD records of `n` comma-separated fields (tcp/udp/icmp in field 2). */
export function looksLikeKdd(lines: string[], n: number): boolean {
  const data = lines.slice(0, 20);
  return (
    mostLines(lines, (l) => {
      const f = l.split(',');
      return f.length === n && KDD_PROTOCOLS.has(f[1]);
    }) && data.filter((l) => KDD_PROTOCOLS.has(l.split(',')[1])).length >= 0.8 * data.length
  );
}

export function openKddReader(req: OpenRequest, format: 'kdd99' | 'nsl-kdd'): DatasetReader {
  const parser = kddParser(format);
  const reader = openLineReader(req, parser);
  reader.coded = (o) => codedBatches(reader, parser, req, o);
  return reader;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** The record parser of both KDD formats; the byte scanner falls back to it for any line that is not plain. */
export function kddParser(format: 'kdd99' | 'nsl-kdd'): RowParser {
  const nsl = format === 'nsl-kdd';
  const expected = nsl ? 43 : 42;
  const isCat = KDD_FEATURES.map((n) => KDD_CATEGORICAL.has(n));
  const columns: ColumnSpec[] = KDD_FEATURES.map((name, i) => ({ name, type: isCat[i] ? 'categorical' : 'numeric' }));
  const count = (t: string) => {
    let n = 1;
    for (let i = t.indexOf(','); i >= 0; i = t.indexOf(',', i + 1)) n++;
    return n;
  };
  return {
    schema: { format, kind: 'tabular', columns, labelSource: 'label', taxonomy: 'kdd', metaColumns: nsl ? ['difficulty'] : [] },
    // A line of spaces is a blank line, not a record with one field: counted as blank on both paths.
    skip: (t) => t.length === 0 || (t.charCodeAt(0) <= 32 && t.trim() === ''),
    parse(text, num, at) {
      const cat: string[] = [];
      const L = text.length;
      let i = 0;
      let a: number;
      // One left-to-right sweep: find each comma and parse plain decimals on the way (no substrings).
      for (let f = 0; f < 41; f++) {
        a = i;
        if (isCat[f]) {
          while (i < L && text.charCodeAt(i) !== 44) i++;
          if (i >= L) return `expected ${expected} comma-separated fields, got ${count(text)}`;
          if (i === a) return `field ${f + 1} (${KDD_FEATURES[f]}) is empty`;
          cat.push(text.slice(a, i));
        } else {
          let neg = false;
          let m = 0;
          let digits = 0;
          let dot = -1;
          let plain = true;
          if (i < L && text.charCodeAt(i) === 45) {
            neg = true;
            i++;
          }
          for (; i < L; i++) {
            const c = text.charCodeAt(i);
            if (c === 44) break;
            if (c >= 48 && c <= 57) {
              m = m * 10 + (c - 48);
              digits++;
            } else if (c === 46 && dot < 0) dot = i;
            else plain = false;
          }
          if (i >= L) return `expected ${expected} comma-separated fields, got ${count(text)}`;
          let v: number;
          if (plain && digits > 0 && digits <= 15) {
            // M / 10^k with M < 2^53 is one correctly rounded division: bit-identical to Number(s).
            v = dot < 0 ? m : m / POW10[i - dot - 1];
            if (neg) v = -v;
          } else v = i > a ? +text.slice(a, i) : NaN;
          if (v !== v) return numericError(f, KDD_FEATURES[f], text.slice(a, i));
          num[at++] = v;
        }
        i++;
      }
      a = i;
      const keyEnd = a - 1;
      const lb = text.indexOf(',', a);
      if (nsl ? lb < 0 || text.indexOf(',', lb + 1) >= 0 : lb >= 0) return `expected ${expected} comma-separated fields, got ${count(text)}`;
      let label = nsl ? text.slice(a, lb) : text.slice(a);
      if (label.endsWith('.')) label = label.slice(0, -1);
      if (label.length === 0) return 'field 42 (label) is empty';
      if (!nsl) return { cat, label, key: text.slice(0, keyEnd) };
      const ds = text.slice(lb + 1);
      const d = +ds;
      if (!(Number.isInteger(d) && d >= 0 && d <= 21) || ds.length === 0) return `field 43 (difficulty): "${ds}" is not an integer 0–21`;
      return { cat, label, meta: { difficulty: d }, key: text.slice(0, keyEnd) };
    },
  };
}

async function* codedBatches(r: DatasetReader, parser: RowParser, req: OpenRequest, o: BatchOptions & ScanOptions): AsyncGenerator<KddScanner> {
  const { ctx } = req;
  const report = o.report ?? true;
  const log = req.newLog(report ? r.errors : 'lenient');
  if (report) r.malformed = log;
  r.state = { bytesRead: 0, lines: 0 };
  const phase = o.phase ?? 'read';
  const scan = new KddScanner(parser, log, o, req.lead);
  let rows = 0;
  for await (const _ of readBlocks(r.source, r.state, { signal: ctx.signal, copyTo: o.copyTo }, scan)) {
    rows += scan.batch.n;
    ctx.onProgress?.({ phase, bytesRead: r.state.bytesRead, totalBytes: r.source.totalBytes, lines: r.state.lines, rows });
    if (scan.batch.n) yield scan;
    scan.batch.reset();
  }
  checkChanged(r);
}
