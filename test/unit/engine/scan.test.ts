import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { benignUrl, maliciousUrl, trainingCsv } from '../../helpers/urls';

const dir = tempDir();
const { engine, call, route, done } = testEngine(path.join(dir, 'ws'));

let runId = '';

before(async () => {
  const train = path.join(dir, 'train.csv');
  fs.writeFileSync(train, trainingCsv(300));
  const { jobId } = await call('datasets.import', { path: train, options: {} });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 3, batchSize: 32, filters: 16, units: 32 } });
  await done(runs[0].jobId);
  runId = runs[0].runId;
});

test('a scan scores known patterns in the expected order and counts bad lines and duplicates', async () => {
  const file = path.join(dir, 'mixed.txt');
  const lines: string[] = [];
  for (let i = 1000; i < 1050; i++) lines.push(benignUrl(i), maliciousUrl(i));
  lines.push('', '   ', 'not a url at all', 'x'.repeat(5000), benignUrl(1000), maliciousUrl(1000), maliciousUrl(1000));
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  const binary = path.join(dir, 'junk.gz');
  fs.writeFileSync(binary, zlib.gzipSync(Buffer.concat([Buffer.from(`${maliciousUrl(7)}\n`), Buffer.from([0, 1, 2, 0xff, 0xfe, 10]), Buffer.from(`${benignUrl(7)}\n`)])));
  const { scanId, jobId } = await call('scan.start', { runId, paths: [file, binary], threshold: 0.5 });
  await done(jobId);
  const { scan } = await call('scans.get', { scanId });
  assert.equal(scan.status, 'done');
  assert.equal(scan.stats.scanned, 102);
  // onnxruntime-node ships its CPU binary in the npm package, so here the scan must not fall back to tf.js.
  assert.match(scan.stats.engine ?? '', /^onnxruntime .*trimmed/);
  assert.equal(scan.stats.duplicates, 3);
  assert.deepEqual(scan.stats.skipped, { empty: 2, notUrl: 1, tooLong: 1, binary: 1 });
  const { rows, total } = await call('scans.results', { scanId, limit: 5000 });
  assert.equal(total, 102);
  const mal = rows.filter((r) => r.url.includes('secure-login'));
  const ben = rows.filter((r) => !r.url.includes('secure-login'));
  // Every malicious-pattern URL outranks every benign one.
  assert.ok(Math.min(...mal.map((r) => r.score)) > Math.max(...ben.map((r) => r.score)));
  assert.equal(rows.find((r) => r.url === maliciousUrl(1000))!.count, 3);
  assert.equal(rows.find((r) => r.url === maliciousUrl(7))!.file, binary);
  assert.equal(scan.flagged, mal.length);
});

test('cancel then resume gives the same results as one uninterrupted scan', async () => {
  const file = path.join(dir, 'big.txt');
  const lines: string[] = [];
  for (let i = 0; i < 12_000; i++) lines.push(i % 3 === 0 ? maliciousUrl(i) : benignUrl(i), i % 50 === 0 ? '' : benignUrl(i % 500));
  fs.writeFileSync(file, lines.join('\n') + '\n');

  const whole = await call('scan.start', { runId, paths: [file] });
  await done(whole.jobId);

  const part = await call('scan.start', { runId, paths: [file] });
  await new Promise<void>((resolve) => {
    const off = engine.events.subscribe((name, p) => {
      const m = (p as { jobId: string; metrics?: Record<string, number> }).metrics;
      if (name === 'job.progress' && (p as { jobId: string }).jobId === part.jobId && (m?.scanned ?? 0) > 0) {
        off();
        resolve();
      }
    });
  });
  await call('jobs.cancel', { jobId: part.jobId });
  assert.equal((await engine.jobs.wait(part.jobId)).status, 'cancelled');
  const mid = (await call('scans.get', { scanId: part.scanId })).scan;
  assert.equal(mid.status, 'cancelled');
  assert.ok(mid.stats.scanned > 0 && mid.stats.scanned < 12_500, `scanned ${mid.stats.scanned}`);
  assert.ok(mid.cursor.line > 0);

  await done((await call('scan.resume', { scanId: part.scanId })).jobId);
  const a = (await call('scans.get', { scanId: whole.scanId })).scan;
  const b = (await call('scans.get', { scanId: part.scanId })).scan;
  assert.equal(b.status, 'done');
  assert.equal(b.stats.scanned, a.stats.scanned);
  assert.equal(b.stats.duplicates, a.stats.duplicates);
  assert.deepEqual(b.stats.skipped, a.stats.skipped);
  assert.equal(b.stats.lines, a.stats.lines);
  const ra = (await call('scans.results', { scanId: whole.scanId, limit: 5000 })).rows;
  const rb = (await call('scans.results', { scanId: part.scanId, limit: 5000 })).rows;
  const byUrl = new Map(rb.map((r) => [r.url, r]));
  assert.equal(ra.length, rb.length);
  for (const r of ra) {
    const o = byUrl.get(r.url)!;
    assert.ok(o, r.url);
    assert.equal(o.count, r.count);
    assert.equal(o.line, r.line);
    assert.ok(Math.abs(o.score - r.score) < 1e-5, `${r.url}: ${o.score} vs ${r.score}`);
  }
});

test('a scan with a records model or a missing file is refused', async () => {
  const bad = await route('scan.start', { runId, paths: ['/nope/urls.txt'] });
  assert.equal(!bad.ok && bad.error.message, '/nope/urls.txt: no such file');
});

test('a run exports to an ONNX file that onnxruntime scores like the scan does', async () => {
  const { jobId, path: file } = await call('runs.exportOnnx', { runId });
  const job = await done(jobId);
  assert.equal((job.result as { path: string }).path, file);
  const bytes = fs.readFileSync(file);
  // Class names and the encoding travel in the file's metadata, so another tool can feed and read it.
  assert.ok(bytes.includes(Buffer.from('deeptriage.classes')) && bytes.includes(Buffer.from('"stripScheme"')));
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(file);
  assert.deepEqual([session.inputNames, session.outputNames], [['input'], ['probabilities']]);
  const scanFile = path.join(dir, 'export-check.txt');
  const urls = [benignUrl(3), maliciousUrl(3), benignUrl(4), maliciousUrl(4)];
  fs.writeFileSync(scanFile, urls.join('\n') + '\n');
  const scan = await call('scan.start', { runId, paths: [scanFile] });
  await done(scan.jobId);
  const rows = (await call('scans.results', { scanId: scan.scanId, limit: 10 })).rows;
  const { CharSeqEncoder } = await import('../../../electron/data/featurize/charseq');
  const { getRunEncoding } = await import('../../../electron/store/runs');
  const encoder = new CharSeqEncoder((getRunEncoding(engine.workspace.db, runId) as { featurizer: ConstructorParameters<typeof CharSeqEncoder>[0] }).featurizer);
  const x = new Int32Array(urls.length * encoder.dim);
  urls.forEach((u, i) => encoder.encodeInto(u, x, i * encoder.dim));
  const out = await session.run({ input: new ort.Tensor('int32', x, [urls.length, encoder.dim]) });
  const p = out.probabilities.data as Float32Array;
  await session.release();
  urls.forEach((u, i) => {
    const row = rows.find((r) => r.url === u)!;
    assert.ok(Math.abs(p[i * 2 + 1] - row.score) < 1e-5, `${u}: onnx ${p[i * 2 + 1]} vs scan ${row.score}`);
  });
});
