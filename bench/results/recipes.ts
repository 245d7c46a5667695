// Full-data recipes and cross-source splits for bench/results.ts (issue #15 points 3 and 4). Every file is
// written under a temp dir (never into the repo), every split is seeded, and every domain or URL lands in at
// most one of train / test / held-out, so no figure is measured on something the model trained on.
import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../models/lib/random';
import { parseCsv, readAlexa, shuffle, type Rng } from './prep';

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
function writeCsv(file: string, header: string, rows: [string, string][]): void {
  fs.writeFileSync(file, [header, ...rows.map(([a, b]) => `${csvCell(a)},${csvCell(b)}`)].join('\n') + '\n');
}

const PATHS = ['index.html', 'about/', 'news/', 'en/', 'contact', 'search?q=news', 'products/', 'login', 'blog/', 'help', 'home.php', 'wiki/Main_Page', 'watch?v=dQw4w9WgXcQ', 'cart', 'account/settings'];

/** A benign Alexa domain as a URL with a path (scheme and www. vary; stripScheme drops the scheme later). */
function alexaUrlWithPath(domain: string, rng: Rng): string {
  const scheme = rng() < 0.6 ? 'http://' : 'https://';
  const www = rng() < 0.3 && !domain.startsWith('www.') ? 'www.' : '';
  return `${scheme}${www}${domain}/${PATHS[Math.floor(rng() * PATHS.length)]}`;
}

interface LabelledUrl {
  url: string;
  label: string;
  source: string;
}

/** One dataset as the Datasets view imports it: several files, each with its label (fixedLabel) or its own label column. */
export interface UrlInputs {
  files: { path: string; fixedLabel?: string }[];
  rows: number;
}

export interface UrlRecipe {
  /** Random split: all of urls_labeled.csv 80/20 stratified by (source, label), plus Alexa slices. */
  train: UrlInputs;
  test: UrlInputs;
  alexaOnly: UrlInputs;
  /** Leave-one-source-out: train without the source, test on that source + held-out benign. */
  loso: { name: string; left: string; train: UrlInputs; test: UrlInputs; testMalicious: number; testBenign: number }[];
  counts: { labeled: number; trainUrls: number; testUrls: number; trainAlexa: number; testAlexa: number; alexaOnly: number; trainMalicious: number; testMalicious: number };
}

/**
 * The full URL recipe, built from files an analyst imports together in the Datasets view (several files,
 * a label per file): every row of urls_labeled.csv (benign vs phishing ∪ spam ∪ malware), and benign URLs
 * from the whole Alexa-100k list — every training domain twice, once bare (a `rank,domain` file exactly
 * like alexa_100k.csv, read as URLs) and once with a short path (a URL list). Alexa is cut into three
 * disjoint slices: train, the test split, and an Alexa-only file for the false-positive check; the test-side
 * slices are half bare, half with a path.
 */
