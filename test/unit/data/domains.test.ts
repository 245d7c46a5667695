import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CharSeqEncoder, DataError, PUBLIC_SUFFIXES, charSeqSpec, detectFormat, importFile, normalizeDomain, readRecords, stripPublicSuffix } from '../../../electron/data';
import { data, tmpDir } from './helpers';

test('normalizeDomain: case, trailing dot, IDN to punycode, punycode kept, empty labels rejected', () => {
  assert.equal(normalizeDomain('  Mail.Example.CO.UK. '), 'mail.example.co.uk');
  assert.equal(normalizeDomain('bücher.example.com'), 'xn--bcher-kva.example.com');
  assert.equal(normalizeDomain('MÜNCHEN.de'), 'xn--mnchen-3ya.de');
  assert.equal(normalizeDomain('xn--bcher-kva.example.com'), 'xn--bcher-kva.example.com');
  // Not valid punycode, but written as punycode: kept as is, never re-encoded.
  assert.equal(normalizeDomain('xn--zz.com'), 'xn--zz.com');
  assert.deepEqual(normalizeDomain('a..b.com'), { error: 'empty label in "a..b.com"' });
  assert.deepEqual(normalizeDomain('.a.com'), { error: 'empty label in ".a.com"' });
  assert.deepEqual(normalizeDomain('a.com..'), { error: 'empty label in "a.com."' });
  assert.deepEqual(normalizeDomain('.'), { error: 'empty domain' });
  assert.match((normalizeDomain('example.com/path') as { error: string }).error, /not a domain name/);
});

test('stripPublicSuffix: multi-label suffixes from the list, else the last label; www. goes too', () => {
  assert.ok(PUBLIC_SUFFIXES.size >= 300, `${PUBLIC_SUFFIXES.size} suffixes`);
  const cases: Array<[string, string]> = [
    ['mail.example.co.uk', 'mail.example'],
    ['example.co.uk', 'example'],
    ['shop.example.com.au', 'shop.example'],
    ['example.co.jp', 'example'],
    ['loja.com.br', 'loja'],
    ['example.com', 'example'],
    ['a.b.example.xyz', 'a.b.example'], // unknown suffix: the last label
    ['www.example.com', 'example'],
    ['www.mail.example.co.uk', 'mail.example'],
    ['wwwexample.com', 'wwwexample'],
    ['user.github.io', 'user'],
    ['xn--bcher-kva.xn--p1ai', 'xn--bcher-kva'],
    ['co.uk', 'co.uk'], // nothing would remain: unchanged
    ['localhost', 'localhost'],
    ['uk.co.uk', 'uk'],
  ];
  for (const [d, want] of cases) assert.equal(stripPublicSuffix(d), want, d);
});

test('domain lists: messy lines normalised, malformed lines reported with their line numbers', async () => {
  const p = path.join(tmpDir(), 'mixed.txt');
  fs.writeFileSync(p, ['Google.COM', 'example.co.uk.', 'bücher.de', 'xn--bcher-kva.de', 'bad..label.com', '.lead.com', 'www.Example.com', 'ok.net', ''].join('\n'));
  const recs = [];
  for await (const r of readRecords(p, { format: 'domains' })) recs.push([r.id, r.text]);
  assert.deepEqual(recs, [
    ['mixed.txt:1', 'google.com'],
    ['mixed.txt:2', 'example.co.uk'],
    ['mixed.txt:3', 'xn--bcher-kva.de'],
    ['mixed.txt:4', 'xn--bcher-kva.de'],
    ['mixed.txt:7', 'www.example.com'], // www. kept unless the suffix is stripped
    ['mixed.txt:8', 'ok.net'],
  ]);
  const r = await importFile(p, { format: 'domains', fixedLabel: 'x' });
  assert.deepEqual(
    r.summary.malformed.examples.map((m) => [m.line, m.reason]),
    [
      [5, 'empty label in "bad..label.com"'],
      [6, 'empty label in ".lead.com"'],
    ],
  );
  await assert.rejects(importFile(p, { format: 'domains', errors: 'strict' }), (e: Error) => e instanceof DataError && e.message.startsWith('mixed.txt:5: empty label'));
  // A Unicode list is detected as domains without being told.
  const idn = path.join(tmpDir(), 'idn.txt');
  fs.writeFileSync(idn, 'bücher.de\nmünchen.de\nexample.com\n');
  assert.equal((await detectFormat(idn)).format, 'domains');
});

