import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DataAbortError, DataError, importFile, importManyToCache, readCache, readCacheIndex, indexRowId, readRawLine, rowId } from '../../../electron/data';
import { data, tmpDir } from './helpers';

const U = (f: string) => data('dga', 'umudga-10k', f);

test('several files → one dataset: ids keep file and line, one encoding, raw lines line up', async () => {
  const dir = tmpDir();
  const noNl = path.join(dir, 'extra.txt');
  fs.writeFileSync(noNl, 'Last.Example.com'); // no final newline: must not merge with the next file in raw.txt
  const inputs = [
    { path: data('dga', 'clicksecurity', 'alexa_100k.csv'), fixedLabel: 'legit' },
    { path: noNl, fixedLabel: 'legit' },
    { path: U('banjori.txt'), fixedLabel: 'banjori' },
    { path: U('cryptolocker.txt'), fixedLabel: 'cryptolocker' },
    // Same base name as the UMUDGA file: the parent folder tells them apart.
    { path: data('dga', 'andrewaeva-dga', 'cryptolocker.txt'), fixedLabel: 'cryptolocker' },
  ];
  const progress: number[] = [];
  const r = await importManyToCache(inputs, path.join(dir, 'out'), { labels: { mode: 'binary' } }, { onProgress: (p) => progress.push(p.bytesRead / p.totalBytes) });
  assert.equal(r.rows, 99_598 + 1 + 10_000 + 10_000 + 100_000);
  assert.deepEqual(
    r.files.map((f) => [f.source, f.rows]),
    [
      ['alexa_100k.csv', 99_598],
      ['extra.txt', 1],
      ['banjori.txt', 10_000],
      ['umudga-10k/cryptolocker.txt', 10_000],
      ['andrewaeva-dga/cryptolocker.txt', 100_000],
    ],
  );
  assert.deepEqual({ ...r.summary.labels!.categories }, { benign: 99_599, malicious: 120_000 });
  assert.equal(r.summary.malformed.count, 402);
  assert.match(r.summary.malformed.examples[0].reason, /^alexa_100k\.csv: not a domain name/);
  assert.ok(progress.every((f, i) => f <= 1 && (i === 0 || f >= progress[i - 1])), 'progress only grows');
  assert.equal(progress.at(-1), 1);

  const c = await readCache(r.cachePath);
  assert.equal(c.rows, r.rows);
  const check = async (i: number, id: string, raw: string, label: number) => {
    assert.equal(rowId(c, i), id);
    assert.equal(await readRawLine(r.rawLinesPath, c.rawOffsets![i]), raw);
    assert.equal(c.labels![i], label);
  };
  await check(0, 'alexa_100k.csv:1', '1,facebook.com', 0);
  await check(99_598, 'extra.txt:1', 'Last.Example.com', 0);
  const firstBanjori = fs.readFileSync(U('banjori.txt'), 'utf8').split('\n')[0];
  await check(99_599, 'banjori.txt:1', firstBanjori, 1);
  await check(r.rows - 1, 'andrewaeva-dga/cryptolocker.txt:100000', fs.readFileSync(data('dga', 'andrewaeva-dga', 'cryptolocker.txt'), 'utf8').split('\n')[99_999], 1);
  const index = await readCacheIndex(r.cachePath);
  assert.equal(indexRowId(index, 99_599), 'banjori.txt:1');
  // The one fitted encoding encodes each row exactly as a single-file import of that file would.
  const alone = await importFile(U('banjori.txt'), { fixedLabel: 'banjori' });
  assert.deepEqual([...c.features.subarray(99_599 * 64, 99_600 * 64)], [...alone.encoded.features.subarray(0, 64)]);
});

