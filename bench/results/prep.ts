// Temporary input files for bench/results.ts, written under a temp dir (never into the repo): a deduplicated
// KDD'99 10 % file, the mixed URL train/test CSVs and the DGA train/test CSVs. Every split is seeded.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { mulberry32 } from '../../models/lib/random';

export type Rng = () => number;

export function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function writeCsv(file: string, header: string, rows: [string, string][]): void {
  fs.writeFileSync(file, [header, ...rows.map(([a, b]) => `${csvCell(a)},${csvCell(b)}`)].join('\n') + '\n');
}

/** Minimal RFC-4180 reader for the two-to-three column CSVs used here (quoted cells may hold commas). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Stratified split: the same fraction of every label goes to test. */
function stratified<T>(items: T[], labelOf: (t: T) => string, testFraction: number, rng: Rng): { train: T[]; test: T[] } {
  const by = new Map<string, T[]>();
  for (const it of items) {
    const k = labelOf(it);
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(it);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const group of by.values()) {
    shuffle(group, rng);
    const nTest = Math.round(group.length * testFraction);
    test.push(...group.slice(0, nTest));
    train.push(...group.slice(nTest));
  }
  return { train: shuffle(train, rng), test: shuffle(test, rng) };
}

/**
 * KDD'99 10 %: exact duplicate rows removed (494,021 → 145,586), optionally a stratified cap per class
 * (`maxPerClass`, by raw attack name) so 2 CPU cores can train on it. Written gzipped like the original.
 */
