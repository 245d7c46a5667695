import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DataError, importFile, readRecords } from '../../../electron/data';
import type { ImportOptions } from '../../../electron/data';
import { tmpDir } from './helpers';

const good = (label = 'normal', bytes = 100) => `0,tcp,http,SF,${bytes},0,${Array(35).fill(0).join(',')},${label}.`;
const dir = tmpDir();
const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

/** Strict must throw a DataError naming file + line + reason; lenient must skip and report that line. */
async function both(p: string, line: number | undefined, reason: RegExp, opts: ImportOptions = {}) {
  const file = path.basename(p);
  await assert.rejects(importFile(p, { ...opts, errors: 'strict' }), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.file, file);
    assert.equal(e.line, line);
    assert.match(e.message, reason);
    if (line !== undefined) assert.ok(e.message.startsWith(`${file}:${line}: `), e.message);
    return true;
  });
  const r = await importFile(p, { ...opts, errors: 'lenient' });
  if (line !== undefined) {
    assert.equal(r.summary.malformed.count, 1);
    assert.equal(r.summary.malformed.examples[0].line, line);
    assert.match(r.summary.malformed.examples[0].reason, reason);
  }
  return r;
}

test('wrong column count', async () => {
  const r = await both(write('cols.txt', [good(), '0,tcp,http,SF,1,2,3', good()].join('\n')), 2, /expected 42 comma-separated fields, got 7/);
  assert.equal(r.summary.rows, 2);
  assert.equal(r.encoded.rows, 2);
  assert.deepEqual([...r.encoded.lines], [1, 3]);
});

test('text in a numeric column (KDD and header CSV)', async () => {
  await both(write('text.txt', [good(), good().replace(',100,', ',abc,'), good()].join('\n') + '\n'), 2, /field 5 \(src_bytes\): "abc" is not a number/);
  const rows = Array.from({ length: 9 }, (_, i) => `${i},${i * 2},${i % 2 ? 'x' : 'y'}`);
  rows.splice(2, 0, '3,oops,y');
  await both(write('text.csv', ['a,b,label', ...rows].join('\n') + '\n'), 4, /field 2 \(b\): "oops" is not a number/, { format: 'csv' });
});

test('an empty file is an error in both modes, saying why', async () => {
  for (const errors of ['strict', 'lenient'] as const) {
    await assert.rejects(importFile(write('empty.txt', ''), { errors }), /^DataError: empty\.txt: file is empty \(0 bytes\)$/);
    await assert.rejects(importFile(write('blank.txt', '\n\n  \n'), { errors }), /blank\.txt: no data rows: the file's 3 lines are all blank/);
  }
});

test('binary file is refused in both modes with what was seen', async () => {
  const bin = Buffer.alloc(4096);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) & 0xff;
  const p = write('blob.bin', bin);
  for (const errors of ['strict', 'lenient'] as const) {
    await assert.rejects(importFile(p, { errors }), /blob\.bin: binary file: .*% control\/NUL bytes/);
  }
  // A stray NUL on one line of a text file is a bad line, not a binary file.
  await both(write('nul.txt', [good(), good().replace('http', 'ht\0tp'), good()].join('\n')), 2, /NUL byte/);
});

test('a line longer than 1 MiB', async () => {
  const huge = 'x'.repeat((1 << 20) + 10);
  const r = await both(write('long.txt', [good(), huge, good(), good()].join('\n') + '\n'), 2, /longer than 1 MiB/);
  assert.equal(r.summary.rows, 3);
  // Also when the over-long line spans several read chunks and ends the file.
  const big = 'y'.repeat(3 << 20);
  const r2 = await both(write('long2.txt', [good(), big].join('\n')), 2, /longer than 1 MiB/);
  assert.equal(r2.summary.rows, 1);
});

