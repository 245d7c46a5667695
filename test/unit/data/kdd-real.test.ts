import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { importFile, importToCache, readCache, readRawLine, rowId } from '../../../electron/data';
import { data, tmpDir } from './helpers';

const five = (c: Record<string, number>) => ({ normal: c.normal, dos: c.dos, probe: c.probe, r2l: c.r2l, u2r: c.u2r });

test('NSL-KDD train/test: published counts, featurizer fitted on train re-applies identically', async () => {
  const train = await importFile(data('nsl-kdd', 'KDDTrain+.txt'), { errors: 'strict' });
  assert.equal(train.summary.format, 'nsl-kdd');
  assert.equal(train.summary.rows, 125_973);
  assert.deepEqual(five(train.summary.labels!.categories), { normal: 67_343, dos: 45_927, probe: 11_656, r2l: 995, u2r: 52 });
  assert.equal(Object.keys(train.summary.labels!.raw).filter((k) => k !== 'normal').length, 22);
  assert.deepEqual(train.summary.metadata.difficulty, { min: 0, max: 21 });
  assert.equal(train.encoded.rows, 125_973);
  assert.equal(train.encoded.cols, train.featurizer.kind === 'tabular' ? train.featurizer.outputDim : -1);
  assert.equal(train.encoded.features.length, 125_973 * train.encoded.cols);
  // 38 numeric + (3 + 70 + 11) one-hot + 3 unknown buckets; difficulty is not a feature.
  assert.equal(train.encoded.cols, 38 + 84 + 3);
  assert.ok(!JSON.stringify(train.featurizer).includes('difficulty'));
  assert.deepEqual(train.encoded.classes, ['normal', 'dos', 'probe', 'r2l', 'u2r']);
  assert.equal(rowId(train.encoded, 0), 'KDDTrain+.txt:1');

  const json = JSON.parse(JSON.stringify(train.featurizer));
  const again = await importFile(data('nsl-kdd', 'KDDTrain+.txt'), { featurizer: json, labelEncoder: train.labelEncoder! });
  assert.deepEqual(again.encoded.features, train.encoded.features);
  assert.deepEqual(again.encoded.labels, train.encoded.labels);

  const test5 = await importFile(data('nsl-kdd', 'KDDTest+.txt'), { featurizer: json, labelEncoder: train.labelEncoder! });
  assert.equal(test5.summary.rows, 22_544);
  assert.deepEqual(five(test5.summary.labels!.categories), { normal: 9_711, dos: 7_458, probe: 2_421, r2l: 2_754, u2r: 200 });
  assert.equal(test5.encoded.cols, train.encoded.cols);
  assert.equal(test5.summary.labels!.unknown && Object.keys(test5.summary.labels!.unknown).length, 0);

  // 'attack' mode fitted on train: the 17 test-only attacks are reported as unseen, index -1.
  const trainAtk = await importFile(data('nsl-kdd', 'KDDTrain+_20Percent.txt'), { labels: { mode: 'attack' } });
  const testAtk = await importFile(data('nsl-kdd', 'KDDTest+.txt'), { featurizer: trainAtk.featurizer, labelEncoder: trainAtk.labelEncoder! });
  assert.ok(testAtk.summary.labels!.unseen.mscan === 996);
  const unseenRows = Object.values(testAtk.summary.labels!.unseen).reduce((a, b) => a + b, 0);
  assert.equal(testAtk.encoded.labels!.filter((l) => l === -1).length, unseenRows);
});

test("KDD'99 10% and corrected (gzip): published counts; streaming cache round-trip", async () => {
  const dir = tmpDir();
  const progress: number[] = [];
  const tr = await importToCache(data('kddcup99', 'kddcup.data_10_percent.gz'), path.join(dir, 'train'), { errors: 'strict' }, {
    onProgress: (p) => progress.push(p.bytesRead / p.totalBytes),
  });
  assert.equal(tr.summary.format, 'kdd99');
  assert.equal(tr.summary.gzip, true);
  assert.equal(tr.summary.rows, 494_021);
  assert.deepEqual(five(tr.summary.labels!.categories), { normal: 97_278, dos: 391_458, probe: 4_107, r2l: 1_126, u2r: 52 });
  assert.equal(tr.summary.labels!.raw.smurf, 280_790);
  assert.ok(tr.summary.duplicates.rows > 340_000);
  assert.ok(progress.length > 2 && progress.at(-1)! === 1);

  const cached = await readCache(tr.cachePath);
  assert.equal(cached.rows, 494_021);
  assert.equal(cached.cols, tr.cols);
  assert.equal(cached.labels!.filter((l) => l === 0).length, 97_278);
  assert.equal(rowId(cached, 3), 'kddcup.data_10_percent.gz:4');
  const raw = await readRawLine(tr.rawLinesPath, cached.rawOffsets![3]);
  assert.match(raw, /,normal\.$/);
  assert.equal(raw.split(',').length, 42);

  const te = await importFile(data('kddcup99', 'corrected.gz'), { featurizer: tr.featurizer, labelEncoder: tr.labelEncoder!, errors: 'strict' });
  assert.equal(te.summary.rows, 311_029);
  assert.deepEqual(five(te.summary.labels!.categories), { normal: 60_593, dos: 229_853, probe: 4_166, r2l: 16_189, u2r: 228 });
  assert.equal(Object.keys(te.summary.labels!.raw).length, 38);
});
