import { DataError } from '../errors';
import type { ImportOptions } from '../types';
import type { Layout } from './layout';

/**
 * One Zeek conn.log line as a flow of its 4-tuple: the fields the Stratosphere behaviour letters are made of
 * (docs/behaviour-letters.md). Shared by the zeek-behaviour importer and the conn.log scan, so both build
 * the same string from the same file.
 */
export interface Flow {
  ts: number;
  duration: number;
  bytes: number;
  uid: string;
  line: number;
  label: string | undefined;
  detailed: string | undefined;
}

export interface TupleFields {
  src: string;
  dst: string;
  dport: string;
  proto: string;
}

export interface ParsedFlow {
  /** `src\tdst\tdport\tproto`: the grouping key. */
  key: string;
  tuple: TupleFields;
  flow: Flow;
}

export interface ConnColumns {
  names: string[];
  sep: string;
  /** Index of the label column, -1 without one (or when options.columns.label is null). */
  labelI: number;
  detI: number;
  /** A flow, or why the line is malformed. */
  parse(f: string[], line: number): ParsedFlow | string;
}

const missing = (s: string) => s === '-' || s === '' || s === '(empty)';

/** The conn.log columns behaviour strings need, located by name; a log without them is refused naming the column. */
export function connColumns(file: string, layout: Layout, options: ImportOptions = {}): ConnColumns {
  const names = layout.names;
  const sep = layout.separator ?? '\t';
  const lower = names.map((n) => n.toLowerCase());
  const col = (...alts: string[]) => {
    for (const a of alts) {
      const i = lower.indexOf(a);
      if (i >= 0) return i;
    }
    return -1;
  };
  const need = (n: string) => {
    const i = col(n);
    if (i < 0) throw new DataError(file, undefined, `zeek-behaviour needs a "${n}" column (columns: ${names.join(', ')})`);
    return i;
  };
  const tsI = need('ts');
  const srcI = need('id.orig_h');
  const dstI = need('id.resp_h');
  const dportI = need('id.resp_p');
  const protoI = need('proto');
  const uidI = col('uid');
  const durI = col('duration');
  // IP-level bytes when Zeek logged them: closest to Argus' TotBytes, on which the size thresholds were set.
  const ip = col('orig_ip_bytes') >= 0 && col('resp_ip_bytes') >= 0;
  const ob = ip ? col('orig_ip_bytes') : col('orig_bytes');
  const rb = ip ? col('resp_ip_bytes') : col('resp_bytes');
  let labelI = col('label');
  if (options.columns?.label === null) labelI = -1;
  else if (options.columns?.label !== undefined) {
    labelI = col(options.columns.label.toLowerCase());
    if (labelI < 0) throw new DataError(file, undefined, `no column named "${options.columns.label}" (columns: ${names.join(', ')})`);
  }
  const detI = col('detailedlabel');
  const fixed = labelI < 0 ? options.fixedLabel : undefined;
  const num = (f: string[], i: number): number => (i < 0 || missing(f[i]) ? 0 : +f[i]);
  return {
    names,
    sep,
    labelI,
    detI,
    parse(f, line) {
      if (f.length !== names.length) return `expected ${names.length} ${sep === '\t' ? 'tab' : JSON.stringify(sep)}-separated fields, got ${f.length}`;
      const ts = +f[tsI];
      if (missing(f[tsI]) || !Number.isFinite(ts)) return `field ${tsI + 1} (ts): "${f[tsI].slice(0, 40)}" is not a number`;
      const duration = num(f, durI);
      const bytes = num(f, ob) + num(f, rb);
      if (!(duration >= 0) || !(bytes >= 0)) {
        const bad = !(duration >= 0) ? durI : !(num(f, ob) >= 0) ? ob : rb;
        return `field ${bad + 1} (${names[bad]}): "${f[bad].slice(0, 40)}" is not a non-negative number`;
      }
      let label = fixed;
      if (labelI >= 0) {
        label = f[labelI].trim();
        if (missing(label)) return `field ${labelI + 1} (${names[labelI]}) is empty`;
      }
      const det = detI >= 0 && !missing(f[detI]) ? f[detI] : undefined;
      return {
        key: `${f[srcI]}\t${f[dstI]}\t${f[dportI]}\t${f[protoI]}`,
        tuple: { src: f[srcI], dst: f[dstI], dport: f[dportI], proto: f[protoI] },
        flow: { ts, duration, bytes, uid: uidI >= 0 ? f[uidI] : '', line, label, detailed: det },
      };
    },
  };
}

export interface Tuple extends TupleFields {
  /** Line of the tuple's first flow in the file. */
  line: number;
  flows: Flow[];
  /** Flows seen but not kept (past maxFlows): later in time than every kept one. */
  dropped: number;
}

const byStart = (a: Flow, b: Flow) => a.ts - b.ts || a.line - b.line;

/**
 * Flows grouped by 4-tuple in first-seen order. With maxFlows, each tuple keeps only its maxFlows earliest
 * flows (by start time, then line): the first tokens of a behaviour string depend only on the earliest flows,
 * so a model reading at most maxFlows characters scores it exactly while memory stays bounded per tuple.
 */
export class TupleTable {
  readonly tuples = new Map<string, Tuple>();
  constructor(private readonly maxFlows = Infinity) {}

  add(p: ParsedFlow): void {
    let tup = this.tuples.get(p.key);
    if (!tup) this.tuples.set(p.key, (tup = { ...p.tuple, line: p.flow.line, flows: [], dropped: 0 }));
    tup.flows.push(p.flow);
    // Trim in amortised steps: sort once the list is twice the cap, keep the earliest.
    if (tup.flows.length >= 2 * this.maxFlows) {
      tup.flows.sort(byStart);
      tup.dropped += tup.flows.length - this.maxFlows;
      tup.flows.length = this.maxFlows;
    }
  }

  get size(): number {
    return this.tuples.size;
  }

  /** Tuples in first-seen order (so by the line of their first flow), each with its kept flows sorted by start. */
  *sorted(): Generator<Tuple> {
    for (const tup of this.tuples.values()) {
      tup.flows.sort(byStart);
      if (tup.flows.length > this.maxFlows) {
        tup.dropped += tup.flows.length - this.maxFlows;
        tup.flows.length = this.maxFlows;
      }
      yield tup;
    }
  }
}