test('stripPublicSuffix option: applied by the encoder, recorded in its JSON, counted in duplicates', async () => {
  const p = path.join(tmpDir(), 'd.csv');
  fs.writeFileSync(p, 'domain,label\nmail.example.co.uk,legit\nmail.example.com,legit\nwww.google.com,legit\nqwkzjx.ru,dga\nqwkzjx.biz,dga\n');
  const plain = await importFile(p);
  assert.equal(plain.featurizer.kind === 'charseq' && plain.featurizer.stripPublicSuffix, undefined, 'old JSON shape when off');
  assert.equal(plain.summary.duplicates.rows, 0);
  const cut = await importFile(p, { text: { stripPublicSuffix: true } });
  assert.equal(cut.featurizer.kind === 'charseq' && cut.featurizer.stripPublicSuffix, true);
  assert.equal(cut.summary.duplicates.rows, 2, 'mail.example twice, qwkzjx twice');
  assert.ok(!cut.summary.shortcuts.some((s) => s.feature === 'tld'), 'no TLD shortcut when the TLD is cut');
  const enc = new CharSeqEncoder(cut.featurizer as never);
  const decode = (row: Int32Array) => String.fromCharCode(...[...row].filter((c) => c > 0).map((c) => c + 30));
  assert.equal(decode(cut.encoded.features.slice(0, 64) as Int32Array), 'mail.example');
  assert.equal(decode(cut.encoded.features.slice(128, 192) as Int32Array), 'google');
  // Scans and free text go through the same encoder: raw, un-normalised input gets the same cut.
  assert.equal(enc.prepare('WWW.Shop.Example.COM.AU.'), 'shop.example');
  assert.equal(enc.prepare('bücher.de'), 'xn--bcher-kva');
  assert.equal(new CharSeqEncoder(charSeqSpec({ stripPublicSuffix: true }, 'url')).prepare('a.example.com'), 'a.example.com', 'URLs are never cut');
  // A test set encoded like this one gets the cut from the featurizer, whatever its own options say.
  const like = await importFile(p, { featurizer: cut.featurizer, labelEncoder: cut.labelEncoder! });
  assert.deepEqual([...like.encoded.features], [...cut.encoded.features]);
  assert.equal(like.summary.duplicates.rows, 2);
});

test('every DGA file imports as domains: andrewaeva, UMUDGA families, Alexa', async () => {
  const dirs = ['andrewaeva-dga', 'umudga-10k'];
  let files = 0;
  for (const dir of dirs) {
    for (const f of fs.readdirSync(data('dga', dir)).sort()) {
      const file = data('dga', dir, f);
      assert.equal((await detectFormat(file)).format, 'domains', f);
      const r = await importFile(file, f.endsWith('.csv') ? { errors: 'strict' } : { errors: 'strict', fixedLabel: f.replace(/\.txt$/, '') });
      assert.equal(r.summary.malformed.count, 0, f);
      assert.ok(r.summary.rows >= 1_666, `${f}: ${r.summary.rows}`);
      files++;
    }
  }
  assert.equal(files, 14 + 51);
  const alexa = await importFile(data('dga', 'clicksecurity', 'alexa_100k.csv'), { fixedLabel: 'legit', text: { stripPublicSuffix: true } });
  // The 402 Alexa entries with a path (youtube.com/user/…) are not domains.
  assert.equal(alexa.summary.rows, 99_598);
  assert.equal(alexa.summary.labels!.raw.legit, 99_598);
});
