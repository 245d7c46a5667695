/**
 * Fingerprints of imports of every real file in ../shared/data: a SHA-256 of each file an import writes
 * (cache, raw copy, summary, featurizer) and of what the in-memory import returns. A refactor of the
 * data layer must leave every line of the output unchanged:
 *   node --import tsx bench/import-hashes.ts > /tmp/before.txt   (on the old commit)
 *   node --import tsx bench/import-hashes.ts > /tmp/after.txt    (on the new one) && diff /tmp/before.txt /tmp/after.txt
 * Options are the ones the tests and bench/results.ts use. An optional argument (a regular expression)
 * keeps only the cases whose name matches it. An import that fails prints its error message instead of
 * hashes. Two runs at once need different scratch folders: DT_HASH_OUT=/tmp/somewhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile, importManyToCache, importToCache, type ImportOptions, type ImportResult, type ManyInput, type ManyOptions } from '../electron/data';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.resolve(here, '..', '..', 'shared', 'data');
const d = (...p: string[]) => path.join(dataDir, ...p);
// A fixed place, so nothing path-dependent differs between two runs.
const outRoot = process.env.DT_HASH_OUT ?? path.join(os.tmpdir(), 'dt-import-hashes');
const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;

const sha = (b: Uint8Array | string) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);
const bytesOf = (a: ArrayBufferView | null | undefined) => (a ? new Uint8Array(a.buffer, a.byteOffset, a.byteLength) : new Uint8Array(0));

function hashDir(dir: string): string {
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => `${f}=${sha(fs.readFileSync(path.join(dir, f)))}`)
    .join(' ');
}

function hashResult(r: ImportResult): string {
  const e = r.encoded;
  return [
    `rows=${e.rows} cols=${e.cols}`,
    `features=${sha(bytesOf(e.features))}`,
    `labels=${sha(bytesOf(e.labels))}`,
    `lines=${sha(bytesOf(e.lines))}`,
    `offsets=${sha(bytesOf(e.rawOffsets))}`,
    `summary=${sha(JSON.stringify(r.summary))}`,
    `featurizer=${sha(JSON.stringify(r.featurizer))}`,
    `labelEncoder=${sha(JSON.stringify(r.labelEncoder))}`,
  ].join(' ');
}

interface Case {
  name: string;
  run: (out: string) => Promise<string>;
}

const cases: Case[] = [];
const toCache = (name: string, file: string, opts: ImportOptions | (() => Promise<ImportOptions>) = {}) =>
  cases.push({
    name,
    run: async (out) => {
      await importToCache(file, out, typeof opts === 'function' ? await opts() : opts);
      return hashDir(out);
    },
  });
const inMemory = (name: string, file: string, opts: ImportOptions | (() => Promise<ImportOptions>) = {}) =>
  cases.push({
    name,
    run: async (out) => hashResult(await importFile(file, { ...(typeof opts === 'function' ? await opts() : opts), rawLinesPath: path.join(out, 'raw.txt') })),
  });
const many = (name: string, inputs: ManyInput[], opts: ManyOptions = {}) =>
  cases.push({
    name,
    run: async (out) => {
      await importManyToCache(inputs, out, opts);
      return hashDir(out);
    },
  });
/** The encoding fitted on `file` with `opts`, for an encode-like import. */
const like = (file: string, opts: ImportOptions) => async (): Promise<ImportOptions> => {
  const r = await importFile(file, opts);
  return { ...opts, featurizer: r.featurizer, ...(r.labelEncoder ? { labelEncoder: r.labelEncoder } : {}) };
};

// KDD'99 and NSL-KDD (byte path): every label mode, both scalings, strict, and encode-like.
for (const f of ['KDDTrain+.txt', 'KDDTrain+_20Percent.txt', 'KDDTest+.txt', 'KDDTest-21.txt']) {
  toCache(`nsl-kdd/${f} cache default`, d('nsl-kdd', f));
  toCache(`nsl-kdd/${f} cache strict`, d('nsl-kdd', f), { errors: 'strict' });
}
for (const mode of ['5class', 'binary', 'attack'] as const) {
  toCache(`nsl-kdd/KDDTrain+_20Percent.txt cache ${mode}`, d('nsl-kdd', 'KDDTrain+_20Percent.txt'), { labels: { mode } });
  inMemory(`nsl-kdd/KDDTrain+_20Percent.txt memory ${mode}`, d('nsl-kdd', 'KDDTrain+_20Percent.txt'), { labels: { mode } });
  toCache(`nsl-kdd/KDDTest+.txt cache like-20Percent ${mode}`, d('nsl-kdd', 'KDDTest+.txt'), like(d('nsl-kdd', 'KDDTrain+_20Percent.txt'), { labels: { mode } }));
}
toCache('nsl-kdd/KDDTrain+_20Percent.txt cache minmax', d('nsl-kdd', 'KDDTrain+_20Percent.txt'), { scaling: 'minmax', labels: { mode: 'attack' } });
inMemory('nsl-kdd/KDDTrain+_20Percent.txt memory minmax', d('nsl-kdd', 'KDDTrain+_20Percent.txt'), { scaling: 'minmax', labels: { mode: 'attack' } });
inMemory('nsl-kdd/KDDTest-21.txt memory like-20Percent', d('nsl-kdd', 'KDDTest-21.txt'), like(d('nsl-kdd', 'KDDTrain+_20Percent.txt'), {}));
inMemory('nsl-kdd/KDDTest-21.txt memory csv-format', d('nsl-kdd', 'KDDTest-21.txt'), { format: 'csv' });
toCache('kddcup99/kddcup.data_10_percent.gz cache strict', d('kddcup99', 'kddcup.data_10_percent.gz'), { errors: 'strict' });
toCache('kddcup99/corrected.gz cache default', d('kddcup99', 'corrected.gz'));
inMemory('kddcup99/corrected.gz memory like-10percent', d('kddcup99', 'corrected.gz'), like(d('kddcup99', 'kddcup.data_10_percent.gz'), { errors: 'strict' }));
for (const f of ['attack_categories.csv', 'kddcup.names', 'training_attack_types']) toCache(`kddcup99/${f} cache default`, d('kddcup99', f));