test('unknown KDD label (not in the map), and an edited map that knows it', async () => {
  const p = write('unk.txt', [good(), good('zeroday'), good('smurf')].join('\n') + '\n');
  const r = await both(p, 2, /unknown label "zeroday"/);
  assert.deepEqual(r.summary.labels!.unknown, { zeroday: 1 });
  assert.equal(r.summary.rows, 2);
  const ok = await importFile(p, { errors: 'strict', labels: { attackMap: { normal: 'normal', smurf: 'dos', zeroday: 'r2l' } } });
  assert.equal(ok.summary.labels!.categories.r2l, 1);
});

test('invalid UTF-8', async () => {
  const p = write('utf.csv', Buffer.concat([Buffer.from('url,label\nhttp://a.com/x,benign\nhttp://b.com/'), Buffer.from([0xc3, 0x28]), Buffer.from(',spam\nhttp://c.com/é,spam\n')]));
  const r = await both(p, 3, /invalid UTF-8/);
  assert.equal(r.summary.rows, 2);
});

test('gzip detected by magic bytes, not the name; corrupt gzip is a clear error', async () => {
  const gz = zlib.gzipSync([good(), good('smurf')].join('\n') + '\n');
  const r = await importFile(write('noext', gz), { errors: 'strict' });
  assert.equal(r.summary.gzip, true);
  assert.equal(r.summary.rows, 2);
  const cut = write('cut.gz', gz.subarray(0, gz.length - 12));
  await assert.rejects(importFile(cut, { errors: 'lenient' }), /cut\.gz.*(corrupt|truncated)/);
});

test('a file that shrinks or vanishes mid-read', async () => {
  const line = good();
  const lines = Array(60_000).fill(line).join('\n') + '\n'; // ~ 8 MB, several read chunks
  const boundary = (line.length + 1) * 25_000;
  for (const errors of ['strict', 'lenient'] as const) {
    const p = write(`shrink-${errors}.txt`, lines);
    let n = 0;
    const run = async () => {
      for await (const _ of readRecords(p, { errors })) if (++n === 1) fs.truncateSync(p, boundary);
    };
    if (errors === 'strict') await assert.rejects(run(), /shrink-strict\.txt: file shrank during read/);
    else {
      await run();
      assert.ok(n >= 25_000 && n < 60_000);
    }
  }
  const p = write('vanish.txt', lines);
  let n = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of readRecords(p, { errors: 'strict' })) if (++n === 1) fs.unlinkSync(p);
    })(),
    /vanish\.txt: file vanished during read/,
  );
  const p2 = write('vanish2.txt', lines);
  let gone = false;
  const res = await importFile(p2, { errors: 'lenient' }, { onProgress: () => (gone ||= (fs.unlinkSync(p2), true)) });
  assert.ok(res.summary.warnings.some((w) => /vanished/.test(w)));
});

test('cancel with an AbortSignal; detection failure says what it saw', async () => {
  const p = write('cancel.txt', Array(40_000).fill(good()).join('\n'));
  const ac = new AbortController();
  await assert.rejects(
    importFile(p, {}, { signal: ac.signal, onProgress: () => ac.abort() }),
    (e: Error) => e.name === 'AbortError' && /cancel\.txt/.test(e.message),
  );
  const odd = write('odd.txt', 'a,b,c,d,e,f,7\n1,2,3,4,5,6,7\n');
  await assert.rejects(importFile(odd), /could not detect format of odd\.txt: first line has 7 comma-separated fields/);
});

test('quoted CSV fields: commas, quotes and a record spanning two lines', async () => {
  const p = write('q.csv', 'url,label\n"http://a.com/x,y",phishing\n"http://b.com/""q""",benign\n"http://c.com/\nz",spam\nhttp://d.com/,benign\n');
  const r = await importFile(p, { errors: 'strict' });
  assert.equal(r.summary.rows, 4);
  const recs = [];
  for await (const rec of readRecords(p)) recs.push(rec);
  assert.equal(recs[0].text, 'http://a.com/x,y');
  assert.equal(recs[1].text, 'http://b.com/"q"');
  assert.equal(recs[2].text, 'http://c.com/\nz');
  assert.equal(recs[3].id, 'q.csv:6');
});
