import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BEHAVIOUR_THRESHOLDS as DEFAULT_THRESHOLDS, normalizeDomain, PUBLIC_SUFFIXES, readRecords } from '../../../electron/data';
import { CharSeqEncoder, charSeqSpec, TabularFeaturizer, type CharSeqJSON, type TabularFeaturizerJSON } from '../../../electron/data/featurize';
import { scanHead } from '../../../electron/data/readers/head-lines';
import { UrlLineParser } from '../../../electron/scan/url-lines';
import { requirePython } from '../../helpers/python';
import { REPO_ROOT, SHARED_DATA } from '../../helpers/temp';

/**
 * The bundle's Python encoders against the engine's own (electron/data/featurize, domain.ts, behaviour.ts,
 * scan/url-lines.ts) on the inputs where JavaScript and Python disagree by default: UTF-16 lengths, JS trim
 * and whitespace, Number() parsing, Unicode domains, schemes and www, public suffixes, unknown categories.
 */
const python = requirePython();

const TEXTS = [
  'http://www.Example.com/a/b?c=1',
  'HTTPS://WWW.paypal.com.secure-login.xyz/verify',
  'ftp+ssh://host/x',
  'www.only-www.org/path',
  'no-scheme.example.co.uk/very/long/path/' + 'x'.repeat(120),
  'café.example/ünïcode',
  'emoji-😀-domain.com/😀😀',
  '  padded.example.com  ',
  '\u017Fcheme://kelvin-\u212A.com',
  'mail.Example.CO.UK',
  'www.google.com',
  'a.b.c.blogspot.com',
  'co.uk',
  'localhost',
  'MÜNCHEN.de',
  'xn--mnchen-3ya.de',
  'bad..domain.com',
  'trailing.dot.com.',
  'x'.repeat(300),
  '',
];

const SPECS: CharSeqJSON[] = [
  charSeqSpec({}, 'url'),
  charSeqSpec({ stripScheme: true, maxLength: 20 }, 'url'),
  charSeqSpec({}, 'domain'),
  charSeqSpec({ stripPublicSuffix: true, maxLength: 12 }, 'domain'),
  charSeqSpec({}, 'behaviour'),
];

const DOMAINS = ['Example.COM', ' www.Example.com. ', 'MÜNCHEN.de', 'bücher.example', 'ÉCOLE.fr', 'faß.de', '日本語.jp', 'xn--bcher-kva.example', 'bad..domain', 'has space.com', 'a/b.com', '\ufeffbom.com', '.lead.com', 'x'.repeat(254)];

const NUMBERS = ['0', '-0', '12', ' 12 ', '\t7\n', '1.5', '.5', '5.', '-.5', '+3', '1e3', '1E-3', '0x1A', '0o17', '0b101', '-0x1A', '1_000', 'inf', 'Infinity', '-Infinity', 'NaN', 'nan', '', '  ', '1.2.3', '12abc', '123456789012345678901234567890', '0.1', '4.35', '\u00a08\u00a0', '\u20288'];

const TABULAR: TabularFeaturizerJSON = {
  kind: 'tabular',
  version: 1,
  scaling: 'log1p-zscore',
  columns: [
    { name: 'bytes', type: 'numeric', min: 0, max: 1e9, mean: 3.1, std: 2.7, fill: 0 },
    { name: 'proto', type: 'categorical', categories: ['icmp', 'tcp', 'udp'] },
    { name: 'rate', type: 'numeric', min: 0, max: 1, mean: 0.2, std: 0, fill: 0 },
    { name: 'neg', type: 'numeric', min: -5, max: 5, mean: 0.1, std: 1.3, fill: 0 },
  ],
  outputDim: 7,
  featureNames: ['bytes', 'proto=icmp', 'proto=tcp', 'proto=udp', 'proto=<unknown>', 'rate', 'neg'],
};
const ROWS: Array<Array<number | string>> = [
  [0, 'tcp', 0.5, -3],
  [1234567, 'sctp', 1, 2.5],
  [NaN, 'udp', NaN, -0],
  [1e-300, 'TCP', 0.3333333333333333, 4.35],
  [Infinity, '', 1e308, -1e-7],
];

const URL_LINES = ['url,label', 'http://a.example/x,phishing', '"http://b.example/y,z",benign', 'plain.example.com', 'not a url', '', 'x'.repeat(5000), '  http://c.example/  '];
/**
 * A headerless url,label feed (18 of its first 20 readable lines are pairs: a feed by the sample rule), then junk a
 * binary file leaves: lone characters, control characters; then a URL list whose first URL holds ",b": not a feed.
 */
const FEED_LINES = [
  'evil.example/login.php,bad', 'http://good.example/a,good',
  ...Array.from({ length: 16 }, (_, i) => `e${i}.example/p${i},${i % 2 ? 'bad' : 'good'}`),
  'W', 'g', 'a\u0001b.example/x', 'localhost', 'plain.example.com/p',
];
const COMMA_LIST = ['http://x.example/?a=1,b', 'http://y.example/p', 'z.example/q'];

