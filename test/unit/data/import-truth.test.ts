import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DataError, importFile, importManyToCache } from '../../../electron/data';
import { scanItems } from '../../../electron/scan/item-lines';
import type { ScanLine } from '../../../electron/scan/url-lines';
import { describeRead } from '../../../shared/dataset';
import { testEngine } from '../../helpers/engine';
import { REPO_ROOT, tempDir } from '../../helpers/temp';

/**
 * Imports tell the truth (#13): no rows is an error naming file and reason, with nothing stored; an over-long
 * first line says so; junk lines are skipped and counted wherever good lines remain, in import and in scan;
 * a headerless url,label feed is read as one; the summary says how the file was read.
 */
const dir = tempDir();
const ws = tempDir();
const { engine, call } = testEngine(ws);

const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const urls = (n: number) => Array.from({ length: n }, (_, i) => `http://site${i}.example/path/${i}?q=${i}`);
/** A junk line as a binary blob leaves one: NUL and control bytes. */
const junk = (i: number) => Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 0xff]), Buffer.from(`bin${i}`), Buffer.alloc(24, 0)]);

/** Runs an import through the contract; the job's outcome. */
async function importOf(file: string, errors: 'strict' | 'lenient' = 'lenient') {
  const { jobId } = await call('datasets.import', { path: file, options: { errors } });
  return engine.jobs.wait(jobId);
}

/** The import through the contract (a worker job) fails naming the file, with the reason. */
async function refusedByJob(file: string, reason: RegExp, errors: 'strict' | 'lenient' = 'lenient') {
  const job = await importOf(file, errors);
  assert.equal(job.status, 'failed', `${path.basename(file)} was imported`);
  assert.ok(job.error?.startsWith(`${path.basename(file)}:`), job.error);
  assert.match(job.error!, reason);
}

/** The same pipeline in this thread (a worker per case would cost seconds each). */
async function refused(file: string, reason: RegExp, errors: 'strict' | 'lenient' = 'lenient') {
  await assert.rejects(importFile(file, { errors }), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.file, path.basename(file));
    assert.match(e.message, reason);
    return true;
  });
}

async function scanned(file: string): Promise<ScanLine[]> {
  const out: ScanLine[] = [];
  for await (const chunk of scanItems(file, 'list', 'url', 0, new AbortController().signal, () => {})) out.push(...chunk);
  return out;
}

