import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { importFile } from '../../../electron/data';
import { CharSeqEncoder, type CharSeqJSON, type FeaturizerJSON } from '../../../electron/data/featurize';
import { openScorer } from '../../../electron/onnx/scorer';
import { scanLines } from '../../../electron/scan/url-lines';
import { testEngine } from '../../helpers/engine';
import { requirePython, runPython } from '../../helpers/python';
import { SHARED_DATA, tempDir } from '../../helpers/temp';
import { benignUrl, maliciousUrl } from '../../helpers/urls';

/**
 * Scoring bundles against the engine: for a URL char-cnn, a DGA char-lstm (public suffixes cut) and an
 * NSL-KDD records model, 5,000 real lines are encoded and scored by the bundle's Python package and by the
 * engine (import with the run's encoding, then its scorer). Ids / features must be identical and
 * probabilities within 1e-5. Training is one epoch on a small sample: equality is the point, not quality.
 */
const python = requirePython();
const dir = tempDir();
const ws = path.join(dir, 'ws');
const { call, done, route } = testEngine(ws);
const CHECK = path.join(import.meta.dirname, 'bundle_check.py');

const dataLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const every = <T>(xs: T[], step: number, offset: number, n: number) => xs.filter((_, i) => i % step === offset).slice(0, n);

async function importAndTrain(file: string, extra: Record<string, unknown>, modelId: string, params: Record<string, unknown>): Promise<string> {
  const { jobId } = await call('datasets.import', { path: file, ...extra } as never);
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: [modelId], params: { epochs: 1, batchSize: 64, validationFraction: 0.1, ...params } });
  await done(runs[0].jobId);
  return runs[0].runId;
}

async function bundleOf(runId: string): Promise<string> {
  const out = path.join(dir, `bundle-${runId}`);
  const { jobId } = await call('runs.exportBundle', { runId, dir: out });
  await done(jobId);
  return out;
}

interface Side {
  lines: Int32Array;
  x: Int32Array | Float32Array;
  proba: Float32Array;
}