test('charseq ids, domains, Number(), tabular features, behaviour strings and scan lines match the engine', async () => {
  const minmax: TabularFeaturizerJSON = { ...TABULAR, scaling: 'minmax', columns: TABULAR.columns.map((c) => (c.type === 'numeric' ? { ...c, fill: 0.25 } : c)) };
  const conn = path.join(SHARED_DATA, 'stratosphere-zeek', '010-zeek-mixed.conn.log.labeled');
  const req = {
    pkg: path.join(REPO_ROOT, 'electron', 'bundle', 'python'),
    charseq: SPECS.map((spec) => ({ spec, texts: TEXTS })),
    suffixes: [...PUBLIC_SUFFIXES],
    domains: DOMAINS,
    numbers: NUMBERS,
    tabular: { spec: TABULAR, rows: ROWS.map((r) => r.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))) },
    behaviour: { path: conn, thresholds: DEFAULT_THRESHOLDS },
    urlLines: URL_LINES,
    feedLines: FEED_LINES,
    commaList: COMMA_LIST,
    minmax,
  };
  const r = spawnSync(python, [path.join(import.meta.dirname, 'encoders_check.py')], { input: JSON.stringify(req), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const py = JSON.parse(r.stdout) as {
    charseq: number[][][];
    domains: Array<string | null>;
    numbers: string[];
    tabular: string[][];
    minmax: string[][];
    behaviour: Array<[number, string]>;
    urlLines: Array<[string, string | null]>;
    feedLines: Array<[string, string | null]>;
    commaList: Array<[string, string | null]>;
  };

  SPECS.forEach((spec, k) => {
    const enc = new CharSeqEncoder(spec);
    TEXTS.forEach((t, i) => assert.deepEqual(py.charseq[k][i], [...enc.encode(t)], `spec ${k} ${JSON.stringify(spec)}: ${JSON.stringify(t)}`));
  });
  DOMAINS.forEach((d, i) => {
    const e = normalizeDomain(d);
    assert.equal(py.domains[i], typeof e === 'string' ? e : null, JSON.stringify(d));
  });
  NUMBERS.forEach((s, i) => {
    const v = +s;
    assert.equal(py.numbers[i], hex(v), JSON.stringify(s));
  });
  const f = new TabularFeaturizer(TABULAR);
  ROWS.forEach((row, i) => assert.deepEqual(py.tabular[i], [...f.encode(row)].map(hex), `log1p-zscore row ${i}`));
  const g = new TabularFeaturizer(minmax);
  ROWS.forEach((row, i) => assert.deepEqual(py.minmax[i], [...g.encode(row)].map(hex), `minmax row ${i}`));

  const engine: Array<[number, string]> = [];
  for await (const rec of readRecords(conn, { format: 'zeek-behaviour', columns: { label: null } })) engine.push([rec.line, rec.text!]);
  assert.ok(engine.length > 100);
  assert.deepEqual(py.behaviour, engine);

  const p = new UrlLineParser();
  URL_LINES.forEach((t, i) => {
    const e = p.parse(i + 1, t);
    assert.deepEqual(py.urlLines[i], e.kind === 'url' ? ['url', e.url] : e.kind === 'skip' ? ['skip', e.reason] : ['header', null], JSON.stringify(t));
  });
  // Each list is parsed with its head sample, as a scan takes it (head-lines.ts; Python: list_sample).
  const parsedAll = (lines: string[]) => {
    const parser = new UrlLineParser(scanHead(Buffer.from(lines.join('\n')), true, 20).lines);
    return lines.map((t, i) => {
      const e = parser.parse(i + 1, t);
      return e.kind === 'url' ? ['url', e.url] : e.kind === 'skip' ? ['skip', e.reason] : ['header', null];
    });
  };
  const fromFeed = parsedAll(FEED_LINES);
  assert.deepEqual(fromFeed.slice(0, 3), [['url', 'evil.example/login.php'], ['url', 'http://good.example/a'], ['url', 'e0.example/p0']]);
  assert.deepEqual(fromFeed.slice(18).map((r) => r[1]), ['notUrl', 'notUrl', 'notUrl', 'notUrl', 'plain.example.com/p']);
  assert.deepEqual(py.feedLines, fromFeed);
  const fromList = parsedAll(COMMA_LIST);
  assert.deepEqual(fromList, COMMA_LIST.map((u) => ['url', u]));
  assert.deepEqual(py.commaList, fromList);
});

/** A double as Python's float.hex() writes it (normal numbers, zeros, specials). */
function hex(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === 0) return Object.is(v, -0) ? '-0x0.0p+0' : '0x0.0p+0';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  const hi = b.getUint32(0);
  const lo = b.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  const exp = ((hi >>> 20) & 0x7ff) - 1023;
  const mant = (hi & 0xfffff).toString(16).padStart(5, '0') + lo.toString(16).padStart(8, '0');
  return `${sign}0x1.${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}
