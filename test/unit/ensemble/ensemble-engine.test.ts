import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { runCli } from '../../../electron/cli/main';
import { readLabelledRows, readProba, readRows, rowsPathFor } from '../../../electron/eval/run-eval';
import { selectBackend } from '../../../electron/compute/backend';
import { getDatasetFiles } from '../../../electron/store/datasets';
import { deserializeClassifier } from '../../../electron/train/classifier-io';
import { readRunModel } from '../../../electron/train/run-files';
import { getEvaluation } from '../../../electron/store/evaluations';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { benignUrl, maliciousUrl, trainingCsv } from '../../helpers/urls';

const dir = tempDir();
const ws = path.join(dir, 'ws');
const { engine, call, route, done } = testEngine(ws);
const finished = async (jobId: string) => (await done(jobId)).result;

let datasetId = '';
let cnn = '';
let cnn2 = '';
let otherSeed = '';
let longer = '';
const small = { epochs: 2, batchSize: 32, filters: 8, units: 16, embeddingDim: 8 };

before(async () => {
  await selectBackend('wasm');
  fs.writeFileSync(path.join(dir, 'urls.csv'), trainingCsv(150));
  const imp = async (maxLength: number) =>
    ((await finished((await call('datasets.import', { path: path.join(dir, 'urls.csv'), options: { maxLength } })).jobId)) as { datasetId: string }).datasetId;
  datasetId = await imp(40);
  const other = await imp(50);
  // Two different char-cnn (kernel widths, filters) on one split: cheap members (their mix of architectures
  // in one ONNX graph is covered in combine.test.ts).
  const started = [
    ...(await call('train.start', { datasetId, modelIds: ['char-cnn'], params: small })).runs,
    ...(await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { ...small, kernelSizes: [4], filters: 12 } })).runs,
    ...(await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { ...small, epochs: 1, seed: 7 } })).runs,
    ...(await call('train.start', { datasetId: other, modelIds: ['char-cnn'], params: { ...small, epochs: 1 } })).runs,
  ];
  for (const r of started) await done(r.jobId);
  [cnn, cnn2, otherSeed, longer] = started.map((r) => r.runId);
});

const probaOf = (evalId: string) => readProba(getEvaluation(engine.workspace.db, evalId)!.predictionsPath!);

test('a mean ensemble is a run whose probabilities on the validation rows are the mean of its members’', async () => {
  const { runId, jobId } = await call('ensemble.create', { runIds: [cnn, cnn2], method: 'mean', name: 'cnn+cnn2' });
  await done(jobId);
  const run = await call('runs.get', { runId });
  assert.equal(run.modelId, 'ensemble');
  assert.equal(run.status, 'done');
  assert.equal(run.params.members, `${cnn},${cnn2}`);
  assert.deepEqual(run.params.weights, [0.5, 0.5]);
  assert.equal(run.valRows, 30);
  const ev = await call('eval.start', { runId, datasetId });
  await done(ev.jobId);
  const e = probaOf(ev.evalId);
  // The members themselves, loaded here, on the same held-out rows (the eval stores which rows it scored).
  const data = await readLabelledRows(getDatasetFiles(engine.workspace.db, datasetId)!.cache);
  const rows = readRows(rowsPathFor(getEvaluation(engine.workspace.db, ev.evalId)!.predictionsPath!));
  assert.equal(e.length, rows.length * 2);
  const x = new Int32Array(rows.length * data.cols);
  rows.forEach((r, i) => x.set(data.x.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols));
  const [a, b] = await Promise.all(
    [cnn, cnn2].map(async (id) => {
      const m = await deserializeClassifier(readRunModel(path.join(ws, 'runs', id)));
      const p = await m.predictProba(x, rows.length);
      m.dispose();
      return p;
    }),
  );
  let d = 0;
  for (let i = 0; i < e.length; i++) d = Math.max(d, Math.abs(e[i] - (a[i] + b[i]) / 2));
  assert.ok(d < 1e-5, `ensemble vs mean of members: ${d}`);
  const info = (await call('evals.get', { evalId: ev.evalId })).info;
  assert.match(info.split.description, /^random 10 % validation split \(seed 42\) of the training file urls\.csv \(not an official test set\)$/);
});

