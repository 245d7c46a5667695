import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { REPO_ROOT, SHARED_DATA, tempDir } from '../../helpers/temp';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('backend --json prints the chosen backend', async () => {
  const r = await cli(['backend', '--json', '--workspace', tempDir()]);
  assert.equal(r.code, 0, r.err);
  const info = JSON.parse(r.out);
  assert.equal(info.name, 'wasm');
  assert.equal(info.attempts.at(-1).name, 'wasm');
});

test('models lists the zoo as a table and as JSON', async () => {
  const ws = tempDir();
  const table = await cli(['models', '--workspace', ws]);
  assert.equal(table.code, 0);
  assert.match(table.out, /^id\s+family\s+kind\s+description/);
  assert.match(table.out, /\nchar-cnn\s+sequences\s+deep/);
  const json = JSON.parse((await cli(['models', '--json', '--workspace', ws])).out) as { id: string }[];
  assert.ok(json.some((m) => m.id === 'dnn5'));
  assert.ok(json.some((m) => m.id === 'random-forest'));
});

test('errors are one line with a non-zero exit', async () => {
  const unknown = await cli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.err, "deeptriage: unknown command 'frobnicate' (try --help)");
  const badFlag = await cli(['runs', '--bogus']);
  assert.equal(badFlag.code, 2);
  assert.equal(badFlag.err.split('\n').length, 1);
  assert.match(badFlag.err, /bogus/);
});

test('the bin entry runs as a real process with the workspace from the environment', () => {
  const ws = tempDir();
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'deeptriage.js'), 'runs', '--json'], {
    env: { ...process.env, DEEPTRIAGE_WORKSPACE: ws },
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  const bad = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'deeptriage.js'), 'nope'], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('import --json prints rows, format, classes and malformed counts of a real file', async () => {
  const r = await cli(['import', path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'), '--json', '--workspace', tempDir()]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.rows, 22_544);
  assert.equal(s.format, 'nsl-kdd');
  assert.deepEqual(s.classes, { normal: 9_711, dos: 7_458, probe: 2_421, r2l: 2_754, u2r: 200 });
  assert.equal(s.malformed, 0);
});

test('import of a missing file or with a bad flag fails with one line', async () => {
  const missing = await cli(['import', '/no/such/file.txt', '--workspace', tempDir()]);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, 'deeptriage import: /no/such/file.txt: no such file');
  const badFormat = await cli(['import', 'x', '--format', 'parquet']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.err, /--format must be one of/);
});

// One file for train, eval, compare and export: each KDDTest+ import costs seconds of CPU and npm test is
// near its budget.
test('train --json trains and prints per-class metrics; eval reuses the imported test file; two runs get a paired test; export', async () => {
  const ws = tempDir();
  const train = await cli(['train', '--train', path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'), '--test', path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'), '--model', 'logreg,dnn1', '--epochs', '1', '--batch', '256', '--label-mode', 'binary', '--seed', '7', '--json', '--workspace', ws]);
  assert.equal(train.code, 0, train.err);
  const runs = JSON.parse(train.out) as { runId: string; model: string; split: { kind: string }; accuracy: number; perClass: Record<string, number | string>[] }[];
  assert.deepEqual(runs.map((r) => r.model), ['logreg', 'dnn1']);
  for (const r of runs) {
    assert.match(r.runId, /^run_/);
    assert.equal(r.split.kind, 'official-test');
    assert.ok(r.accuracy > 0.5 && r.accuracy <= 1, `${r.model}: accuracy ${r.accuracy}`);
    assert.deepEqual(r.perClass.map((c) => c.label).sort(), ['attack', 'normal']);
    for (const c of r.perClass) for (const k of ['precision', 'recall', 'f1']) assert.ok((c[k] as number) >= 0 && (c[k] as number) <= 1);
  }
  const ev = await cli(['eval', '--run', runs[0].runId, '--test', path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'), '--json', '--workspace', ws]);
  assert.equal(ev.code, 0, ev.err);
  const e = JSON.parse(ev.out);
  assert.equal(e.rows, 22_544);
  assert.equal(e.split.kind, 'official-test');
  assert.equal(JSON.parse((await cli(['datasets', '--json', '--workspace', ws])).out).length, 2);
  const cmp = await cli(['compare', runs[0].runId, runs[1].runId, '--resamples', '200', '--json', '--workspace', ws]);
  assert.equal(cmp.code, 0, cmp.err);
  const c = JSON.parse(cmp.out);
  assert.equal(c.split.kind, 'official-test');
  assert.equal(c.runs.length, 2);
  assert.ok(c.paired.mcnemar.pValue >= 0 && c.paired.mcnemar.pValue <= 1);
  assert.equal(c.paired.rows, 22_544);
  const lonely = await cli(['compare', runs[0].runId, '--workspace', ws]);
  assert.equal(lonely.code, 2);
  // export writes the run as ONNX where asked; onnxruntime reads the encoded record (41 features, the three
  // categorical ones one-hot: 117 columns fitted on this training file) and gives the 2 binary class probabilities.
  const out = path.join(ws, 'dnn1.onnx');
  const ex = await cli(['export', '--run', runs[1].runId, '--out', out, '--json', '--workspace', ws]);
  assert.equal(ex.code, 0, ex.err);
  assert.deepEqual(JSON.parse(ex.out).input, { kind: 'fixed', steps: 117 });
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(out);
  const res = await session.run({ input: new ort.Tensor('float32', new Float32Array(117), [1, 117]) });
  await session.release();
  const p = res.probabilities.data as Float32Array;
  assert.equal(p.length, 2);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
});

test('sweep runs its trials and prints them ranked on the validation metric; bad search spaces are usage errors', async () => {
  const ws = tempDir();
  const lines = ['a,b,label'];
  for (let i = 0; i < 200; i++) lines.push(`${((i * 37) % 100) / 50 - 1},${((i * 61) % 100) / 50 - 1},${(i * 37) % 100 >= 50 ? 'attack' : 'normal'}`);
  const file = path.join(ws, 'points.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const r = await cli(['sweep', '--train', file, '--model', 'logreg', '--space', 'lr=0.000001,0.1', '--space', 'batch=16', '--epochs', '2', '--no-asha', '--json', '--workspace', ws]);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { status: string; bestRunId: string; split: string; trials: { runId: string; point: { learningRate: number } }[] };
  assert.equal(out.status, 'done');
  assert.equal(out.trials.length, 2);
  assert.equal(out.trials[0].runId, out.bestRunId);
  assert.equal(out.trials[0].point.learningRate, 0.1);
  assert.match(out.split, /validation/);
  const bad = await cli(['sweep', '--train', file, '--model', 'logreg', '--space', 'lr', '--workspace', ws]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--space lr: expected KEY=V1,V2 or KEY=MIN:MAX/);
  const range = await cli(['sweep', '--train', file, '--model', 'logreg', '--space', 'lr=0.1:x', '--workspace', ws]);
  assert.equal(range.code, 2);
  assert.match(range.err, /MIN and MAX must be numbers/);
});
