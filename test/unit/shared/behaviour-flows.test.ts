import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { behaviourTokens } from '../../../electron/data/readers/behaviour-letters';
import { CharSeqEncoder, charSeqSpec, readRecords } from '../../../electron/data';
import { isoTime, letterRows, parseBehaviourRecord, rowAt, type BehaviourRawFlow } from '../../../shared/behaviour-flows';
import { tempDir } from '../../helpers/temp';

// The hand-checked flows of docs/behaviour-letters.md: [ts, duration, bytes] → '1 5, i, A, S. u. W+ Y* 00r'.
const TIMES: Array<[number, number, number]> = [
  [0, 0.05, 100],
  [10, 5, 500],
  [20, 20, 2000],
  [31, 0, 0],
  [33, 1, 250],
  [36, 0.1, 251],
  [236, 11, 1100],
  [3836, 10, 1101],
  [11136, 0, 0],
];
const STRING = '15,i,A,S.u.W+Y*00r';

/** Flows as the importer stores them: made-up conn.log lines 20, 22, 24, … and tokens from the engine's own rules. */
function rawFlows(): BehaviourRawFlow[] {
  const tokens = behaviourTokens(TIMES.map(([ts, duration, bytes]) => ({ ts, duration, bytes })));
  return TIMES.map(([ts], k) => ({ uid: `C${k}`, line: 20 + 2 * k, ts: 1_700_000_000 + ts, token: tokens[k], label: k === 8 ? 'Malicious' : 'Benign' }));
}

/** Per-character saliency over what a char encoder of this length and side keeps: character i gets (i + 1) / 100. */
function saliency(text: string, maxLength: number, truncate: 'left' | 'right') {
  const seen = new CharSeqEncoder(charSeqSpec({ maxLength, truncate }, 'behaviour')).prepare(text);
  return [...seen].map((char, i) => ({ char, saliency: (i + 1) / 100 }));
}

test('letters line up with their flows: position, letter, following symbol, zeros after a timeout', () => {
  const flows = rawFlows();
  assert.equal(flows.map((f) => f.token).join(''), STRING);
  const t = letterRows(STRING, flows);
  assert.deepEqual(t.problems, []);
  assert.equal(t.seen, null);
  assert.deepEqual(
    t.rows.map((r) => [r.position, r.letter, r.symbol, r.zeros, r.flow?.line]),
    [
      [0, '1', '', 0, 20], // first flow: no symbol
      [1, '5', ',', 0, 22],
      [3, 'i', ',', 0, 24],
      [5, 'A', ',', 0, 26],
      [7, 'S', '.', 0, 28],
      [9, 'u', '.', 0, 30],
      [11, 'W', '+', 0, 32],
      [13, 'Y', '*', 0, 34],
      [17, 'r', '', 2, 36], // two hours' gap: '00' in front, no symbol after
    ],
  );
  assert.deepEqual([t.rows[8].start, t.rows[8].end], [15, 18]);
  assert.equal(t.rows[8].flow!.uid, 'C8');
  assert.equal(t.rows[8].flow!.label, 'Malicious');
  assert.ok(t.rows.every((r) => r.saliency === null && r.symbolSaliency === null));
});

test('saliency follows the char encoder: the start kept by default, the end with truncate left', () => {
  const flows = rawFlows();
  const right = letterRows(STRING, flows, saliency(STRING, 10, 'right'));
  assert.deepEqual(right.seen, { start: 0, end: 10 });
  assert.deepEqual(
    right.rows.map((r) => [r.letter, r.saliency, r.symbolSaliency]),
    [
      ['1', 0.01, null],
      ['5', 0.02, 0.03],
      ['i', 0.04, 0.05],
      ['A', 0.06, 0.07],
      ['S', 0.08, 0.09],
      ['u', 0.1, null], // its '.' is character 10: cut
      ['W', null, null],
      ['Y', null, null],
      ['r', null, null],
    ],
  );
  // Cut at 10 from the left, the model saw '.u.W+Y*00r' (positions 8..17).
  const left = letterRows(STRING, flows, saliency(STRING, 10, 'left'));
  assert.deepEqual(left.seen, { start: 8, end: 18 });
  assert.deepEqual(
    left.rows.map((r) => [r.letter, r.saliency, r.symbolSaliency]),
    [
      ['1', null, null],
      ['5', null, null],
      ['i', null, null],
      ['A', null, null],
      ['S', null, 0.01],
      ['u', 0.02, 0.03],
      ['W', 0.04, 0.05],
      ['Y', 0.06, 0.07],
      ['r', 0.1, null], // '0', '0' are characters 7 and 8 of the input
    ],
  );
  // Shorter than maxLength: every character seen, flows still attached.
  const whole = letterRows(STRING, flows, saliency(STRING, 100, 'right'));
  assert.deepEqual(whole.seen, { start: 0, end: 18 });
  assert.equal(whole.rows[8].saliency, 0.18);
  assert.equal(whole.rows[8].flow!.line, 36);
  // Saliency of another string is refused rather than shown against the wrong letters.
  const other = letterRows(STRING, flows, saliency('11,a,a,', 100, 'right'));
  assert.equal(other.seen, null);
  assert.match(other.problems.join(), /model input is not the start or end/);
  assert.ok(other.rows.every((r) => r.saliency === null));
});

