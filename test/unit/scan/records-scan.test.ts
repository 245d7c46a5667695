import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { nslKddFile, nslKddLine } from '../../helpers/kdd';
import { flowCsv } from '../../helpers/flows';

// One thread scores: a few dozen records do not need inference workers.
process.env.DEEPTRIAGE_SCAN_WORKERS = '0';
const dir = tempDir();
const { call, route, done } = testEngine(path.join(dir, 'ws'));

let kddRun = '';
let csvRun = '';

async function train(file: string, modelId: string): Promise<string> {
  const { jobId } = await call('datasets.import', { path: file, options: {} });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: [modelId], params: { epochs: 3, batchSize: 32 } });
  await done(runs[0].jobId);
  return runs[0].runId;
}

before(async () => {
  const kdd = path.join(dir, 'KDDTrain+.txt');
  fs.writeFileSync(kdd, nslKddFile(150));
  kddRun = await train(kdd, 'dnn1');
  const csv = path.join(dir, 'flows.csv');
  fs.writeFileSync(csv, flowCsv(100));
  csvRun = await train(csv, 'dnn1');
});

test('NSL-KDD records are encoded with the run\'s featurizer on the fly and scored, each result with its file and line', async () => {
  const file = path.join(dir, 'today.txt');
  // Lines 1-30 generated records (10 of each kind), a malformed line 31, then line 1 again on line 32.
  fs.writeFileSync(file, nslKddFile(30, 1000) + 'not,a,record\n' + nslKddLine(1000) + '\n');
  const { scanId, jobId } = await call('scan.start', { runId: kddRun, paths: [file], threshold: 0.5 });
  await done(jobId);
  const { scan } = await call('scans.get', { scanId });
  assert.equal(scan.stats.scanned, 30);
  assert.equal(scan.stats.duplicates, 1);
  assert.equal(scan.stats.skipped.notUrl, 1);
  const { rows } = await call('scans.results', { scanId, limit: 100 });
  assert.ok(rows.every((r) => r.file === file));
  // Each record is its feature text (no label, no difficulty), at its own line.
  for (const r of rows) {
    const line = nslKddLine(1000 + r.line - 1);
    assert.equal(r.url, line.split(',').slice(0, 41).join(','));
  }
  assert.equal(rows.find((r) => r.line === 1)!.count, 2);
  const kindOf = (line: number) => ['normal', 'neptune', 'smurf'][(1000 + line - 1) % 3];
  const normal = rows.filter((r) => kindOf(r.line) === 'normal').map((r) => r.score);
  const attacks = rows.filter((r) => kindOf(r.line) !== 'normal').map((r) => r.score);
  assert.ok(Math.max(...normal) < Math.min(...attacks), `normal ${Math.max(...normal)} vs attacks ${Math.min(...attacks)}`);
});

test('a CSV of the training columns scans; a CSV without some of them is refused naming them, and the picker says why', async () => {
  const same = path.join(dir, 'same.csv');
  fs.writeFileSync(same, flowCsv(10, ['proto', 'packets', 'bytes']));
  const ok = await call('scan.start', { runId: csvRun, paths: [same] });
  await done(ok.jobId);
  const { rows } = await call('scans.results', { scanId: ok.scanId, limit: 100 });
  assert.equal(rows.length, 10);
  const score = (line: number) => rows.find((r) => r.line === line)!.score;
  // Line 3 is an attack row (udp, large), line 2 a normal one.
  assert.ok(score(3) > score(2));

  const other = path.join(dir, 'other.csv');
  fs.writeFileSync(other, flowCsv(10, ['bytes', 'label']));
  const refused = await route('scan.start', { runId: csvRun, paths: [other] });
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.error.message : '', /other\.csv: the model's records need 2 columns this file lacks: packets, proto/);

  const fits = await call('scan.models', { paths: [other] });
  assert.match(fits.find((m) => m.runId === csvRun)!.reason!, /lacks: packets, proto/);
  assert.match(fits.find((m) => m.runId === kddRun)!.reason!, /need 41 columns this file lacks: duration, protocol_type, service, .* and 29 more$/);
  const kddFits = await call('scan.models', { paths: [path.join(dir, 'today.txt')] });
  assert.deepEqual(kddFits.find((m) => m.runId === kddRun), { runId: kddRun, fits: true, reason: null });
});
