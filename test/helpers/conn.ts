/**
 * Generated Zeek conn.logs: steady beacons (small, short flows every `period` seconds: a periodic behaviour
 * string such as `11,a,a,a,`) and irregular browsing (random gaps, sizes and durations), interleaved by
 * start time as Zeek would write them. Seeded: the same call gives the same file.
 */
export interface ConnTuple {
  src: string;
  dst: string;
  dport: number;
  proto: 'tcp' | 'udp';
  kind: 'beacon' | 'noisy';
  flows: number;
  label?: string;
  /** First flow's start, seconds. */
  start?: number;
}

const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_ip_bytes', 'resp_ip_bytes'];
const TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'count', 'count'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface ConnLog {
  text: string;
  /** The lines (1-based) of each tuple's flows, in the order they were written. */
  linesOf: Map<string, number[]>;
}

/** `src dst dport proto`, as scan items and conn rules write a tuple. */
export const tupleItem = (t: ConnTuple) => `${t.src} ${t.dst} ${t.dport} ${t.proto}`;

export function connLog(tuples: ConnTuple[], seed = 1): ConnLog {
  const r = rng(seed);
  const labelled = tuples.some((t) => t.label !== undefined);
  const fields = labelled ? [...FIELDS, 'label'] : FIELDS;
  const types = labelled ? [...TYPES, 'string'] : TYPES;
  const rows: { ts: number; cells: string[]; item: string }[] = [];
  let uid = 0;
  for (const t of tuples) {
    let ts = 1_600_000_000 + (t.start ?? Math.floor(r() * 1000));
    for (let k = 0; k < t.flows; k++) {
      const beacon = t.kind === 'beacon';
      const duration = beacon ? 0.05 : r() * 30;
      const ob = beacon ? 60 : Math.floor(r() * 3000);
      const rb = beacon ? 40 : Math.floor(r() * 50_000);
      const cells = [
        ts.toFixed(6),
        `C${(uid++).toString(36).padStart(6, '0')}`,
        t.src,
        String(40_000 + Math.floor(r() * 20_000)),
        t.dst,
        String(t.dport),
        t.proto,
        '-',
        duration.toFixed(6),
        String(ob),
        String(rb),
        'SF',
        String(ob + 40),
        String(rb + 40),
        ...(labelled ? [t.label ?? 'Benign'] : []),
      ];
      rows.push({ ts, cells, item: tupleItem(t) });
      ts += beacon ? 60 : 1 + Math.floor(r() * r() * 900);
    }
  }
  rows.sort((a, b) => a.ts - b.ts);
  const head = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields\t${fields.join('\t')}`, `#types\t${types.join('\t')}`];
  const linesOf = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const l = linesOf.get(row.item) ?? [];
    l.push(head.length + i + 1);
    linesOf.set(row.item, l);
  });
  return { text: [...head, ...rows.map((row) => row.cells.join('\t')), '#close\t2020-01-01-00-00-00'].join('\n') + '\n', linesOf };
}