test('a: no usable rows is an error with the reason, in both modes, and nothing is stored', async () => {
  for (const errors of ['lenient', 'strict'] as const) {
    await refused(write('empty.txt', ''), /: file is empty \(0 bytes\)$/, errors);
    await refused(write('newlines.txt', '\n\n\r\n\n'), /: no data rows: the file's 4 lines are all blank$/, errors);
    await refused(write('header.csv', 'src_bytes,dst_bytes,label\n'), /: no data rows: only a header line \("src_bytes,dst_bytes,label"\)$/, errors);
    await refused(write('url-header.csv', 'url,label\n\n'), /: no data rows: only a header line/, errors);
  }
  await refused(write('url-only.txt', 'url\n\n  \n'), /: no data rows: only a header line and 2 blank lines$/);
  const bad = write('allbad.csv', ['url,label', ...urls(5).map((u) => `${u},bad,extra`)].join('\n') + '\n');
  await refused(bad, /: no usable rows: all 5 data lines are malformed \(5 wrong number of fields\); first: line 2: expected 2 comma-separated fields, got 3$/);
  await refused(bad, /^allbad\.csv:2: expected 2 comma-separated fields, got 3$/, 'strict');
  // Through the contract: the job fails with the reason, and the workspace holds nothing.
  await refusedByJob(bad, /^allbad\.csv: no usable rows: all 5 data lines are malformed \(5 wrong number of fields\); first: line 2: expected 2 comma-separated fields, got 3$/);
  assert.deepEqual(await call('datasets.list', {}), []);
  assert.deepEqual(fs.readdirSync(path.join(ws, 'datasets')), [], 'no dataset folder is left behind');
});

test('b: a first line longer than the read-ahead says so, plain, gzip and a wide CSV header', async () => {
  await refused(write('long.txt', `http://a.example/${'a'.repeat(3 << 20)}\n${urls(3).join('\n')}\n`), /: line 1 is longer than 65536 bytes/, 'strict');
  for (const errors of ['lenient', 'strict'] as const) await refused(write('long.gz', zlib.gzipSync(Buffer.alloc(20 << 20, 'a'))), /: line 1 is longer than 65536 bytes/, errors);
  // Lenient, and every data line as long as the header: nothing to detect a format from, the same error.
  const header = Array.from({ length: 100_000 }, (_, i) => `feature_${i}`).join(',');
  assert.ok(header.length > 800_000);
  await refused(write('wide.csv', `${header}\n${header.replace(/feature_\d+/g, '1')}\n`), /: line 1 is longer than 65536 bytes/);
});

test('c+f: a URL list with a few binary lines keeps its clean URLs and says how it was read', async () => {
  const good = urls(50).map((u) => Buffer.from(`${u}\n`));
  const file = write('mostly-urls.txt', Buffer.concat([...good.slice(0, 20), junk(1), Buffer.from('\n'), ...good.slice(20), junk(2), Buffer.from('\n\n')]));
  const binaryShare = (junk(1).length * 2) / fs.statSync(file).size;
  assert.ok(binaryShare > 0.02, `${(binaryShare * 100).toFixed(1)}% binary: more than the old whole-file refusal threshold`);
  const job = await importOf(file);
  assert.equal(job.status, 'done', job.error);
  const { datasetId, rows, malformed } = job.result as { datasetId: string; rows: number; malformed: number };
  assert.deepEqual([rows, malformed], [50, 2]);
  const d = await call('datasets.get', { datasetId });
  assert.deepEqual(d.summary.read, { format: 'urls', header: false, columns: 1, text: 'whole line', label: null, skipped: { blank: 1, 'NUL byte (binary data)': 2 } });
  assert.deepEqual(d.summary.malformed.examples.map((e) => e.line), [21, 52]);
  assert.equal(describeRead(d.summary.read!), 'read as urls, no header, 1 column: URL whole line, unlabelled; skipped 1 blank, 2 NUL byte (binary data)');
  await refused(file, /^mostly-urls\.txt:21: NUL byte at column 1/, 'strict');
  assert.equal((await importFile(file)).summary.rows, 50);
});

test('d: a scan skips a binary file and junk lines as not-URL, scoring none of them', async () => {
  const blob = Buffer.alloc(64 * 1024);
  let x = 7;
  for (let i = 0; i < blob.length; i++) blob[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  const bin = await scanned(write('blob.bin', blob));
  assert.ok(bin.length > 100);
  assert.deepEqual(bin.filter((l) => l.kind === 'url'), [], 'nothing of a binary file is scored');
  const lines = await scanned(write('junk.txt', ['http://a.example/x', 'W', 'g', 'ab\u0001c.example', 'not a url', 'b.example/login.php', '%'].join('\n')));
  assert.deepEqual(
    lines.map((l) => (l.kind === 'url' ? l.url : l.kind === 'skip' ? l.reason : l.kind)),
    ['http://a.example/x', 'notUrl', 'notUrl', 'notUrl', 'notUrl', 'b.example/login.php', 'notUrl'],
  );
});

test('e+f: a headerless url,label feed is read as one in import and in scan', async () => {
  const labels = ['bad', 'good', 'malicious', 'benign'];
  const feed = write('feed.csv', Array.from({ length: 40 }, (_, i) => `evil${i}.example.com/login/${i}.php,${labels[i % 4]}`).join('\n') + '\n');
  const job = await importOf(feed);
  assert.equal(job.status, 'done', job.error);
  const d = await call('datasets.get', { datasetId: (job.result as { datasetId: string }).datasetId });
  assert.equal(d.summary.rows, 40);
  assert.deepEqual(d.summary.labels?.raw, { bad: 10, good: 10, malicious: 10, benign: 10 });
  assert.deepEqual(d.summary.read, { format: 'urls', header: false, columns: 2, text: 'column 1 (url)', label: 'column 2 (label)', skipped: {} });
  assert.equal(describeRead(d.summary.read!), 'read as urls, no header, 2 columns: URL column 1 (url), label column 2 (label); skipped nothing');
  const binary = write('feed01.csv', 'evil.example.com/a.php,1\nhttp://ok.example/b,0\n');
  const r01 = await importFile(binary);
  assert.deepEqual(r01.summary.labels?.raw, { 1: 1, 0: 1 });
  assert.equal(r01.summary.read?.label, 'column 2 (label)');

  const scan = await scanned(feed);
  assert.equal(scan.length, 40);
  assert.deepEqual(scan.slice(0, 2), [{ kind: 'url', line: 1, url: 'evil0.example.com/login/0.php' }, { kind: 'url', line: 2, url: 'evil1.example.com/login/1.php' }]);
  assert.ok(scan.every((l) => l.kind === 'url' && !l.url.includes(',')));
});

test('the real CLI exits non-zero with the reason and stores nothing', () => {
  const cliWs = tempDir();
  const file = write('only-newlines.txt', '\n\n\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'electron', 'cli', 'index.ts'), '--workspace', cliWs, 'import', file], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim(), "deeptriage import: only-newlines.txt: no data rows: the file's 3 lines are all blank");
  assert.equal(r.stdout, '');
  assert.deepEqual(fs.readdirSync(path.join(cliWs, 'datasets')), []);
});

test('g: a URL list whose first URL holds ",word" stays a URL list in scan and import (the sample decides, not line 1)', async () => {
  const list = ['http://x.example/?a=1,b', ...urls(30)];
  const file = write('comma-first.txt', list.join('\n') + '\n');
  const scan = await scanned(file);
  assert.deepEqual(scan.map((l) => (l.kind === 'url' ? l.url : l.kind)), list, 'no line is cut at a comma');
  const r = await importFile(file);
  assert.equal(r.summary.rows, 31);
  assert.equal(r.summary.read?.text, 'whole line');
  // A feed with a repeated label the word list does not know is still a feed by its small vocabulary.
  const feed = write('family-feed.csv', urls(20).map((u, i) => `${u},${i % 3 ? 'emotet' : 'qakbot'}`).join('\n') + '\n');
  assert.ok((await scanned(feed)).every((l) => l.kind === 'url' && !l.url.includes(',')));
  assert.deepEqual((await importFile(feed)).summary.labels?.raw, { qakbot: 7, emotet: 13 });
});

test('h: lenient skips an over-long first line and detects the format from the lines after it; strict refuses', async () => {
  const big = write('long-first.txt', `http://a.example/${'a'.repeat(3 << 20)}\n${urls(3).join('\n')}\n`);
  const r = await importFile(big);
  assert.equal(r.summary.rows, 3);
  assert.deepEqual(r.summary.read?.skipped, { 'line too long': 1 });
  assert.deepEqual(r.summary.malformed.examples.map((e) => [e.line, e.reason]), [[1, 'line longer than 1 MiB']]);
  // Under the 1 MiB line limit but past the read-ahead, gzip, with a header after it: the header is read as one.
  const gz = write('long-first.csv.gz', zlib.gzipSync(`${'x'.repeat(100_000)}\nurl,label\n${urls(4).map((u) => `${u},bad`).join('\n')}\n`));
  const g = await importFile(gz);
  assert.equal(g.summary.rows, 4);
  assert.deepEqual(g.summary.read, { format: 'urls', header: true, columns: 2, text: 'column 1 (url)', label: 'column 2 (label)', skipped: { header: 1, 'line too long': 1 } });
  assert.deepEqual(g.summary.malformed.examples.map((e) => [e.line, e.reason]), [[1, 'line longer than 65536 bytes (the read-ahead that detects the format)']]);
  await refused(gz, /^long-first\.csv\.gz: line 1 is longer than 65536 bytes, the read-ahead that detects the format$/, 'strict');
});

test('i: a header below blank and # comment lines is the header, in lenient and strict mode', async () => {
  const feed = write('commented.csv', `\n\n# generated by feedgen\n#licence: CC0\nurl,label\n${urls(4).map((u, i) => `${u},${i % 2 ? 'bad' : 'good'}`).join('\n')}\n`);
  for (const errors of ['lenient', 'strict'] as const) {
    const r = await importFile(feed, { errors });
    assert.deepEqual(r.summary.labels?.raw, { good: 2, bad: 2 });
    assert.deepEqual(r.summary.read, { format: 'urls', header: true, columns: 2, text: 'column 1 (url)', label: 'column 2 (label)', skipped: { blank: 2, comment: 2, header: 1 } });
  }
  const tab = write('commented-tab.csv', '# exported 2026-01-01\nsrc_bytes,dst_bytes,proto,label\n1,2,tcp,normal\n3,4,udp,attack\n5,6,tcp,normal\n');
  const t = await importFile(tab, { errors: 'strict' });
  assert.deepEqual([t.summary.rows, t.summary.read?.format, t.summary.read?.header, t.summary.read?.skipped], [3, 'csv', true, { comment: 1, header: 1 }]);
  assert.deepEqual(t.summary.labels?.raw, { normal: 2, attack: 1 });
  await refused(write('only-comments.txt', '# a\n# b\n\n'), /: no data rows: only 2 comment lines$/);
  await refused(write('comment-header.csv', '# a\nurl,label\n'), /: no data rows: only a header line and 1 comment line$/);
});

test('j: KDD blank lines (empty, CR, spaces) are counted as blank by the byte path as by the record path', async () => {
  const row = (i: number) => `0,tcp,http,SF,${181 + (i % 5)},5450,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,8,8,0.00,0.00,0.00,0.00,1.00,0.00,0.00,9,9,1.00,0.00,0.11,0.00,0.00,0.00,0.00,0.00,${i % 2 ? 'normal' : 'smurf'}.`;
  const rows = Array.from({ length: 30 }, (_, i) => row(i));
  const kdd = write('kdd-blanks.txt', ['', ...rows.slice(0, 10), '', '\r', ...rows.slice(10, 20), ' \t ', ...rows.slice(20), '', ''].join('\n'));
  const byBytes = await importFile(kdd);
  assert.equal(byBytes.summary.read?.format, 'kdd99');
  assert.deepEqual([byBytes.summary.rows, byBytes.summary.read?.skipped, byBytes.summary.malformed.count], [30, { blank: 5 }, 0]);
  // importManyToCache reads every file on the record path.
  const byRecords = await importManyToCache([{ path: kdd }], tempDir());
  assert.deepEqual([byRecords.summary.rows, byRecords.summary.read?.skipped], [30, { blank: 5 }]);
});

test('k: several files with one empty: lenient leaves it out with a warning naming it, strict refuses naming it and the fine ones', async () => {
  const a = write('many-a.txt', urls(5).join('\n') + '\n');
  const b = write('many-b.txt', urls(8).slice(5).join('\n') + '\n');
  const empty = write('many-empty.txt', '\n\n');
  const inputs = [{ path: a, fixedLabel: 'bad' }, { path: empty, fixedLabel: 'bad' }, { path: b, fixedLabel: 'good' }];
  const r = await importManyToCache(inputs, tempDir());
  assert.equal(r.rows, 8);
  assert.deepEqual(r.files.map((f) => [f.file, f.rows]), [['many-a.txt', 5], ['many-b.txt', 3]]);
  assert.ok(r.summary.warnings.includes("many-empty.txt: left out of the dataset: no data rows: the file's 2 lines are all blank"), r.summary.warnings.join('\n'));
  await assert.rejects(importManyToCache(inputs, tempDir(), { errors: 'strict' }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.message, "many-empty.txt: no data rows: the file's 2 lines are all blank; the other 2 files (many-a.txt, many-b.txt) are fine: leave this one out, or import in lenient mode to skip it");
    return true;
  });
  await assert.rejects(importManyToCache([{ path: empty }, { path: write('many-empty2.txt', '') }], tempDir()), {
    message: "many-empty.txt, many-empty2.txt: no usable rows in any file: many-empty.txt: no data rows: the file's 2 lines are all blank; many-empty2.txt: file is empty (0 bytes)",
  });
});
