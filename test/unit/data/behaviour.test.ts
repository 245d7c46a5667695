import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { behaviourString, behaviourTokens, gapSymbols, periodicity, thresholds } from '../../../electron/data/readers/behaviour-letters';
import { DataError, importFile, importToCache, readCache, readRawLine, readRecords } from '../../../electron/data';
import { data, tmpDir } from './helpers';

test('behaviour letters: hand-made flows give the letters worked out from the thresholds', () => {
  // [ts, duration, bytes] → expected token, derived by hand (docs/behaviour-letters.md):
  const flows: Array<[number, number, number, string]> = [
    [0, 0.05, 100, '1'], // first flow: no periodicity data, small, short; no gap yet
    [10, 5, 500, '5,'], // gap 10 s: still no data (no T1); medium size, medium duration → '5'; 10 ≤ 60 → ','
    [20, 20, 2000, 'i,'], // T1 10, T2 10 → TD 1 strong periodic; large, long → 'i'
    [31, 0, 0, 'A,'], // TD 11/10 = 1.1 → weak periodic; small, short → 'A'
    [33, 1, 250, 'S.'], // TD 11/2 = 5.5 → strong non-periodic; 250 B is still small, 1 s medium → 'S'; 2 s → '.'
    [36, 0.1, 251, 'u.'], // TD 3/2 = 1.5 → weak non-periodic; 251 B medium, 0.1 s still short → 'u'
    [236, 11, 1100, 'W+'], // TD 200/3 → strong non-periodic; 1100 B medium, 11 s long → 'W'; 200 s → '+'
    [3836, 10, 1101, 'Y*'], // TD 18 → strong non-periodic; 1101 B large, 10 s medium → 'Y'; 3600 s → '*'
    [11136, 0, 0, '00r'], // gap 7300 s > 1 h: two full hours → '00' before the letter; TD 7300/3600 ≈ 2.03 → 'r'
  ];
  const input = flows.map(([ts, duration, bytes]) => ({ ts, duration, bytes }));
  assert.deepEqual(behaviourTokens(input), flows.map((f) => f[3]));
  assert.equal(behaviourString(input), '15,i,A,S.u.W+Y*00r');
  // A steady 60-second beacon of small, short flows: two digits, then strongly periodic 'a's.
  const beacon = Array.from({ length: 6 }, (_, i) => ({ ts: 100 + 60 * i, duration: 0.01, bytes: 120 }));
  assert.equal(behaviourString(beacon), '11,a,a,a,a,');
  // Thresholds are configurable: with ts1 = 50 the same beacon is medium-sized.
  assert.equal(behaviourString(beacon, thresholds({ ts1: 50 })), '44,d,d,d,d,');
  assert.throws(() => thresholds({ tt1: 2, tt2: 1.3 }), /must increase/);
});

test('behaviour letters: time-difference symbols, periodicity edges and zero gaps', () => {
  const sym = (g: number | undefined) => gapSymbols(g).join('|');
  assert.equal(sym(undefined), '|');
  assert.equal(sym(0), '|.');
  assert.equal(sym(5), '|.');
  assert.equal(sym(5.001), '|,');
  assert.equal(sym(60), '|,');
  assert.equal(sym(60.5), '|+');
  assert.equal(sym(300), '|+');
  assert.equal(sym(301), '|*');
  assert.equal(sym(3600), '|*');
  assert.equal(sym(3601), '0|');
  assert.equal(sym(3 * 3600 + 1), '000|');
  assert.equal(sym(1000 * 3600), '0'.repeat(24) + '|', 'capped at maxZeros');
  assert.equal(periodicity(undefined, 3), 'no-data');
  assert.equal(periodicity(10, 10.5), 'strong-periodic'); // 1.05 is still strong
  assert.equal(periodicity(10, 10.6), 'weak-periodic');
  assert.equal(periodicity(10, 13), 'weak-non-periodic'); // 1.3 is not < 1.3
  assert.equal(periodicity(10, 49.9), 'weak-non-periodic');
  assert.equal(periodicity(10, 50), 'strong-non-periodic');
  assert.equal(periodicity(30, 10), 'weak-non-periodic', 'ratio is larger / smaller, whichever gap is larger');
  assert.equal(periodicity(0, 0), 'strong-periodic');
  assert.equal(periodicity(0, 4), 'strong-non-periodic');
});

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tlabel\tdetailedlabel',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tstring\tstring',
];