const view = <T>(C: { new (b: ArrayBuffer): T }, file: string) => {
  const b = fs.readFileSync(file);
  return new C(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

function pythonSide(bundle: string, input: string): Side & { skipped: Record<string, number> } {
  const out = path.join(dir, `py-${path.basename(bundle)}`);
  runPython(python, [CHECK, bundle, input, out]);
  const info = JSON.parse(fs.readFileSync(path.join(out, 'info.json'), 'utf8')) as { dtype: string; skipped: Record<string, number> };
  return {
    lines: view(Int32Array, path.join(out, 'lines.i32')),
    x: info.dtype === 'int32' ? view(Int32Array, path.join(out, 'x.bin')) : view(Float32Array, path.join(out, 'x.bin')),
    proba: view(Float32Array, path.join(out, 'proba.f32')),
    skipped: info.skipped,
  };
}

/**
 * The engine's rows for one file: URL lists as a scan reads them (url-lines.ts, then the run's encoder),
 * domain lists and records as an import with the run's encoding reads them; then the run's own scorer.
 */
async function engineSide(runId: string, input: string, format: 'urls' | 'domains' | 'nsl-kdd'): Promise<Side> {
  const enc = JSON.parse(fs.readFileSync(path.join(dir, `bundle-${runId}`, 'encoding.json'), 'utf8')) as { featurizer: FeaturizerJSON };
  let x: Int32Array | Float32Array;
  let lines: Int32Array;
  if (format === 'urls') {
    const encoder = new CharSeqEncoder(enc.featurizer as CharSeqJSON);
    const urls: { line: number; url: string }[] = [];
    for await (const chunk of scanLines(input, 0, new AbortController().signal, () => {})) for (const l of chunk) if (l.kind === 'url') urls.push(l);
    x = new Int32Array(urls.length * encoder.dim);
    urls.forEach((u, i) => encoder.encodeInto(u.url, x as Int32Array, i * encoder.dim));
    lines = Int32Array.from(urls, (u) => u.line);
  } else {
    const r = await importFile(input, { format, featurizer: enc.featurizer });
    x = r.encoded.features;
    lines = Int32Array.from(r.encoded.lines);
  }
  const scorer = await openScorer(path.join(ws, 'runs', runId), 'cpu');
  try {
    return { lines, x, proba: await scorer.predict(x, lines.length) };
  } finally {
    await scorer.dispose();
  }
}

function assertSame(py: Side, en: Side, what: string): void {
  assert.deepEqual([...py.lines], [...en.lines], `${what}: the same lines are scored`);
  assert.equal(py.x.length, en.x.length, `${what}: feature matrix size`);
  const width = py.x.length / py.lines.length;
  for (let i = 0; i < py.x.length; i++) {
    if (!Object.is(py.x[i], en.x[i])) {
      assert.fail(`${what}: line ${py.lines[Math.floor(i / width)]} column ${i % width}: python ${py.x[i]} vs engine ${en.x[i]}`);
    }
  }
  let worst = 0;
  for (let i = 0; i < py.proba.length; i++) worst = Math.max(worst, Math.abs(py.proba[i] - en.proba[i]));
  assert.equal(py.proba.length, en.proba.length);
  assert.ok(worst < 1e-5, `${what}: probabilities differ by up to ${worst}`);
}

const runs: Record<'url' | 'dga' | 'kdd', string> = { url: '', dga: '', kdd: '' };
const inputs: Record<'url' | 'dga' | 'kdd', string> = { url: '', dga: '', kdd: '' };

before(async () => {
  const urls = dataLines(path.join(SHARED_DATA, 'urls', 'urls_labeled.csv'));
  const [header, ...body] = urls;
  const urlTrain = path.join(dir, 'urls-train.csv');
  fs.writeFileSync(urlTrain, [header, ...every(body, 50, 0, 1500)].join('\n') + '\n');
  inputs.url = path.join(dir, 'urls-5000.csv');
  fs.writeFileSync(inputs.url, [header, ...every(body, 14, 7, 5000)].join('\n') + '\n');
  runs.url = await importAndTrain(urlTrain, { options: {} }, 'char-cnn', { filters: 16, units: 16 });

  const dga = (f: string) => path.join(SHARED_DATA, 'dga', 'umudga-10k', f);
  const { jobId } = await call('datasets.import', {
    path: dga('legit.txt'),
    inputs: [{ path: dga('legit.txt'), fixedLabel: 'legit' }, { path: dga('banjori.txt'), fixedLabel: 'dga' }, { path: dga('necurs.txt'), fixedLabel: 'dga' }],
    options: { format: 'domains', maxRowsPerFile: 400, sampleSeed: 1, benignLabels: ['legit'], stripPublicSuffix: true },
  });
  const dgaSet = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const dgaRun = await call('train.start', { datasetId: dgaSet, modelIds: ['char-lstm'], params: { epochs: 1, batchSize: 64, units: 8, embeddingDim: 8 } });
  await done(dgaRun.runs[0].jobId);
  runs.dga = dgaRun.runs[0].runId;
  inputs.dga = path.join(dir, 'dga-5000.txt');
  const mixed = ['legit.txt', 'suppobox_1.txt', 'matsnu.txt', 'pykspa_noise.txt', 'gozi_rfc4343.txt'].flatMap((f) => dataLines(dga(f)).slice(2000, 3000));
  fs.writeFileSync(inputs.dga, mixed.join('\n') + '\n');

  const kddTrain = path.join(dir, 'kdd-train.txt');
  fs.writeFileSync(kddTrain, dataLines(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTrain+.txt')).slice(0, 2000).join('\n') + '\n');
  runs.kdd = await importAndTrain(kddTrain, { options: {} }, 'dnn3', {});
  inputs.kdd = path.join(dir, 'kdd-5000.txt');
  fs.writeFileSync(inputs.kdd, dataLines(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt')).slice(0, 5000).join('\n') + '\n');
  // The URL bundle goes through the command line, the others through the engine's operation.
  const cliOut: string[] = [];
  const code = await runCli(['export', '--run', runs.url, '--bundle', path.join(dir, `bundle-${runs.url}`), '--json', '--workspace', ws], { out: (l) => cliOut.push(l), err: (l) => cliOut.push(l) });
  assert.equal(code, 0, cliOut.join('\n'));
  assert.ok((JSON.parse(cliOut.join('')) as { files: string[] }).files.includes('deeptriage_scorer/bundle.py'));
  for (const id of [runs.dga, runs.kdd]) await bundleOf(id);
});

test('URL char-cnn: the bundle reads, encodes and scores 5,000 real URL lines exactly as a scan does', async () => {
  const py = pythonSide(path.join(dir, `bundle-${runs.url}`), inputs.url);
  assert.ok(py.lines.length >= 4990, `${py.lines.length} rows (skipped ${JSON.stringify(py.skipped)})`);
  assertSame(py, await engineSide(runs.url, inputs.url, 'urls'), 'urls');
});

test('DGA char-lstm with public suffixes cut: 5,000 real domains, same ids and probabilities', async () => {
  const bundle = path.join(dir, `bundle-${runs.dga}`);
  const enc = JSON.parse(fs.readFileSync(path.join(bundle, 'encoding.json'), 'utf8')) as { textKind: string; featurizer: { stripPublicSuffix?: boolean; truncate: string } };
  assert.deepEqual([enc.textKind, enc.featurizer.stripPublicSuffix, enc.featurizer.truncate], ['domain', true, 'left']);
  const py = pythonSide(bundle, inputs.dga);
  assert.equal(py.lines.length, 5000);
  assertSame(py, await engineSide(runs.dga, inputs.dga, 'domains'), 'dga');
});

test('NSL-KDD records: 5,000 KDDTest+ lines (unseen services in the unknown slot), same features and probabilities', async () => {
  const bundle = path.join(dir, `bundle-${runs.kdd}`);
  const py = pythonSide(bundle, inputs.kdd);
  assert.equal(py.lines.length, 5000);
  assertSame(py, await engineSide(runs.kdd, inputs.kdd, 'nsl-kdd'), 'nsl-kdd');
});

/** Scan results of one scan, line → score (paged: the contract serves 5,000 rows a call). */
async function scanScores(scanId: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let offset = 0; ; offset += 5000) {
    const page = await call('scans.results', { scanId, offset, limit: 5000 });
    for (const r of page.rows) out.set(r.line, r.score);
    if (offset + 5000 >= page.total) return out;
  }
}

// 20,000 lines keep Ray's several blocks and actors in play; the full-size 100,000-line run and its throughput are in bench/scale.ts.
// The list opens with a comment line, as exported feeds do: the scan skips it, and the Ray job must read the
// same list (not refuse it as a Zeek log without #fields), give the comment its row with an error, and number
// every URL as the scan does.
test('the Ray Data job scores 20,000 generated URLs on a local Ray (2 CPUs) like a DeepTriage scan', async () => {
  const file = path.join(dir, 'urls-100k.txt');
  const lines: string[] = ['# generated feed: one URL per line'];
  for (let i = 0; i < 20_000; i++) lines.push(i % 3 === 0 ? maliciousUrl(i) : benignUrl(i));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const scan = await call('scan.start', { runId: runs.url, paths: [file] });
  await done(scan.jobId);
  const info = (await call('scans.get', { scanId: scan.scanId })).scan;
  assert.equal(info.stats.scanned, 20_000);
  const expected = await scanScores(scan.scanId);

  const bundle = path.join(dir, `bundle-${runs.url}`);
  const out = path.join(dir, 'ray-out');
  const summary = JSON.parse(
    runPython(python, [path.join(bundle, 'score_ray.py'), file, out, '--num-cpus', '2', '--workers', '2', '--batch-size', '4096', '--chunk-mb', '1', '--object-store-mb', '256']).trim().split('\n').at(-1)!,
  ) as { rows: number };
  assert.equal(summary.rows, 20_001);
  const dump = path.join(dir, 'ray-dump');
  runPython(python, [path.join(import.meta.dirname, 'parquet_dump.py'), out, dump]);
  const got = { lines: view(Int32Array, path.join(dump, 'lines.i32')), scores: view(Float32Array, path.join(dump, 'scores.f32')) };
  const errors = JSON.parse(fs.readFileSync(path.join(dump, 'info.json'), 'utf8')) as { rows: number; errors: number; predictedClasses: string[] };
  assert.deepEqual([errors.rows, errors.errors], [20_001, 1]);
  assert.deepEqual([...got.lines], Array.from({ length: 20_001 }, (_, i) => i + 1), 'every line once, numbered as the scan numbers them');
  assert.equal(expected.size, 20_000);
  assert.ok(!expected.has(1) && Number.isNaN(got.scores[0]), 'the comment line is not scored on either side');
  let worst = 0;
  for (let i = 1; i < got.lines.length; i++) worst = Math.max(worst, Math.abs(got.scores[i] - expected.get(got.lines[i])!));
  assert.ok(worst < 1e-5, `Ray and scan scores differ by up to ${worst}`);
});

test('bundles are versioned, and a bundle the scorer does not understand or that was edited is refused', async () => {
  const original = path.join(dir, `bundle-${runs.kdd}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(original, 'bundle.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.format, 'deeptriage-scoring-bundle');
  assert.equal(manifest.formatVersion, 1);
  assert.equal(manifest.runId, runs.kdd);
  assert.match(String(manifest.deeptriageVersion), /^\d+\.\d+\.\d+/);
  assert.match(String(manifest.encodingHash), /^sha256:[0-9a-f]{64}$/);
  // The same run's encoding hashes the same; another encoding does not.
  const urlManifest = JSON.parse(fs.readFileSync(path.join(dir, `bundle-${runs.url}`, 'bundle.json'), 'utf8')) as Record<string, unknown>;
  assert.notEqual(urlManifest.encodingHash, manifest.encodingHash);

  const future = path.join(dir, 'bundle-future');
  fs.cpSync(original, future, { recursive: true });
  fs.writeFileSync(path.join(future, 'bundle.json'), JSON.stringify({ ...manifest, formatVersion: 99, deeptriageVersion: '9.0.0' }));
  const edited = path.join(dir, 'bundle-edited');
  fs.cpSync(original, edited, { recursive: true });
  fs.appendFileSync(path.join(edited, 'encoding.json'), ' ');
  const probe = `import sys, json
sys.path.insert(0, sys.argv[1])
from deeptriage_scorer import load, BundleError
out = []
for d in sys.argv[2:]:
    try:
        load(d); out.append('loaded')
    except BundleError as e:
        out.append(str(e))
print(json.dumps(out))`;
  const msgs = JSON.parse(runPython(python, ['-c', probe, original, original, future, edited, dir])) as string[];
  assert.equal(msgs[0], 'loaded');
  assert.match(msgs[1], /bundle format version 99 \(written by DeepTriage 9\.0\.0\) is not one this scorer reads \(versions 1\)/);
  assert.match(msgs[2], /encoding\.json: encoding hash sha256:[0-9a-f]+ does not match the manifest's sha256:[0-9a-f]+: the file was changed after export/);
  assert.match(msgs[3], /bundle\.json: missing \(the bundle manifest\); is this a DeepTriage scoring bundle folder\?/);
  // The Ray job refuses it before starting Ray.
  const ray = spawnSync(python, [path.join(future, 'score_ray.py'), inputs.kdd, path.join(dir, 'never')], { encoding: 'utf8' });
  assert.equal(ray.status, 2);
  assert.match(ray.stderr, /score_ray: bundle format version 99/);

  // The export never writes into a folder that holds something else.
  const busy = path.join(dir, 'busy');
  fs.mkdirSync(busy);
  fs.writeFileSync(path.join(busy, 'notes.txt'), 'mine');
  const refused = await route('runs.exportBundle', { runId: runs.kdd, dir: busy });
  assert.ok(!refused.ok && /not empty and holds no earlier bundle/.test(refused.error.message));
});
