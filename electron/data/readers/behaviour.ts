import { DataError } from '../errors';
import { readLines, type SourceInfo } from '../files/line-source';
import { DEFAULT_BENIGN } from '../labels/label-encoder';
import type { DataRecord, DatasetSchema, ErrorMode, ImportOptions, RunContext } from '../types';
import { behaviourTokens, thresholds } from './behaviour-letters';
import type { Layout } from './layout';
import type { MalformedLog } from './malformed-lines';
import type { BatchOptions, DatasetReader, FormatReader } from './reader';
import { readZeekHeader } from './zeek-header';
import { connColumns, TupleTable, type Flow } from './conn-flows';

/**
 * 'zeek-behaviour': a Zeek conn.log read as Stratosphere behaviour strings, one record per
 * (source IP, destination IP, destination port, protocol) tuple. Flows are grouped in memory
 * (~100 bytes per flow), so a pass ends before the first record is yielded.
 * Record: text = the behaviour string; line = the line of the tuple's first flow in the file (so the
 * id is `${file}:${line}`); raw = one compact JSON line with the tuple, its string and the flows
 * behind each token (uid, line, ts, token, label), for the Inspect view.
 */

/** Behaviour strings are an explicit choice (options.format): the same conn.log imports per flow by default. */
export const behaviourReader: FormatReader = {
  formats: ['zeek-behaviour'],
  detect(file, lines, forced) {
    if (!forced) return undefined;
    const layout = readZeekHeader(lines);
    if (!layout) throw new DataError(file, 1, 'not a zeek log: no #fields header line in the first lines');
    return { ...layout, format: 'zeek-behaviour' };
  },
  open: (req) =>
    openBehaviour(req.source, req.sourceName, req.layout, req.options, req.ctx, req.errors, req.warnings, req.newLog, Math.ceil(req.source.contentBytes / 100)),
};

/** Labels Stratosphere uses for traffic that is neither confirmed benign nor malicious. */
export const DEFAULT_BEHAVIOUR_DROP = ['Background'];