test('deeptriage ensemble --method stack makes a run that explains with member shares, scans, and exports as one ONNX graph scoring like the engine', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['ensemble', '--runs', `${cnn},${cnn2}`, '--method', 'stack', '--json', '--workspace', ws], { out: (l) => out.push(l), err: (l) => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  const { runId, weights, validation } = JSON.parse(out.join('\n')) as { runId: string; weights: number[]; validation: { acc: number } };
  assert.ok(Math.abs(weights[0] + weights[1] - 1) < 1e-9);
  assert.ok(validation.acc >= 0 && validation.acc <= 1);
  assert.equal(await runCli(['ensemble', '--runs', cnn, '--workspace', ws], { out: () => {}, err: () => {} }), 2);
  const ev = await call('eval.start', { runId, datasetId });
  await done(ev.jobId);
  const { info } = await call('evals.get', { evalId: ev.evalId });
  assert.match(info.split.description, /the ensemble's stack combiner was fitted on these rows/);

  const url = maliciousUrl(4242);
  const ex = await call('inspect.explain', { runIds: [runId], text: url });
  const m = ex.models[0];
  assert.equal(m.modelId, 'ensemble');
  assert.equal(m.ensemble?.method, 'stack');
  assert.deepEqual(m.ensemble!.members.map((x) => x.runId), [cnn, cnn2]);
  assert.equal(m.chars.length, 40);
  for (const mem of m.ensemble!.members) assert.ok(Math.abs(mem.proba[0] + mem.proba[1] - 1) < 1e-5 && Number.isFinite(mem.share));

  const scanFile = path.join(dir, 'scan.txt');
  fs.writeFileSync(scanFile, [benignUrl(900), maliciousUrl(900), benignUrl(901), maliciousUrl(901)].join('\n') + '\n');
  const scan = await call('scan.start', { runId, paths: [scanFile] });
  await done(scan.jobId);
  const s = (await call('scans.get', { scanId: scan.scanId })).scan;
  assert.equal(s.stats.scanned, 4);
  assert.match(s.stats.engine ?? '', /^onnxruntime/);

  const exp = await call('runs.exportOnnx', { runId });
  await done(exp.jobId);
  const session = await ort.InferenceSession.create(fs.readFileSync(exp.path));
  const ids = new Int32Array(40);
  [...url.slice(0, 40)].forEach((ch, i) => (ids[i] = ch.charCodeAt(0) - 30));
  const onnxOut = (await session.run({ input: new ort.Tensor('int32', ids, [1, 40]) })).probabilities.data as Float32Array;
  await session.release();
  assert.ok(Math.abs(onnxOut[0] - m.proba[0]) < 1e-5 && Math.abs(onnxOut[1] - m.proba[1]) < 1e-5, `ONNX ${Array.from(onnxOut)} vs engine ${m.proba}`);
});

test('runs that cannot share an input or a validation split are refused with the reason', async () => {
  const enc = await route('ensemble.create', { runIds: [cnn, longer] });
  assert.equal(!enc.ok && enc.error.code, 'BAD_INPUT');
  assert.match(!enc.ok ? enc.error.message : '', /encoded differently .*maxLength 40 vs 50/);
  const split = await route('ensemble.create', { runIds: [cnn, otherSeed], method: 'weighted' });
  assert.match(!split.ok ? split.error.message : '', /'weighted' is fitted on validation rows that no member trained on.*seed 7/);
  const ensembles = (await call('runs.list', {})).filter((r) => r.modelId === 'ensemble');
  const nested = await route('ensemble.create', { runIds: [ensembles[0].id, cnn2] });
  assert.match(!nested.ok ? nested.error.message : '', /is itself an ensemble/);
});
