import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { trainingCsv } from '../../helpers/urls';

const dir = tempDir();
const { call, route, done } = testEngine(path.join(dir, 'ws'));

/** Look like the phishing pattern the model learned, but are the analyst's own intranet: false positives. */
const intranet = (i: number) => `http://secure-login-intranet${i}.corp-example.org/verify/account.php?id=${i}`;

async function scores(runId: string, file: string): Promise<Map<string, number>> {
  const s = await call('scan.start', { runId, paths: [file] });
  await done(s.jobId);
  return new Map((await call('scans.results', { scanId: s.scanId, limit: 5000 })).rows.map((r) => [r.url, r.score]));
}

test('retraining with verdicts that relabel false positives lowers their scores in the new run', async () => {
  const train = path.join(dir, 'train.csv');
  fs.writeFileSync(train, trainingCsv(150));
  const ds = ((await done((await call('datasets.import', { path: train, options: {} })).jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId: ds, modelIds: ['char-cnn'], params: { epochs: 2, batchSize: 32, filters: 16, units: 32 } });
  await done(runs[0].jobId);
  const old = runs[0].runId;

  const refused = await route('retrain.start', { runId: old });
  assert.equal(!refused.ok && refused.error.message, 'there are no malicious or benign verdicts on URLs or domains to retrain with');

  const fps = Array.from({ length: 40 }, (_, i) => intranet(i));
  const file = path.join(dir, 'fps.txt');
  fs.writeFileSync(file, fps.join('\n') + '\n');
  const before = await scores(old, file);
  await call('verdicts.set', { items: fps.map((item) => ({ item, kind: 'url' as const })), verdict: 'benign', note: 'our intranet' });

  const r = await call('retrain.start', { runId: old });
  assert.equal(r.verdictRows, 40);
  assert.equal(r.trainRows, 300);
  await done(r.jobId);
  const newRun = await call('runs.get', { runId: r.runId });
  assert.equal(newRun.modelId, 'char-cnn');
  assert.deepEqual(newRun.params, (await call('runs.get', { runId: old })).params);
  assert.equal((await call('datasets.get', { datasetId: r.datasetId })).rows, 340);

  const after = await scores(r.runId, file);
  const mean = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;
  assert.ok(mean(after) < mean(before) - 0.2, `mean score ${mean(before).toFixed(3)} → ${mean(after).toFixed(3)}`);

  // Both runs get evaluated on the verdict set, for Compare.
  for (let i = 0; i < 600; i++) {
    const evs = await call('evals.list', { runIds: [old, r.runId] });
    const onVerdicts = evs.filter((e) => e.datasetId === r.verdictDatasetId);
    if (onVerdicts.length === 2 && onVerdicts.every((e) => e.rows === 40)) {
      // Rows keep the file they came from: the verdicts' rows are marked by theirs.
      const recs = await call('evals.records', { evalId: onVerdicts[0].id, limit: 100 });
      assert.ok(recs.rows.every((x) => x.id.startsWith('verdicts-benign.txt:')), recs.rows[0]?.id);
      return;
    }
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.fail('the two runs were not evaluated on the verdict set');
});
