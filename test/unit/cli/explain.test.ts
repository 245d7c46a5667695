import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { selectBackend } from '../../../electron/compute/backend';
import { readCache } from '../../../electron/data/cache/cache-file';
import { createEngine } from '../../../electron/engine';
import { explainJob, type ExplainJobInput } from '../../../electron/explain/explain-job';
import { createJobContext } from '../../../electron/jobs/context';
import { getDatasetFiles, getEncoding } from '../../../electron/store/datasets';
import { writeRunModel } from '../../../electron/train/run-files';
import { trainModel } from '../../../electron/train/train-model';
import { MODELS } from '../../../models/registry';
import type { ExplainResult } from '../../../shared/inspect';
import { nslKddFile } from '../../helpers/kdd';
import { tempDir } from '../../helpers/temp';
import { trainingCsv } from '../../helpers/urls';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ws = tempDir();
const kdd = path.join(ws, 'records.txt');
const urls = path.join(ws, 'urls.csv');
fs.writeFileSync(kdd, nslKddFile(90));
fs.writeFileSync(urls, trainingCsv(30));

test('deeptriage explain: an lstm run (records as one time step) explains a record, as text and as JSON', async () => {
  const train = await cli(['train', '--train', kdd, '--model', 'lstm', '--epochs', '1', '--batch', '32', '--json', '--workspace', ws]);
  assert.equal(train.code, 0, train.err);
  const { runId } = JSON.parse(train.out) as { runId: string };
  const json = await cli(['explain', '--run', runId, '--dataset', kdd, '--row', '4', '--json', '--workspace', ws]);
  assert.equal(json.code, 0, json.err);
  const ex = JSON.parse(json.out) as ExplainResult;
  assert.equal(ex.record.id, 'records.txt:5');
  const [m] = ex.models;
  assert.equal(m.error, undefined);
  assert.equal(m.method, 'integrated-gradients');
  assert.equal(m.features.length, 41);
  assert.ok(Math.abs(m.completeness!.sum - m.completeness!.expected) < 0.02, JSON.stringify(m.completeness));

  const text = await cli(['explain', '--run', runId, '--dataset', kdd, '--row', '0', '--top', '3', '--neighbours', '2', '--workspace', ws]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^record records\.txt:1 {2}true label normal/);
  assert.match(text.out, new RegExp(`lstm \\(${runId}\\) predicts \\w+ \\(\\d+\\.\\d %\\) · integrated gradients`));
  assert.equal(text.out.split('\n').filter((l) => /^ {2}[+−]\d\.\d{4} {2}\S+ = /.test(l)).length, 3);
  assert.equal(text.out.split('\n').filter((l) => /^ {2}records\.txt:\d+ {2}\w+ {2}distance /.test(l)).length, 2);
  const bad = await cli(['explain', '--run', runId, '--dataset', kdd, '--row', '9999', '--workspace', ws]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /row 9999 is outside the dataset \(0…89\)/);
  const usage = await cli(['explain', '--run', runId, '--workspace', ws]);
  assert.equal(usage.code, 2);
});

/**
 * Every architecture of the zoo, one epoch each on tiny generated data, trained in this process (a worker per
 * architecture would cost more than the training) and explained by the explain job itself, all runs of one
 * encoding in one request so one model's failure cannot hide behind another's.
 */
test('every architecture of the zoo explains a record', async () => {
  await selectBackend('wasm');
  assert.equal((await cli(['import', urls, '--json', '--workspace', ws])).code, 0);
  const engine = createEngine({ workspaceDir: ws, transport: 'cli' });
  const datasets = engine.workspace.db.prepare('SELECT id, name FROM datasets').all() as { id: string; name: string }[];
  const explained: string[] = [];
  try {
    for (const file of [kdd, urls]) {
      const ds = datasets.find((d) => d.name === path.basename(file))!;
      const files = getDatasetFiles(engine.workspace.db, ds.id)!;
      const data = await readCache(files.cache);
      const family = file === kdd ? 'records' : 'sequences';
      const runs: ExplainJobInput['runs'] = [];
      for (const def of MODELS.filter((m) => m.family === family)) {
        const trained = await trainModel({
          modelId: def.id,
          x: data.features,
          y: data.labels!,
          numClasses: data.classes.length,
          params: { epochs: 1, batchSize: 32, nEstimators: 5 },
          ...(family === 'sequences' ? { vocabSize: 128 } : {}),
        });
        const runDir = path.join(ws, 'zoo', def.id);
        writeRunModel(runDir, await trained.model.serialize());
        trained.model.dispose();
        runs.push({ runId: `run_${def.id}`, modelId: def.id, runDir, classes: data.classes });
      }
      const input: ExplainJobInput = {
        runs,
        featurizer: (getEncoding(engine.workspace.db, ds.id)!.featurizer as ExplainJobInput['featurizer']),
        target: { cachePath: files.cache, rawPath: files.raw, row: 4 },
        train: { cachePath: files.cache, rawPath: files.raw },
        neighbours: 3,
      };
      const ctx = createJobContext({ jobId: 'job_explain', kind: 'explain', workspaceDir: ws, runningJobs: 1, backend: undefined, post: () => {}, isCancelled: () => false });
      const ex = (await explainJob(input, ctx)) as ExplainResult;
      assert.deepEqual(ex.models.map((m) => m.modelId), runs.map((r) => r.modelId));
      for (const m of ex.models) {
        assert.equal(m.error, undefined, `${m.modelId}: ${m.error}`);
        assert.ok(Math.abs(m.proba.reduce((a, b) => a + b, 0) - 1) < 1e-4, m.modelId);
        const attributions = family === 'records' ? m.features.map((f) => f.attribution) : m.chars.map((c) => c.saliency);
        assert.equal(attributions.length, family === 'records' ? 41 : ex.modelInput!.length, m.modelId);
        assert.ok(attributions.every(Number.isFinite) && attributions.some((a) => a !== 0), `${m.modelId}: ${attributions}`);
        if (m.method === 'integrated-gradients') {
          assert.ok(Math.abs(m.completeness!.sum - m.completeness!.expected) < 0.02, `${m.modelId} ${JSON.stringify(m.completeness)}`);
        }
        explained.push(m.modelId);
      }
      if (family === 'records') {
        const ig = ex.models.filter((m) => m.method === 'integrated-gradients').map((m) => m.modelId);
        for (const id of ['simplernn', 'lstm', 'gru', 'birnn', 'bilstm', 'bigru', 'dnn1', 'cnn-lstm']) assert.ok(ig.includes(id), id);
      }
    }
  } finally {
    await engine.close();
  }
  assert.deepEqual(explained.sort(), MODELS.map((m) => m.id).sort());
});