export function buildUrlRecipe(dataDir: string, outDir: string, opts: { seed: number; alexaTest: number; alexaOnly: number; alexaTrain?: number; fraction?: number }): UrlRecipe {
  const rng = mulberry32(opts.seed);
  const all: LabelledUrl[] = parseCsv(fs.readFileSync(path.join(dataDir, 'urls', 'urls_labeled.csv'), 'utf8'))
    .slice(1)
    .filter((r) => r.length >= 3 && r[0].trim() !== '')
    .map((r) => ({ url: r[0].trim(), label: r[1].trim() === 'benign' ? 'benign' : 'malicious', source: r[2].trim() }));
  // Smoke runs only (--quick): a seeded uniform sample; the recipe itself is every row.
  const rows = opts.fraction !== undefined && opts.fraction < 1 ? shuffle(all, rng).slice(0, Math.round(all.length * opts.fraction)) : all;
  // Stratified by source and label, so every source is 80/20 in both splits.
  const by = new Map<string, LabelledUrl[]>();
  for (const r of rows) {
    const k = `${r.source}|${r.label}`;
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(r);
  }
  const train: LabelledUrl[] = [];
  const test: LabelledUrl[] = [];
  for (const g of by.values()) {
    shuffle(g, rng);
    const n = Math.round(g.length * 0.2);
    test.push(...g.slice(0, n));
    train.push(...g.slice(n));
  }
  const alexa = shuffle(readAlexa(dataDir), rng);
  const aTest = alexa.slice(0, opts.alexaTest);
  const aOnly = alexa.slice(opts.alexaTest, opts.alexaTest + opts.alexaOnly);
  const aTrain = alexa.slice(opts.alexaTest + opts.alexaOnly, opts.alexaTrain ? opts.alexaTest + opts.alexaOnly + opts.alexaTrain : undefined);
  const out = (n: string) => path.join(outDir, n);
  /** A benign slice as two files: the first half bare (`rank,domain`), the rest with paths — or all of it both ways. */
  const alexaFiles = (name: string, domains: string[], both: boolean): UrlInputs => {
    const cut = both ? domains.length : Math.ceil(domains.length / 2);
    const bare = domains.slice(0, cut);
    const withPath = both ? domains : domains.slice(cut);
    fs.writeFileSync(out(`${name}-ranked.csv`), bare.map((d, i) => `${i + 1},${d}`).join('\n') + '\n');
    fs.writeFileSync(out(`${name}-paths.txt`), withPath.map((d) => alexaUrlWithPath(d, rng)).join('\n') + '\n');
    return {
      files: [
        { path: out(`${name}-ranked.csv`), fixedLabel: 'benign' },
        { path: out(`${name}-paths.txt`), fixedLabel: 'benign' },
      ],
      rows: bare.length + withPath.length,
    };
  };
  const labelled = (name: string, rs: [string, string][]): UrlInputs => {
    writeCsv(out(name), 'url,label', rs);
    return { files: [{ path: out(name) }], rows: rs.length };
  };
  const join = (a: UrlInputs, b: UrlInputs): UrlInputs => ({ files: [...a.files, ...b.files], rows: a.rows + b.rows });
  const pair = (r: LabelledUrl): [string, string] => [r.url, r.label];
  const alexaTrain = alexaFiles('alexa-train', aTrain, true);
  const alexaTest = alexaFiles('alexa-test', aTest, false);
  const trainIn = join(labelled('urls-full-train.csv', shuffle(train.map(pair), rng)), alexaTrain);
  const testIn = join(labelled('urls-full-test.csv', shuffle(test.map(pair), rng)), alexaTest);
  const alexaOnly = alexaFiles('alexa-heldout', aOnly, false);

  // Leave one source out: its rows leave the training side; the test is that source's malicious URLs plus the
  // benign rows of the random test split (ISCX benign + the Alexa test slice), so its TPR@1%FPR is measured at
  // a false-positive rate on benign URLs the model never saw.
  const benignTest = test.filter((r) => r.label === 'benign').map(pair);
  const loso = [
    { name: 'phishtank', left: 'phishtank/online-valid.csv' },
    { name: 'iscx-phishing', left: 'iscx-url-2016/phishing_dataset.csv' },
  ].map(({ name, left }) => {
    const heldOut = rows.filter((r) => r.source === left && r.label === 'malicious').map(pair);
    return {
      name,
      left,
      train: join(labelled(`urls-loso-${name}-train.csv`, shuffle(train.filter((r) => r.source !== left).map(pair), rng)), alexaTrain),
      test: join(labelled(`urls-loso-${name}-test.csv`, shuffle([...heldOut, ...benignTest], rng)), alexaTest),
      testMalicious: heldOut.length,
      testBenign: benignTest.length + aTest.length,
    };
  });
  return {
    train: trainIn,
    test: testIn,
    alexaOnly,
    loso,
    counts: {
      labeled: rows.length,
      trainUrls: train.length,
      testUrls: test.length,
      trainAlexa: alexaTrain.rows,
      testAlexa: aTest.length,
      alexaOnly: aOnly.length,
      trainMalicious: train.filter((r) => r.label === 'malicious').length,
      testMalicious: test.filter((r) => r.label === 'malicious').length,
    },
  };
}