function flow(ts: number, uid: string, src: string, dst: string, dport: number, proto: string, dur: string, ipBytes: [number, number], label: string, detailed = '(empty)'): string {
  return [ts, uid, src, 40000, dst, dport, proto, '-', dur, 10, 10, 'SF', 'F', 'F', 0, 'Dd', 1, ipBytes[0], 1, ipBytes[1], '(empty)', label, detailed].join('\t');
}

function writeLog(lines: string[]): string {
  const p = path.join(tmpDir(), 'conn.log.labeled');
  fs.writeFileSync(p, [...HEADER, ...lines].join('\n') + '\n');
  return p;
}

test('zeek-behaviour: flows grouped by 4-tuple, sorted by time, labelled by rule, raw JSON keeps the flows', async () => {
  const p = writeLog([
    /* 8 */ flow(100, 'C1', '10.0.0.1', '1.2.3.4', 443, 'tcp', '0.05', [60, 40], 'Benign'),
    /* 9 */ flow(50, 'C2', '10.0.0.1', '8.8.8.8', 53, 'udp', '0.01', [70, 90], 'Background'),
    /* 10 */ flow(160, 'C3', '10.0.0.1', '1.2.3.4', 443, 'tcp', '0.05', [60, 40], 'Malicious', 'CC'),
    /* 11 */ flow(90, 'C4', '10.0.0.1', '1.2.3.4', 443, 'tcp', '-', [60, 40], 'Benign'), // earlier ts than line 8
    /* 12 */ flow(220, 'C5', '10.0.0.1', '1.2.3.4', 443, 'tcp', '0.05', [60, 40], 'Benign'),
    /* 13 */ flow(55, 'C6', '10.0.0.1', '8.8.8.8', 53, 'udp', '0.01', [70, 90], 'Background'),
    /* 14 */ flow(70, 'C7', '10.0.0.2', '1.2.3.4', 443, 'tcp', '20', [5000, 9000], 'Benign'),
    /* 15 */ flow(71, 'C8', '10.0.0.1', '1.2.3.4', 443, 'udp', '0.2', [300, 0], 'Malicious'),
    /* 16 */ 'not\ta\tflow',
  ]);
  const recs = [];
  for await (const r of readRecords(p, { format: 'zeek-behaviour', labels: { drop: [] } })) recs.push(r);
  assert.deepEqual(
    recs.map((r) => [r.id, r.text, r.label, r.meta!.flows]),
    [
      // 10.0.0.1 → 1.2.3.4:443/tcp in time order: ts 90 (line 11), 100, 160, 220; gaps 10, 60, 60.
      // '1' | '1,' (gap 10) | TD 60/10 = 6 → 'R,' | TD 1 → 'a,'; one Malicious flow → Malicious.
      ['conn.log.labeled:8', '11,R,a,', 'Malicious', 4],
      ['conn.log.labeled:9', '11.', 'Background', 2],
      ['conn.log.labeled:14', '9', 'Benign', 1], // 14000 B large, 20 s long, first flow
      ['conn.log.labeled:15', '5', 'Malicious', 1], // protocol is part of the tuple; 300 B medium, 0.2 s medium
    ],
  );
  const raw = JSON.parse(recs[0].raw);
  assert.deepEqual(raw.tuple, { src: '10.0.0.1', dst: '1.2.3.4', dport: '443', proto: 'tcp' });
  assert.deepEqual(raw.flows.map((f: { uid: string; token: string; line: number }) => [f.uid, f.line, f.token]), [['C4', 11, '1'], ['C1', 8, '1,'], ['C3', 10, 'R,'], ['C5', 12, 'a,']]);
  assert.deepEqual(raw.labels, { Benign: 3, Malicious: 1 });
  assert.equal(recs[0].meta!.detailedlabel, 'CC');

  // Default: Background tuples dropped; majority rule makes the mixed tuple Benign.
  const r = await importFile(p, { format: 'zeek-behaviour' });
  assert.equal(r.summary.rows, 3);
  assert.deepEqual(r.summary.labels!.dropped, { Background: 1 });
  assert.deepEqual({ ...r.summary.labels!.raw }, { Malicious: 2, Benign: 1 });
  assert.equal(r.summary.malformed.count, 1);
  assert.equal(r.summary.malformed.examples[0].line, 16);
  assert.equal(r.encoded.cols, 100);
  const maj = await importFile(p, { format: 'zeek-behaviour', behaviour: { labelRule: 'majority' } });
  assert.deepEqual({ ...maj.summary.labels!.raw }, { Benign: 2, Malicious: 1 });
  await assert.rejects(importFile(p, { format: 'zeek-behaviour', errors: 'strict' }), (e: Error) => e instanceof DataError && /conn.log.labeled:16: expected 23/.test(e.message));

  // Cache: raw.txt holds the JSON lines, offsets point at them; ids keep the first flow's line.
  const dir = tmpDir();
  const c = await importToCache(p, dir, { format: 'zeek-behaviour', text: { maxLength: 3 } });
  const d = await readCache(c.cachePath);
  assert.deepEqual([...d.lines], [8, 14, 15]);
  assert.equal(JSON.parse(await readRawLine(c.rawLinesPath, d.rawOffsets![1])).behaviour, '9');
  // maxLength 3 keeps the start: '11,' → ids of '1','1',','.
  assert.deepEqual([...d.features.slice(0, 3)], [...'11,'].map((ch) => ch.charCodeAt(0) - 30));
  // Without a label column: unlabelled, or one fixed label.
  const unl = await importFile(p, { format: 'zeek-behaviour', columns: { label: null } });
  assert.equal(unl.summary.labels, null);
  assert.equal(unl.summary.rows, 4);
  // Not a zeek log.
  const bad = path.join(tmpDir(), 'x.csv');
  fs.writeFileSync(bad, 'a,b\n1,2\n');
  await assert.rejects(importFile(bad, { format: 'zeek-behaviour' }), /not a zeek log/);
});

