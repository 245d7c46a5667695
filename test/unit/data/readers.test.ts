import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readRecords } from '../../../electron/data';
import { READERS } from '../../../electron/data/readers/all-readers';
import { behaviourReader } from '../../../electron/data/readers/behaviour';
import { csvReader } from '../../../electron/data/readers/csv';
import { detectLayout } from '../../../electron/data/readers/detect-format';
import { domainsReader } from '../../../electron/data/readers/domains';
import { kdd99Reader } from '../../../electron/data/readers/kdd99';
import { nslKddReader } from '../../../electron/data/readers/nslkdd';
import type { FormatReader } from '../../../electron/data/readers/reader';
import { urlsReader } from '../../../electron/data/readers/urls';
import { zeekConnReader } from '../../../electron/data/readers/zeek-conn';
import type { DataRecord, ImportOptions } from '../../../electron/data/types';
import { tmpDir } from './helpers';

// Hand-written heads, one per format; each reader must claim its own and no other.
const KDD = '0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,8,8,0.00,0.00,0.00,0.00,1.00,0.00,0.00,9,9,1.00,0.00,0.11,0.00,0.00,0.00,0.00,0.00';
const HEADS: Record<string, string[]> = {
  kdd99: [`${KDD},normal.`, `${KDD},smurf.`],
  'nsl-kdd': [`${KDD},normal,21`, `${KDD},neptune,19`],
  zeek: ['#separator \\x09', '#fields\tts\tuid\tid.orig_h\tid.resp_h\tid.resp_p\tproto\tduration\tlabel', '#types\ttime\tstring\taddr\taddr\tport\tenum\tinterval\tstring', '1.0\tC1\t10.0.0.1\t10.0.0.2\t80\ttcp\t0.5\tBenign'],
  urls: ['url,label', 'http://example.com/a,benign', 'http://phish.example.net/login,phishing'],
  domains: ['google.com', 'wikipedia.org', 'xjwqkzpv.net'],
  csv: ['bytes,proto,label', '10,tcp,good', '99,udp,bad'],
};

function writeHead(name: string): string {
  const p = path.join(tmpDir(), name);
  fs.writeFileSync(p, HEADS[name].join('\n') + '\n');
  return p;
}

async function firstRecord(p: string, options: ImportOptions = {}): Promise<DataRecord> {
  for await (const r of readRecords(p, { errors: 'strict', ...options })) return r;
  throw new Error('no record');
}

/** The reader recognises its own head and leaves alone the heads of readers asked after it. */
function claims(reader: FormatReader, own: string): void {
  const order = READERS.flatMap((r) => r.formats) as string[];
  assert.equal(reader.detect(own, HEADS[own])?.format, own, `${own} reader on its own head`);
  for (const [name, lines] of Object.entries(HEADS)) {
    if (order.indexOf(name) > order.indexOf(own)) assert.equal(reader.detect(name, lines), undefined, `${own} reader must not claim a ${name} head`);
  }
  assert.equal(detectLayout(own, HEADS[own]).reader, reader, 'detection asks this reader');
}

test('every format has one reader, asked in a fixed order', () => {
  assert.deepEqual(READERS.flatMap((r) => r.formats), ['zeek', 'zeek-behaviour', 'kdd99', 'nsl-kdd', 'urls', 'domains', 'csv']);
});

test('kdd99 reader: 42 fields with tcp/udp/icmp; streams records with the trailing dot cut', async () => {
  claims(kdd99Reader, 'kdd99');
  const r = await firstRecord(writeHead('kdd99'));
  assert.equal(r.label, 'normal');
  assert.deepEqual(r.cat, ['tcp', 'http', 'SF']);
});

test('nsl-kdd reader: 43 fields ending in a difficulty', async () => {
  claims(nslKddReader, 'nsl-kdd');
  const r = await firstRecord(writeHead('nsl-kdd'));
  assert.deepEqual([r.label, r.meta?.difficulty], ['normal', 21]);
});

test('zeek conn reader: #fields header; forced on a CSV it says why not', async () => {
  claims(zeekConnReader, 'zeek');
  assert.throws(() => zeekConnReader.detect('x.csv', HEADS.csv, 'zeek'), /x\.csv:1: not a zeek log/);
  const r = await firstRecord(writeHead('zeek'));
  assert.equal(r.label, 'Benign');
  assert.equal(r.line, 4);
});

test('behaviour reader: only when named, on a Zeek header', async () => {
  for (const lines of Object.values(HEADS)) assert.equal(behaviourReader.detect('f', lines), undefined);
  assert.equal(behaviourReader.detect('f', HEADS.zeek, 'zeek-behaviour')?.format, 'zeek-behaviour');
  assert.throws(() => behaviourReader.detect('u.txt', HEADS.domains, 'zeek-behaviour'), /u\.txt:1: not a zeek log/);
  const r = await firstRecord(writeHead('zeek'), { format: 'zeek-behaviour' });
  assert.equal(r.text, '2', 'one flow of 0.5 s with no byte counts: no-data periodicity, small, medium duration');
  assert.deepEqual([r.label, r.meta?.dport, JSON.parse(r.raw).tuple.src], ['Benign', '80', '10.0.0.1']);
});

test('urls reader: a url column or a list of URLs', async () => {
  claims(urlsReader, 'urls');
  assert.equal(urlsReader.detect('f', ['http://a.example/x', 'www.b.example/y'])?.textColumn, -1);
  const r = await firstRecord(writeHead('urls'));
  assert.deepEqual([r.text, r.label], ['http://example.com/a', 'benign']);
});

test('domains reader: a list of names; forced on URLs it says why not', async () => {
  claims(domainsReader, 'domains');
  assert.throws(() => domainsReader.detect('d.txt', HEADS.csv, 'domains'), /d\.txt:1: not a domain list/);
  const r = await firstRecord(writeHead('domains'), { fixedLabel: 'x' });
  assert.deepEqual([r.text, r.label], ['google.com', 'x']);
});

test('csv reader: a header row of names and rows of as many fields', async () => {
  claims(csvReader, 'csv');
  assert.throws(() => csvReader.detect('k.txt', HEADS.kdd99, 'csv'), /k\.txt:1: not a CSV with a header row/);
  const r = await firstRecord(writeHead('csv'));
  assert.deepEqual([r.values, r.label], [[10, 'tcp'], 'good']);
});

test('a head no reader claims is refused with what was seen', () => {
  assert.throws(() => detectLayout('odd.txt', ['a b c', 'd e f']), /could not detect format of odd\.txt: first line has 1 comma-separated fields/);
});