const isDomain = (s: string) => /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$/.test(s) && s.includes('.') && s.length <= 253;
const readDomains = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(',')[0].replace(/"/g, '').trim().toLowerCase())
    .filter(isDomain);

export interface DgaRecipe {
  /** All families (or the seen half) + Alexa, 80/20 stratified by family. */
  train: string;
  test: string;
  families: string[];
  /** Unseen half of the UMUDGA families + the test split's Alexa rows (present when `unseen` was asked). */
  unseenTest?: string;
  unseenFamilies?: string[];
  /** The andrewaeva feeds (another source) + the test split's Alexa rows. */
  feedsTest: string;
  /** OpenDNS top domains not in Alexa-train: false positives on another benign source. */
  opendns: string;
  counts: { train: number; test: number; perFamily: number; benignTrain: number; unseen: number; feeds: number; opendns: number };
}

/**
 * DGA recipe: UMUDGA families with `perFamily` domains each (every family, or with `unseen` only the
 * even-indexed half, the other half kept for an unseen-family test), as many Alexa domains as DGA domains,
 * 80/20 stratified by family. Extra test files: unseen families, the andrewaeva feeds (other implementations
 * and a mixed feed), and OpenDNS top domains for false positives outside Alexa.
 */
export function buildDgaRecipe(dataDir: string, outDir: string, opts: { seed: number; perFamily: number; unseen: boolean; feedPerFamily: number; tag: string }): DgaRecipe {
  const rng = mulberry32(opts.seed);
  const dir = path.join(dataDir, 'dga', 'umudga-10k');
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.txt') && f !== 'legit.txt').map((f) => f.replace(/\.txt$/, '')).sort();
  const families = opts.unseen ? all.filter((_, i) => i % 2 === 0) : all;
  const unseenFamilies = opts.unseen ? all.filter((_, i) => i % 2 === 1) : undefined;
  const used = new Set<string>();
  const take = (list: string[], n: number): string[] => {
    const out: string[] = [];
    for (const d of shuffle(list, rng)) {
      if (out.length >= n) break;
      if (!used.has(d)) {
        used.add(d);
        out.push(d);
      }
    }
    return out;
  };
  const dga: { d: string; g: string }[] = families.flatMap((f) => take(readDomains(path.join(dir, `${f}.txt`)), opts.perFamily).map((d) => ({ d, g: f })));
  const alexa = shuffle(readAlexa(dataDir).filter(isDomain), rng).filter((d) => !used.has(d));
  const benign = alexa.slice(0, dga.length).map((d) => ({ d, g: 'benign' }));
  for (const b of benign) used.add(b.d);
  const by = new Map<string, { d: string; g: string }[]>();
  for (const r of [...dga, ...benign]) {
    if (!by.has(r.g)) by.set(r.g, []);
    by.get(r.g)!.push(r);
  }
  const train: { d: string; g: string }[] = [];
  const test: { d: string; g: string }[] = [];
  for (const g of by.values()) {
    const n = Math.round(g.length * 0.2);
    test.push(...g.slice(0, n));
    train.push(...g.slice(n));
  }
  const row = (r: { d: string; g: string }): [string, string] => [r.d, r.g === 'benign' ? 'benign' : 'dga'];
  const benignTest = test.filter((r) => r.g === 'benign').map(row);
  const out = (n: string) => path.join(outDir, `dga-${opts.tag}-${n}.csv`);
  writeCsv(out('train'), 'domain,label', shuffle(train.map(row), rng));
  writeCsv(out('test'), 'domain,label', shuffle(test.map(row), rng));
  let unseenRows = 0;
  if (unseenFamilies) {
    const rows: [string, string][] = unseenFamilies.flatMap((f) => take(readDomains(path.join(dir, `${f}.txt`)), Math.round(opts.perFamily * 0.2)).map((d): [string, string] => [d, 'dga']));
    unseenRows = rows.length;
    writeCsv(out('unseen'), 'domain,label', shuffle([...rows, ...benignTest], rng));
  }
  const aeva = path.join(dataDir, 'dga', 'andrewaeva-dga');
  const feedFiles = ['conficker', 'cryptolocker', 'goz', 'matsnu', 'new_goz', 'pushdo', 'ramdo', 'rovnix', 'tinba', 'zeus', 'others_dga'].filter((f) => fs.existsSync(path.join(aeva, `${f}.txt`)));
  const feeds: [string, string][] = feedFiles.flatMap((f) => take(readDomains(path.join(aeva, `${f}.txt`)), opts.feedPerFamily).map((d): [string, string] => [d, 'dga']));
  writeCsv(out('feeds'), 'domain,label', shuffle([...feeds, ...benignTest], rng));
  const opendns: [string, string][] = readDomains(path.join(aeva, 'opendns-top-domains.txt'))
    .filter((d) => !used.has(d))
    .map((d) => [d, 'benign']);
  writeCsv(out('opendns'), 'domain,label', opendns);
  return {
    train: out('train'),
    test: out('test'),
    families,
    ...(unseenFamilies ? { unseenTest: out('unseen'), unseenFamilies } : {}),
    feedsTest: out('feeds'),
    opendns: out('opendns'),
    counts: { train: train.length, test: test.length, perFamily: opts.perFamily, benignTrain: train.filter((r) => r.g === 'benign').length, unseen: unseenRows, feeds: feeds.length, opendns: opendns.length },
  };
}