test('per-file row cap: seeded uniform sample in file order, reproducible, per-file override', async () => {
  const fams = ['alureon.txt', 'bedep.txt', 'necurs.txt', 'legit.txt'];
  const inputs = fams.map((f) => ({ path: U(f), fixedLabel: f.replace('.txt', '') }));
  inputs[3] = { ...inputs[3], maxRows: 900 } as (typeof inputs)[number];
  const run = async (seed: number) => {
    const out = path.join(tmpDir(), 'o');
    const r = await importManyToCache(inputs, out, { maxRowsPerFile: 300, sampleSeed: seed, labels: { mode: 'binary' } });
    const c = await readCache(r.cachePath);
    return { r, ids: Array.from({ length: c.rows }, (_, i) => rowId(c, i)) };
  };
  const a = await run(7);
  const b = await run(7);
  const other = await run(8);
  assert.deepEqual(a.r.files.map((f) => [f.rows, f.eligible]), [[300, 10_000], [300, 10_000], [300, 10_000], [900, 10_000]]);
  assert.deepEqual({ ...a.r.summary.labels!.categories }, { benign: 900, malicious: 900 });
  assert.deepEqual(a.ids, b.ids, 'same seed, same rows');
  assert.notDeepEqual(a.ids, other.ids, 'another seed, another sample');
  const lines = a.ids.slice(0, 300).map((id) => Number(id.split(':')[1]));
  assert.deepEqual(lines, [...lines].sort((x, y) => x - y), 'file order kept');
  assert.ok(lines.at(-1)! > 9_000 && lines[0] < 1_000, 'spread over the whole file');
  // A cap above the file's size keeps every row.
  const all = await importManyToCache([inputs[0]], path.join(tmpDir(), 'o'), { maxRowsPerFile: 50_000 });
  assert.equal(all.rows, 10_000);
});

test('several zeek logs: one tabular fit over all files; behaviour tuples from several captures', async () => {
  const z = (f: string) => data('stratosphere-zeek', f);
  const files = ['010-zeek-mixed.conn.log.labeled', '012-zeek-mixed.conn.log.labeled'];
  const r = await importManyToCache(files.map((f) => ({ path: z(f) })), path.join(tmpDir(), 'o'), { labels: { mode: 'binary', drop: ['Background'] } });
  assert.equal(r.rows, 3_373 + 1_937 + 3_028 + 782);
  const c = await readCache(r.cachePath);
  assert.equal(rowId(c, r.rows - 1).startsWith('012-zeek-mixed.conn.log.labeled:'), true);
  assert.equal(c.dtype, 'float32');
  const b = await importManyToCache(files.map((f) => ({ path: z(f) })), path.join(tmpDir(), 'o'), { format: 'zeek-behaviour', labels: { mode: 'binary' } });
  assert.equal(b.rows, 2_653 + 403 + 2_690 + 244);
  assert.deepEqual(b.summary.labels!.dropped, { Background: 14 + 22 });
  const cb = await readCache(b.cachePath);
  assert.equal(JSON.parse(await readRawLine(b.rawLinesPath, cb.rawOffsets![b.rows - 1])).tuple !== undefined, true);
});

test('several files: incompatible files, cancel, bad cap', async () => {
  const out = path.join(tmpDir(), 'o');
  await assert.rejects(
    importManyToCache([{ path: U('alureon.txt'), fixedLabel: 'a' }, { path: data('stratosphere-zeek', '010-zeek-mixed.conn.log.labeled') }], out),
    (e: Error) => e instanceof DataError && /010-zeek-mixed.conn.log.labeled: cannot join with alureon.txt: this file is tabular/.test(e.message),
  );
  await assert.rejects(importManyToCache([{ path: U('alureon.txt'), fixedLabel: 'a' }, { path: U('bedep.txt') }], out), /bedep.txt: cannot join .* is unlabelled/);
  await assert.rejects(importManyToCache([{ path: U('alureon.txt') }], out, { maxRowsPerFile: 0 }), /maxRowsPerFile must be a positive integer/);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(importManyToCache([{ path: U('alureon.txt') }, { path: U('bedep.txt') }], out, {}, { signal: ac.signal }), DataAbortError);
  assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], [], 'a cancelled import leaves no files');
});
