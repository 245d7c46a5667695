import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseBehaviourRecord } from '../../../shared/behaviour-flows';
import { readRecords } from '../../../electron/data/readers/open-dataset';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { connLog, tupleItem, type ConnTuple } from '../../helpers/conn';
import { trainingCsv } from '../../helpers/urls';

// One thread scores: four tuples do not need inference workers, and starting them is most of a scan's time.
process.env.DEEPTRIAGE_SCAN_WORKERS = '0';
const dir = tempDir();
const { call, route, done } = testEngine(path.join(dir, 'ws'));

/** The behaviour model reads at most this many letters, so a scan keeps this many flows per tuple. */
const MAX_LEN = 20;
let behaviourRun = '';
let urlRun = '';

const beacon = (src: string, flows: number): ConnTuple => ({ src, dst: '203.0.113.7', dport: 443, proto: 'tcp', kind: 'beacon', flows });
const noisy = (src: string, flows: number): ConnTuple => ({ src, dst: '198.51.100.3', dport: 80, proto: 'tcp', kind: 'noisy', flows });

const scanned: ConnTuple[] = [beacon('10.9.0.1', 50), noisy('10.9.0.2', 8), { ...beacon('10.9.0.3', 5), dport: 53, proto: 'udp' }, noisy('10.9.0.4', 3)];
const log = connLog(scanned, 7);

before(async () => {
  const train: ConnTuple[] = [];
  for (let i = 0; i < 60; i++) {
    train.push({ ...beacon(`10.1.0.${i}`, 6 + (i % 6)), label: 'Malicious' }, { ...noisy(`10.2.0.${i}`, 6 + (i % 6)), label: 'Benign' });
  }
  const trainLog = path.join(dir, 'train.conn.log');
  fs.writeFileSync(trainLog, connLog(train, 3).text);
  const imp = await call('datasets.import', { path: trainLog, options: { format: 'zeek-behaviour', maxLength: MAX_LEN } });
  const datasetId = ((await done(imp.jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 4, batchSize: 16, filters: 16, units: 16 } });
  await done(runs[0].jobId);
  behaviourRun = runs[0].runId;
  const urls = path.join(dir, 'urls.csv');
  fs.writeFileSync(urls, trainingCsv(60));
  const u = await call('datasets.import', { path: urls, options: {} });
  const urlData = ((await done(u.jobId)).result as { datasetId: string }).datasetId;
  const ur = await call('train.start', { datasetId: urlData, modelIds: ['char-cnn'], params: { epochs: 1, batchSize: 32, filters: 8, units: 8 } });
  await done(ur.runs[0].jobId);
  urlRun = ur.runs[0].runId;
});

test('a conn.log scan scores each 4-tuple with the flows (file lines) behind each letter, the same strings the importer builds', async () => {
  const file = path.join(dir, 'scan.conn.log');
  fs.writeFileSync(file, log.text);
  const { scanId, jobId } = await call('scan.start', { runId: behaviourRun, paths: [file], threshold: 0.5 });
  await done(jobId);
  const { scan } = await call('scans.get', { scanId });
  assert.equal(scan.stats.scanned, 4);
  assert.equal(scan.stats.lines, 50 + 8 + 5 + 3);
  const { rows } = await call('scans.results', { scanId, limit: 100 });
  assert.deepEqual(rows.map((r) => r.url).sort(), scanned.map(tupleItem).sort());
  // The steady beacon reads like the training beacons; the irregular tuple does not.
  const score = (t: ConnTuple) => rows.find((r) => r.url === tupleItem(t))!.score;
  assert.ok(score(scanned[0]) > score(scanned[1]), `beacon ${score(scanned[0])} vs noisy ${score(scanned[1])}`);

  // The importer's strings for the same file: the scan's are the first MAX_LEN flows' letters of each.
  const imported = new Map<number, string>();
  for await (const r of readRecords(file, { format: 'zeek-behaviour' })) imported.set(r.line, r.raw);
  for (const t of scanned) {
    const item = tupleItem(t);
    const d = await call('scans.detail', { scanId, item });
    const lines = log.linesOf.get(item)!;
    assert.equal(d.file, file);
    assert.equal(d.line, lines[0]);
    const rec = parseBehaviourRecord(d.record!)!;
    const kept = Math.min(MAX_LEN, t.flows);
    // The flows behind the letters, in start order: the tuple's own lines, capped, the rest counted.
    assert.deepEqual(rec.flows.map((f) => f.line), lines.slice(0, kept));
    assert.equal(rec.omittedFlows ?? 0, t.flows - kept);
    assert.equal(rec.flows.map((f) => f.token).join(''), rec.behaviour);
    const whole = parseBehaviourRecord(imported.get(lines[0])!)!;
    assert.equal(whole.behaviour.startsWith(rec.behaviour), true, `${whole.behaviour} / ${rec.behaviour}`);
    assert.deepEqual(whole.flows.slice(0, kept), rec.flows);
  }
  const beaconRec = parseBehaviourRecord((await call('scans.detail', { scanId, item: tupleItem(scanned[0]) })).record!)!;
  assert.match(beaconRec.behaviour, /^11,a,a,a,/);
});

test('a conn 4-tuple rule suppresses matching tuples on the next scan, counted under the rule', async () => {
  const file = path.join(dir, 'again.conn.log');
  fs.writeFileSync(file, log.text);
  const rule = await call('rules.add', { kind: 'conn', pattern: '* 203.0.113.7 * *', note: 'our update server' });
  const { scanId, jobId } = await call('scan.start', { runId: behaviourRun, paths: [file] });
  await done(jobId);
  const { scan } = await call('scans.get', { scanId });
  assert.equal(scan.suppressed, 2);
  const page = await call('triage.items', { scanId, suppressed: 'only' });
  assert.deepEqual(page.rows.map((r) => r.item).sort(), [tupleItem(scanned[0]), tupleItem(scanned[2])].sort());
  assert.equal(page.suppressedByRule[rule.id], 2);
  await call('rules.delete', { ruleId: rule.id });
});

test('the picker offers the behaviour model for a conn.log and the URL model for URL lists, saying why not', async () => {
  const conn = path.join(dir, 'scan.conn.log');
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, 'http://example.com/a\nhttp://example.org/b\n');
  const forConn = await call('scan.models', { paths: [conn] });
  assert.deepEqual(forConn.find((m) => m.runId === behaviourRun), { runId: behaviourRun, fits: true, reason: null });
  const no = forConn.find((m) => m.runId === urlRun)!;
  assert.equal(no.fits, false);
  assert.match(no.reason!, /scan\.conn\.log is a Zeek conn\.log: a URL model does not read it \(a behaviour-string model does\)/);
  const forList = await call('scan.models', { paths: [list] });
  assert.equal(forList.find((m) => m.runId === urlRun)!.fits, true);
  assert.match(forList.find((m) => m.runId === behaviourRun)!.reason!, /a URL \/ domain list: a behaviour-string model/);
  const refused = await route('scan.start', { runId: urlRun, paths: [conn] });
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.error.message : '', /scan\.conn\.log:8: a zeek conn\.log has no text a URL or domain model reads/);
});