// Zeek conn.log (labelled), as flows and as behaviour strings.
const zeekDir = d('stratosphere-zeek');
const zeekFiles = fs.readdirSync(zeekDir).sort();
for (const f of zeekFiles) {
  toCache(`stratosphere-zeek/${f} cache default`, path.join(zeekDir, f));
  toCache(`stratosphere-zeek/${f} cache binary-drop-background`, path.join(zeekDir, f), { labels: { mode: 'binary', drop: ['Background'] } });
  toCache(`stratosphere-zeek/${f} cache behaviour`, path.join(zeekDir, f), { format: 'zeek-behaviour', labels: { mode: 'binary' } });
}
inMemory(`stratosphere-zeek/${zeekFiles[0]} memory behaviour-majority`, path.join(zeekDir, zeekFiles[0]), { format: 'zeek-behaviour', behaviour: { labelRule: 'majority' } });
inMemory(`stratosphere-zeek/${zeekFiles[1]} memory default`, path.join(zeekDir, zeekFiles[1]));
many('stratosphere-zeek/* many flows binary', zeekFiles.map((f) => ({ path: path.join(zeekDir, f) })), { labels: { mode: 'binary', drop: ['Background'] } });
many('stratosphere-zeek/* many behaviour binary', zeekFiles.map((f) => ({ path: path.join(zeekDir, f) })), { format: 'zeek-behaviour', labels: { mode: 'binary' }, text: { maxLength: 100 } });

// URLs.
for (const f of ['urls_labeled.csv', 'iscx-url-2016/Benign_list_big_final.csv', 'iscx-url-2016/Malware_dataset.csv', 'iscx-url-2016/phishing_dataset.csv', 'iscx-url-2016/spam_dataset.csv', 'phishtank/online-valid.csv']) {
  toCache(`urls/${f} cache default`, d('urls', f));
}
toCache('urls/urls_labeled.csv cache binary strip-scheme', d('urls', 'urls_labeled.csv'), { labels: { mode: 'binary' }, text: { stripScheme: true } });
inMemory('urls/urls_labeled.csv memory binary 75', d('urls', 'urls_labeled.csv'), { labels: { mode: 'binary' }, text: { maxLength: 75 } });
toCache('urls/iscx phishing cache like-labeled', d('urls', 'iscx-url-2016', 'phishing_dataset.csv'), like(d('urls', 'urls_labeled.csv'), { labels: { mode: 'binary' } }));

// Domains (DGA): every file alone, the family sets as multi-file imports.
for (const dir of ['andrewaeva-dga', 'clicksecurity', 'umudga-10k']) {
  for (const f of fs.readdirSync(d('dga', dir)).sort()) {
    const opts: ImportOptions = f.endsWith('.txt') ? { fixedLabel: f.replace(/\.txt$/, '') } : {};
    toCache(`dga/${dir}/${f} cache`, d('dga', dir, f), opts);
  }
}
toCache('dga/clicksecurity/alexa_100k.csv cache legit strip-suffix', d('dga', 'clicksecurity', 'alexa_100k.csv'), { fixedLabel: 'legit', text: { stripPublicSuffix: true } });
inMemory('dga/umudga-10k/banjori.txt memory', d('dga', 'umudga-10k', 'banjori.txt'), { fixedLabel: 'banjori' });
inMemory('dga/umudga-10k/legit.txt memory domains 32 strip', d('dga', 'umudga-10k', 'legit.txt'), { format: 'domains', fixedLabel: 'legit', text: { maxLength: 32, stripPublicSuffix: true } });
const umudga = fs.readdirSync(d('dga', 'umudga-10k')).sort();
const families: ManyInput[] = umudga.map((f) => ({ path: d('dga', 'umudga-10k', f), fixedLabel: f.replace(/\.txt$/, '') }));
many('dga/umudga-10k/* many binary', families, { labels: { mode: 'binary' } });
many('dga/umudga-10k/* many attack 300 seed 7', families, { maxRowsPerFile: 300, sampleSeed: 7, labels: { mode: 'attack' } });
many('dga/umudga-10k/* + alexa many binary 40', [...families, { path: d('dga', 'clicksecurity', 'alexa_100k.csv'), fixedLabel: 'legit' }], { labels: { mode: 'binary' }, text: { maxLength: 40 } });
many('dga/andrewaeva-dga/*.txt many', fs.readdirSync(d('dga', 'andrewaeva-dga')).filter((f) => f.endsWith('.txt')).sort().map((f) => ({ path: d('dga', 'andrewaeva-dga', f), fixedLabel: f.replace(/\.txt$/, '') })));
many('nsl-kdd/* many 5class 2000 seed 1', ['KDDTrain+_20Percent.txt', 'KDDTest+.txt'].map((f) => ({ path: d('nsl-kdd', f) })), { maxRowsPerFile: 2000, sampleSeed: 1 });

for (const c of cases) {
  if (only && !only.test(c.name)) continue;
  const out = path.join(outRoot, 'case');
  fs.rmSync(outRoot, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  let line: string;
  try {
    line = await c.run(out);
  } catch (e) {
    line = `error: ${(e as Error).message.replaceAll(dataDir, '<data>').replaceAll(outRoot, '<out>')}`;
  }
  console.log(`${c.name}: ${line}`);
}
fs.rmSync(outRoot, { recursive: true, force: true });
