/**
 * Lines a behaviour string's letters up with the conn.log flows behind them and the model's per-character
 * saliency, for the Inspect view. Pure: the renderer calls it on an explained record's raw JSON line (written
 * by electron/data/readers/behaviour.ts); the token rules it relies on are electron/data/readers/behaviour-letters.ts's.
 */

/** One flow as the zeek-behaviour importer stores it in a record's raw line. */
export interface BehaviourRawFlow {
  uid: string;
  /** Line of the flow in the conn.log. */
  line: number;
  /** Zeek start time, seconds since the epoch. */
  ts: number;
  /** zeros + letter + time symbol, exactly the flow's slice of the behaviour string. */
  token: string;
  label?: string;
}

export interface BehaviourRecord {
  tuple: { src: string; dst: string; dport: string; proto: string };
  behaviour: string;
  label?: string;
  labels?: Record<string, number>;
  flows: BehaviourRawFlow[];
  /** Flows past the importer's cap (maxFlowsInRaw): their letters are in the string, their flows are not stored. */
  omittedFlows?: number;
}

export interface LetterRow {
  /** Flow number in start-time order, from 0. */
  index: number;
  /** Where the letter sits in the behaviour string. */
  position: number;
  letter: string;
  /** The time symbol written after the letter ('' for the tuple's first flow or after a timeout). */
  symbol: string;
  /** Full timeouts before this flow, written as '0's in front of the letter. */
  zeros: number;
  /** The token's span in the behaviour string, [start, end). */
  start: number;
  end: number;
  /** Saliency of the letter and of its symbol; null where the model did not see the character (cut by maxLength). */
  saliency: number | null;
  symbolSaliency: number | null;
  /** null for flows the importer left out of the raw line, or when the flows do not match the string. */
  flow: BehaviourRawFlow | null;
}

export interface LetterTable {
  rows: LetterRow[];
  /** The slice of the behaviour string the model saw, [start, end); null without saliency. */
  seen: { start: number; end: number } | null;
  /** Why flows or saliency could not be lined up (then they are left out rather than shown against the wrong letter). */
  problems: string[];
}

// electron/data/readers/behaviour-letters.ts: LETTERS (five groups of nine) and gapSymbols ('.', ',', '+', '*'; '0's in front).
const TOKEN = /0*([a-iA-Ir-zR-Z1-9])([.,+*]?)/y;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The raw line of a zeek-behaviour record, or null when it is not one. */
export function parseBehaviourRecord(raw: string): BehaviourRecord | null {
  let j: unknown;
  try {
    j = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(j) || typeof j.behaviour !== 'string' || !Array.isArray(j.flows) || !isObject(j.tuple)) return null;
  const flows: BehaviourRawFlow[] = [];
  for (const f of j.flows) {
    if (!isObject(f) || typeof f.token !== 'string' || typeof f.line !== 'number' || typeof f.ts !== 'number') return null;
    flows.push({ uid: String(f.uid ?? ''), line: f.line, ts: f.ts, token: f.token, ...(typeof f.label === 'string' ? { label: f.label } : {}) });
  }
  const t = j.tuple;
  return {
    tuple: { src: String(t.src ?? ''), dst: String(t.dst ?? ''), dport: String(t.dport ?? ''), proto: String(t.proto ?? '') },
    behaviour: j.behaviour,
    ...(typeof j.label === 'string' ? { label: j.label } : {}),
    ...(isObject(j.labels) ? { labels: j.labels as Record<string, number> } : {}),
    flows,
    ...(typeof j.omittedFlows === 'number' ? { omittedFlows: j.omittedFlows } : {}),
  };
}

/**
 * Where the model's input sits in the behaviour string. The char encoder keeps the start by default
 * (truncate 'right') and the end with truncate 'left'; a string whose start and end read the same is
 * taken as the start, the default.
 */
function seenSlice(behaviour: string, modelInput: string): { start: number; end: number } | null {
  if (modelInput.length === 0 || modelInput.length > behaviour.length) return null;
  if (behaviour.startsWith(modelInput)) return { start: 0, end: modelInput.length };
  if (behaviour.endsWith(modelInput)) return { start: behaviour.length - modelInput.length, end: behaviour.length };
  return null;
}

/**
 * One row per letter of `behaviour`, each with its flow (flow k made token k) and the saliency the model gave
 * the letter. `chars` is one model's per-character saliency over the string as the model saw it.
 */
export function letterRows(behaviour: string, flows: readonly BehaviourRawFlow[], chars: readonly { char: string; saliency: number }[] = [], omittedFlows = 0): LetterTable {
  const problems: string[] = [];
  const tokens: { start: number; end: number; zeros: number; letter: string; symbol: string }[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < behaviour.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(behaviour);
    if (!m) {
      problems.push(`unexpected '${behaviour[start]}' at position ${start} of the behaviour string: letters from there on are not shown`);
      break;
    }
    const zeros = m[0].length - m[1].length - m[2].length;
    tokens.push({ start, end: TOKEN.lastIndex, zeros, letter: m[1], symbol: m[2] });
  }

  // Flows are attached only when every stored flow's token is the string's token at the same place:
  // a table that is off by one flow would point the analyst at the wrong conn.log line.
  let attach = flows.length > 0;
  const mismatch = flows.findIndex((f, k) => tokens[k] === undefined || behaviour.slice(tokens[k].start, tokens[k].end) !== f.token);
  if (mismatch >= 0) {
    attach = false;
    const at = tokens[mismatch];
    problems.push(
      at
        ? `flow ${mismatch + 1} (conn.log line ${flows[mismatch].line}) made '${flows[mismatch].token}' but the string has '${behaviour.slice(at.start, at.end)}' there: flows are not shown`
        : `the record lists ${flows.length} flows but the string has only ${tokens.length} letters: flows are not shown`,
    );
  } else if (attach && problems.length === 0 && tokens.length !== flows.length + omittedFlows) {
    attach = false;
    problems.push(`the string has ${tokens.length} letters but the record accounts for ${flows.length + omittedFlows} flows: flows are not shown`);
  }

  const modelInput = chars.map((c) => c.char).join('');
  const seen = seenSlice(behaviour, modelInput);
  if (modelInput.length && !seen) problems.push('the model input is not the start or end of the behaviour string: saliency is not shown');
  const sal = (p: number): number | null => (seen && p >= seen.start && p < seen.end ? chars[p - seen.start].saliency : null);

  const rows = tokens.map((t, k): LetterRow => {
    const position = t.start + t.zeros;
    return {
      index: k,
      position,
      letter: t.letter,
      symbol: t.symbol,
      zeros: t.zeros,
      start: t.start,
      end: t.end,
      saliency: sal(position),
      symbolSaliency: t.symbol ? sal(position + 1) : null,
      flow: attach && k < flows.length ? flows[k] : null,
    };
  });
  return { rows, seen, problems };
}

/** The row whose token covers `position` of the behaviour string (a '0', the letter or its symbol), or -1. */
export function rowAt(rows: readonly LetterRow[], position: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (position < rows[mid].start) hi = mid - 1;
    else if (position >= rows[mid].end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Zeek's epoch seconds as ISO 8601 UTC, to the millisecond. */
export function isoTime(ts: number): string {
  const d = new Date(Math.round(ts * 1000));
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}