export function dedupKdd99(src: string, outDir: string, maxPerClass: number, seed: number): { file: string; rows: number; note: string } {
  const lines = zlib.gunzipSync(fs.readFileSync(src)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const unique = [...new Set(lines)];
  let kept = unique;
  if (maxPerClass > 0) {
    const rng = mulberry32(seed);
    const by = new Map<string, string[]>();
    for (const l of unique) {
      const lab = l.slice(l.lastIndexOf(',') + 1);
      if (!by.has(lab)) by.set(lab, []);
      by.get(lab)!.push(l);
    }
    kept = [];
    for (const g of by.values()) kept.push(...shuffle(g, rng).slice(0, maxPerClass));
    shuffle(kept, rng);
  }
  const file = path.join(outDir, 'kddcup.data_10_percent.dedup.gz');
  fs.writeFileSync(file, zlib.gzipSync(kept.join('\n') + '\n'));
  const note =
    `${lines.length.toLocaleString('en')} rows → ${unique.length.toLocaleString('en')} after removing exact duplicates` +
    (maxPerClass > 0 ? ` → ${kept.length.toLocaleString('en')} after capping each attack name at ${maxPerClass.toLocaleString('en')} rows (stratified, seeded)` : '');
  return { file, rows: kept.length, note };
}

/** Alexa top-100k domains (the rank column dropped), lower-cased. */
export function readAlexa(dataDir: string): string[] {
  const text = fs.readFileSync(path.join(dataDir, 'dga', 'clicksecurity', 'alexa_100k.csv'), 'utf8');
  return text
    .split('\n')
    .map((l) => l.slice(l.indexOf(',') + 1).trim().toLowerCase())
    .filter((d) => d.includes('.'));
}

const SHORT_PATHS = ['', '', '', '', 'index.html', 'about/', 'news/', 'en/', 'contact', 'search?q=news', 'products/', 'login', 'blog/', 'help', 'home.php'];

/** A benign Alexa domain written as a URL: mostly http://domain/, some with www. / https / a short path. */
function alexaUrl(domain: string, rng: Rng): string {
  const scheme = rng() < 0.7 ? 'http://' : 'https://';
  const www = rng() < 0.3 && !domain.startsWith('www.') ? 'www.' : '';
  return `${scheme}${www}${domain}/${SHORT_PATHS[Math.floor(rng() * SHORT_PATHS.length)]}`;
}

export interface UrlFiles {
  train: string;
  test: string;
  alexaOnly: string;
  counts: { trainUrls: number; trainAlexa: number; testUrls: number; testAlexa: number; alexaOnly: number; trainMalicious: number; testMalicious: number };
}

/**
 * urls_labeled.csv split 80/20 stratified by label (benign vs phishing/spam/malware), plus short benign
 * URLs built from Alexa domains: disjoint Alexa slices go to train, to the mixed test file, and to an
 * Alexa-only file for the false-positive check. `fraction` subsamples urls_labeled (stratified) for speed.
 */
export function buildUrlFiles(dataDir: string, outDir: string, opts: { fraction: number; alexaTrain: number; alexaTest: number; alexaOnly: number; seed: number }): UrlFiles {
  const rng = mulberry32(opts.seed);
  const rows = parseCsv(fs.readFileSync(path.join(dataDir, 'urls', 'urls_labeled.csv'), 'utf8'))
    .slice(1)
    .filter((r) => r.length >= 2 && r[0].trim() !== '')
    .map((r) => [r[0].trim(), r[1].trim()] as [string, string]);
  let pool = rows;
  if (opts.fraction < 1) pool = stratified(rows, (r) => r[1], opts.fraction, rng).test;
  const { train, test } = stratified(pool, (r) => r[1], 0.2, rng);
  const alexa = shuffle(readAlexa(dataDir), rng);
  const aTrain = alexa.slice(0, opts.alexaTrain);
  const aTest = alexa.slice(opts.alexaTrain, opts.alexaTrain + opts.alexaTest);
  const aOnly = alexa.slice(opts.alexaTrain + opts.alexaTest, opts.alexaTrain + opts.alexaTest + opts.alexaOnly);
  const lab = (r: [string, string]): [string, string] => [r[0], r[1] === 'benign' ? 'benign' : 'malicious'];
  const trainRows = shuffle([...train.map(lab), ...aTrain.map((d): [string, string] => [alexaUrl(d, rng), 'benign'])], rng);
  const testRows = shuffle([...test.map(lab), ...aTest.map((d): [string, string] => [alexaUrl(d, rng), 'benign'])], rng);
  const onlyRows = aOnly.map((d): [string, string] => [alexaUrl(d, rng), 'benign']);
  const files = { train: path.join(outDir, 'urls-train.csv'), test: path.join(outDir, 'urls-test.csv'), alexaOnly: path.join(outDir, 'urls-alexa-heldout.csv') };
  writeCsv(files.train, 'url,label', trainRows);
  writeCsv(files.test, 'url,label', testRows);
  writeCsv(files.alexaOnly, 'url,label', onlyRows);
  return {
    ...files,
    counts: {
      trainUrls: train.length,
      trainAlexa: aTrain.length,
      testUrls: test.length,
      testAlexa: aTest.length,
      alexaOnly: aOnly.length,
      trainMalicious: train.filter((r) => r[1] !== 'benign').length,
      testMalicious: test.filter((r) => r[1] !== 'benign').length,
    },
  };
}

export interface DgaFiles {
  train: string;
  test: string;
  families: string[];
  counts: { train: number; test: number; benign: number; dga: number; perFamily: number };
}

const isDomain = (s: string) => /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$/.test(s) && s.includes('.') && s.length <= 253;

/**
 * Alexa (benign) vs a balanced sample of UMUDGA families (every `familyStep`-th family, `perFamily` each),
 * as many benign as DGA rows, split 80/20 stratified by family / benign.
 */
export function buildDgaFiles(dataDir: string, outDir: string, opts: { familyStep: number; perFamily: number; seed: number }): DgaFiles {
  const rng = mulberry32(opts.seed);
  const dir = path.join(dataDir, 'dga', 'umudga-10k');
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.txt') && f !== 'legit.txt').sort();
  const families = all.filter((_, i) => i % opts.familyStep === 0).map((f) => f.replace(/\.txt$/, ''));
  const dga: { d: string; g: string }[] = [];
  const seen = new Set<string>();
  for (const fam of families) {
    const ds = shuffle(
      fs.readFileSync(path.join(dir, `${fam}.txt`), 'utf8').split('\n').map((l) => l.trim().toLowerCase()).filter(isDomain),
      rng,
    ).filter((d) => !seen.has(d));
    for (const d of ds.slice(0, opts.perFamily)) {
      seen.add(d);
      dga.push({ d, g: fam });
    }
  }
  const benign = shuffle(readAlexa(dataDir).filter((d) => isDomain(d) && !seen.has(d)), rng)
    .slice(0, dga.length)
    .map((d) => ({ d, g: 'benign' }));
  const { train, test } = stratified([...dga, ...benign], (r) => r.g, 0.2, rng);
  const row = (r: { d: string; g: string }): [string, string] => [r.d, r.g === 'benign' ? 'benign' : 'dga'];
  const files = { train: path.join(outDir, 'dga-train.csv'), test: path.join(outDir, 'dga-test.csv') };
  writeCsv(files.train, 'domain,label', train.map(row));
  writeCsv(files.test, 'domain,label', test.map(row));
  return { ...files, families, counts: { train: train.length, test: test.length, benign: benign.length, dga: dga.length, perFamily: opts.perFamily } };
}