/** An independent count: group the conn.log by 4-tuple with plain string work and apply the any-malicious rule. */
function expectedTuples(file: string): Record<string, number> {
  const byTuple = new Map<string, string[]>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split('\t');
    const key = [f[2], f[4], f[5], f[6]].join(' ');
    if (!byTuple.has(key)) byTuple.set(key, []);
    byTuple.get(key)!.push(f[21]);
  }
  const out: Record<string, number> = {};
  for (const labels of byTuple.values()) {
    const l = labels.includes('Malicious') ? 'Malicious' : labels.includes('Benign') ? 'Benign' : 'Background';
    out[l] = (out[l] ?? 0) + 1;
  }
  return out;
}

test('zeek-behaviour on the Stratosphere conn.logs: tuple counts and labels', async () => {
  // Counts checked against expectedTuples (above), which shares no code with the importer.
  const expect: Record<string, Record<string, number>> = {
    '001-njrat-CTU-Malware-Capture-Botnet-230-1_first1000.conn.log.labeled': { Malicious: 5, Benign: 2, Background: 75 },
    '008-zeek-mixed.conn.log.labeled': { Malicious: 3_486, Benign: 142, Background: 27 },
    '010-zeek-mixed.conn.log.labeled': { Malicious: 2_653, Benign: 403, Background: 14 },
    '011-zeek-mixed.conn.log.labeled': { Malicious: 3_448, Benign: 569, Background: 40 },
    '012-zeek-mixed.conn.log.labeled': { Malicious: 2_690, Benign: 244, Background: 22 },
  };
  for (const [f, counts] of Object.entries(expect)) {
    const file = data('stratosphere-zeek', f);
    assert.deepEqual(expectedTuples(file), counts, f);
    const r = await importFile(file, { format: 'zeek-behaviour', errors: 'strict', labels: { mode: 'binary' } });
    assert.equal(r.summary.format, 'zeek-behaviour');
    assert.equal(r.summary.rows, counts.Malicious + counts.Benign, f);
    assert.deepEqual({ ...r.summary.labels!.raw }, { Malicious: counts.Malicious, Benign: counts.Benign }, f);
    assert.deepEqual(r.summary.labels!.dropped, { Background: counts.Background }, f);
    assert.equal(r.encoded.dtype, 'int32');
    assert.equal(r.encoded.cols, 100);
  }
  // The NjRAT C&C tuples are long repetitive strings; every token of every string is a known letter/symbol.
  const njrat = [];
  for await (const rec of readRecords(data('stratosphere-zeek', '001-njrat-CTU-Malware-Capture-Botnet-230-1_first1000.conn.log.labeled'), { format: 'zeek-behaviour' })) njrat.push(rec);
  assert.equal(njrat.length, 82);
  for (const rec of njrat) assert.match(rec.text!, /^(?:0*[a-iA-Ir-zR-Z1-9][.,+*]?)+$/);
  const flows = njrat.reduce((n, r) => n + (r.meta!.flows as number), 0);
  assert.equal(flows, 992, 'every flow lands in exactly one tuple');
  const cc = njrat.filter((r) => r.label === 'Malicious').sort((a, b) => (b.meta!.flows as number) - (a.meta!.flows as number))[0];
  assert.equal(JSON.parse(cc.raw).flows.length, cc.meta!.flows);
});