export function openBehaviour(
  source: SourceInfo,
  sourceName: string,
  layout: Layout,
  options: ImportOptions,
  ctx: RunContext,
  errors: ErrorMode,
  warnings: string[],
  newLog: (mode: ErrorMode) => MalformedLog,
  estimatedRows: number,
): DatasetReader {
  const file = source.file;
  const cols = connColumns(file, layout, options);
  const { names, sep, labelI, detI } = cols;
  const fixed = labelI < 0 ? options.fixedLabel : undefined;
  const labelSource = labelI >= 0 ? names[labelI] : fixed !== undefined ? 'fixed' : undefined;
  const th = thresholds(options.behaviour?.thresholds);
  const rule = options.behaviour?.labelRule ?? 'any-malicious';
  const maxFlows = options.behaviour?.maxFlowsInRaw ?? 1000;
  const benign = new Set((options.labels?.benign ?? DEFAULT_BENIGN).map((b) => b.toLowerCase()));
  const drop = new Set(options.labels?.drop ?? DEFAULT_BEHAVIOUR_DROP);
  const tupleLabel = (flows: Flow[]) => pickLabel(flows, rule, benign, drop);
  const schema: DatasetSchema = {
    format: 'zeek-behaviour',
    kind: 'text',
    textKind: 'behaviour',
    columns: [],
    labelSource,
    taxonomy: 'generic',
    metaColumns: ['flows', 'proto', 'dport', ...(detI >= 0 ? ['detailedlabel'] : [])],
  };

  async function* batches(o: BatchOptions = {}): AsyncGenerator<DataRecord[]> {
    const report = o.report ?? true;
    const log = newLog(report ? errors : 'lenient');
    if (report) reader.malformed = log;
    reader.state = { bytesRead: 0, lines: 0 };
    const phase = o.phase ?? 'read';
    const tuples = new TupleTable();
    for await (const items of readLines(source, reader.state, { signal: ctx.signal })) {
      for (const it of items) {
        if (it.error !== undefined) {
          log.add(it.n, it.error, it.text);
          continue;
        }
        const t = it.text;
        if (t.length === 0 || t.charCodeAt(0) === 35 /* '#' */) continue;
        const p = cols.parse(t.split(sep), it.n);
        if (typeof p === 'string') {
          log.add(it.n, p, t);
          continue;
        }
        tuples.add(p);
      }
      ctx.onProgress?.({ phase, bytesRead: reader.state.bytesRead, totalBytes: source.totalBytes, lines: reader.state.lines, rows: tuples.size });
    }
    if (reader.state.changed) {
      if (errors === 'strict') throw new DataError(file, undefined, reader.state.changed);
      if (!warnings.some((w) => w.endsWith(reader.state.changed!))) warnings.push(`${file}: ${reader.state.changed}`);
    }
    // Map order is first-seen order, i.e. the order of each tuple's first line: ids come out sorted.
    let out: DataRecord[] = [];
    let rawParts: string[] = [];
    let offset = 0;
    const flush = async () => {
      if (o.copyTo && rawParts.length) await o.copyTo.write(Buffer.from(rawParts.join('')));
      rawParts = [];
      const b = out;
      out = [];
      return b;
    };
    for (const tup of tuples.sorted()) {
      const flows = tup.flows;
      const tokens = behaviourTokens(flows, th);
      const text = tokens.join('');
      const label = labelSource !== undefined ? (fixed ?? tupleLabel(flows)) : undefined;
      const raw = JSON.stringify({
        tuple: { src: tup.src, dst: tup.dst, dport: tup.dport, proto: tup.proto },
        behaviour: text,
        ...(label !== undefined ? { label, labels: labelCounts(flows) } : {}),
        flows: flows.slice(0, maxFlows).map((fl, k) => ({ uid: fl.uid, line: fl.line, ts: fl.ts, token: tokens[k], ...(fl.label !== undefined && labelI >= 0 ? { label: fl.label } : {}) })),
        ...(flows.length > maxFlows ? { omittedFlows: flows.length - maxFlows } : {}),
      });
      const meta: Record<string, string | number> = { flows: flows.length, proto: tup.proto, dport: tup.dport };
      if (detI >= 0) meta.detailedlabel = mostCommon(flows.filter((fl) => fl.label === label).map((fl) => fl.detailed ?? '-')) ?? '-';
      out.push({ id: `${sourceName}:${tup.line}`, line: tup.line, raw, offset, text, label, meta, key: text });
      const line = raw + '\n';
      rawParts.push(line);
      offset += Buffer.byteLength(line);
      if (out.length >= 4096) yield await flush();
    }
    if (out.length) yield await flush();
  }

  const reader: DatasetReader = {
    source,
    sourceName,
    layout,
    schema,
    errors,
    warnings,
    estimatedRows,
    malformed: newLog(errors),
    state: { bytesRead: 0, lines: 0 },
    batches,
  };
  return reader;
}

function labelCounts(flows: Flow[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const f of flows) if (f.label !== undefined) m[f.label] = (m[f.label] ?? 0) + 1;
  return m;
}

function mostCommon(xs: string[], prefer?: (x: string) => boolean): string | undefined {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  let best: string | undefined;
  let bn = -1;
  for (const [k, n] of m) {
    // Ties: the preferred one, then the first seen (Map order = first flow in time).
    if (n > bn || (n === bn && prefer !== undefined && prefer(k) && !prefer(best!))) {
      best = k;
      bn = n;
    }
  }
  return best;
}

/**
 * The tuple's label from its flows' labels (rule documented on BehaviourOptions.labelRule):
 * 'any-malicious' — the most common label that is neither benign nor dropped, if any flow has one;
 * else the most common benign label; else the most common label (a dropped one, so the tuple is dropped).
 * 'majority' — the most common label that is not dropped (ties to the non-benign), else the most common.
 */
export function pickLabel(flows: ReadonlyArray<{ label: string | undefined }>, rule: 'any-malicious' | 'majority', benign: ReadonlySet<string>, drop: ReadonlySet<string>): string {
  const all = flows.map((f) => f.label!);
  const isBenign = (l: string) => benign.has(l.toLowerCase());
  const kept = all.filter((l) => !drop.has(l));
  if (rule === 'majority') return mostCommon(kept, (l) => !isBenign(l)) ?? mostCommon(all)!;
  return mostCommon(kept.filter((l) => !isBenign(l))) ?? mostCommon(kept) ?? mostCommon(all)!;
}