test('capped flows: letters past maxFlowsInRaw have no flow; counts and tokens that disagree attach none', () => {
  const flows = rawFlows();
  const capped = letterRows(STRING, flows.slice(0, 3), [], 6);
  assert.deepEqual(capped.problems, []);
  assert.equal(capped.rows.length, 9);
  assert.deepEqual(capped.rows.map((r) => r.flow?.line ?? null), [20, 22, 24, null, null, null, null, null, null]);
  assert.equal(capped.rows[8].letter, 'r');

  const short = letterRows(STRING, flows.slice(0, 3));
  assert.ok(short.rows.every((r) => r.flow === null));
  assert.match(short.problems.join(), /9 letters but the record accounts for 3 flows/);

  const wrong = flows.map((f) => ({ ...f }));
  wrong[4].token = 'S,';
  const off = letterRows(STRING, wrong);
  assert.ok(off.rows.every((r) => r.flow === null));
  assert.match(off.problems.join(), /flow 5 \(conn\.log line 28\) made 'S,' but the string has 'S\.'/);

  const odd = letterRows('11,?a,', []);
  assert.deepEqual(odd.rows.map((r) => r.letter), ['1', '1']);
  assert.match(odd.problems.join(), /unexpected '\?' at position 3/);
});

test('rowAt finds the token under a character; isoTime reads Zeek seconds', () => {
  const { rows } = letterRows(STRING, rawFlows());
  assert.equal(rowAt(rows, 0), 0);
  assert.equal(rowAt(rows, 2), 1); // the ',' after '5'
  assert.equal(rowAt(rows, 15), 8); // the first '0' in front of 'r'
  assert.equal(rowAt(rows, 17), 8);
  assert.equal(rowAt(rows, 18), -1);
  assert.equal(isoTime(1_700_000_000.25), '2023-11-14T22:13:20.250Z');
  assert.equal(isoTime(Number.NaN), '');
});

const HEADER = [
  '#separator \\x09',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes\tlabel',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tcount\tcount\tstring',
];

test("the importer's raw line parses and maps back to the conn.log lines, capped or not", async () => {
  // One tuple, written out of time order (Zeek logs a connection when it ends): lines 5..9.
  const lines = [
    [130, 'Cc', '0.01', 60, 40, 'Malicious'], // line 5, third in time
    [100, 'Ca', '0.01', 60, 40, 'Benign'], // line 6, first
    [110, 'Cb', '0.01', 60, 40, 'Malicious'], // line 7, second
    [7300, 'Ce', '30', 900, 900, 'Malicious'], // line 8, fifth: gap 7150 s → '0'
    [140, 'Cd', '0.01', 60, 40, 'Malicious'], // line 9, fourth
  ].map(([ts, uid, dur, ob, rb, label]) => [ts, uid, '10.0.0.9', 5000, '6.6.6.6', 8080, 'tcp', dur, ob, rb, label].join('\t'));
  const file = path.join(tempDir(), 'conn.log');
  fs.writeFileSync(file, [...HEADER, ...lines].join('\n') + '\n');

  for (const cap of [1000, 2]) {
    const recs = [];
    for await (const r of readRecords(file, { format: 'zeek-behaviour', behaviour: { maxFlowsInRaw: cap } })) recs.push(r);
    assert.equal(recs.length, 1);
    const rec = parseBehaviourRecord(recs[0].raw)!;
    assert.equal(rec.behaviour, recs[0].text);
    // Gaps 10, 20, 10, 7160 s: '1' | '1,' | TD 2 → 'r,' | TD 2 → 'r,' | TD 716 → '0' + 'Z' (1800 B large, 30 s long), no symbol.
    assert.equal(rec.behaviour, '11,r,r,0Z');
    assert.deepEqual(rec.tuple, { src: '10.0.0.9', dst: '6.6.6.6', dport: '8080', proto: 'tcp' });
    assert.equal(rec.omittedFlows, cap === 2 ? 3 : undefined);
    const t = letterRows(rec.behaviour, rec.flows, saliency(rec.behaviour, 4, 'right'), rec.omittedFlows);
    assert.deepEqual(t.problems, []);
    assert.deepEqual(
      t.rows.map((r) => [r.letter, r.symbol, r.flow?.line ?? null, r.flow?.uid ?? null, r.saliency]),
      cap === 2
        ? [['1', '', 6, 'Ca', 0.01], ['1', ',', 7, 'Cb', 0.02], ['r', ',', null, null, 0.04], ['r', ',', null, null, null], ['Z', '', null, null, null]]
        : [['1', '', 6, 'Ca', 0.01], ['1', ',', 7, 'Cb', 0.02], ['r', ',', 5, 'Cc', 0.04], ['r', ',', 9, 'Cd', null], ['Z', '', 8, 'Ce', null]],
    );
    assert.equal(t.rows[0].flow?.label, 'Benign');
  }
  assert.equal(parseBehaviourRecord('{"a":1}'), null);
  assert.equal(parseBehaviourRecord('0,tcp,http,SF,181,5450'), null);
  assert.equal(parseBehaviourRecord('{"tuple":{},"behaviour":"1","flows":[{"uid":"C"}]}'), null);
});
