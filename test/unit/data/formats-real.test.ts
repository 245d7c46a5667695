import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat, importFile, readRecords } from '../../../electron/data';
import { data } from './helpers';

test('format detection on every real file kind', async () => {
  const cases: Array<[string[], string]> = [
    [['nsl-kdd', 'KDDTest-21.txt'], 'nsl-kdd'],
    [['kddcup99', 'corrected.gz'], 'kdd99'],
    [['stratosphere-zeek', '001-njrat-CTU-Malware-Capture-Botnet-230-1_first1000.conn.log.labeled'], 'zeek'],
    [['urls', 'urls_labeled.csv'], 'urls'],
    [['urls', 'phishtank', 'online-valid.csv'], 'urls'],
    [['urls', 'iscx-url-2016', 'spam_dataset.csv'], 'urls'],
    [['dga', 'umudga-10k', 'banjori.txt'], 'domains'],
    [['dga', 'clicksecurity', 'alexa_100k.csv'], 'domains'],
    [['dga', 'andrewaeva-dga', 'dds-malicious-domains.csv'], 'domains'],
    [['dga', 'andrewaeva-dga', 'others_dga.txt'], 'domains'],
  ];
  for (const [p, fmt] of cases) assert.equal((await detectFormat(data(...p))).format, fmt, p.join('/'));
  assert.equal((await detectFormat(data('kddcup99', 'corrected.gz'))).gzip, true);
});

test('zeek conn.log: counts per label from the data README', async () => {
  const expect: Record<string, Record<string, number>> = {
    '001-njrat-CTU-Malware-Capture-Botnet-230-1_first1000.conn.log.labeled': { Background: 739, Malicious: 244, Benign: 9 },
    '008-zeek-mixed.conn.log.labeled': { Malicious: 4_201, Benign: 1_402, Background: 60 },
    '010-zeek-mixed.conn.log.labeled': { Malicious: 3_373, Benign: 1_937, Background: 37 },
    '011-zeek-mixed.conn.log.labeled': { Malicious: 3_951, Benign: 4_771, Background: 326 },
    '012-zeek-mixed.conn.log.labeled': { Malicious: 3_028, Benign: 782, Background: 930 },
  };
  for (const [f, counts] of Object.entries(expect)) {
    const r = await importFile(data('stratosphere-zeek', f), { errors: 'strict' });
    assert.equal(r.summary.rows, Object.values(counts).reduce((a, b) => a + b, 0), f);
    assert.deepEqual({ ...r.summary.labels!.raw }, Object.fromEntries(Object.entries(r.summary.labels!.raw).map(([k]) => [k, counts[k]])), f);
    assert.ok(r.summary.metadata.detailedlabel, 'detailedlabel kept as metadata');
    assert.ok(!r.featurizer || !JSON.stringify(r.featurizer).includes('"uid"'));
  }
  const first = await readRecords(data('stratosphere-zeek', '008-zeek-mixed.conn.log.labeled')).next();
  const rec = first.value!;
  assert.equal(rec.id, '008-zeek-mixed.conn.log.labeled:9');
  assert.equal(rec.label, 'Benign');
  assert.equal(rec.meta!.detailedlabel, 'Microsoft');
  // Dropping Background rows, as an analyst would for a benign/malicious model.
  const dropped = await importFile(data('stratosphere-zeek', '008-zeek-mixed.conn.log.labeled'), { labels: { mode: 'binary', drop: ['Background'] } });
  assert.equal(dropped.summary.rows, 5_603);
  assert.deepEqual(dropped.summary.labels!.dropped, { Background: 60 });
});

test('URLs: urls_labeled.csv counts and the length shortcut warning; ISCX CRLF list', async () => {
  const r = await importFile(data('urls', 'urls_labeled.csv'), { labels: { mode: 'binary' } });
  // One phishing row (line 70,072) carries a 0x16 control byte inside its URL: skipped and counted, with its line.
  assert.equal(r.summary.rows, 74_793);
  assert.deepEqual({ ...r.summary.labels!.raw }, { benign: 35_378, phishing: 24_803, spam: 11_921, malware: 2_691 });
  assert.deepEqual({ ...r.summary.labels!.categories }, { benign: 35_378, malicious: 39_415 });
  assert.equal(r.summary.read?.skipped['control character'], 1);
  const len = r.summary.shortcuts.find((s) => s.feature === 'length')!;
  assert.equal(len.pure!.cls, 'malicious');
  assert.equal(len.pure!.threshold, 83);
  assert.ok(len.pure!.fraction > 0.5);
  assert.ok(r.summary.warnings.some((w) => w.startsWith('shortcut: "length" < 83')), r.summary.warnings.join('\n'));
  assert.equal(r.encoded.dtype, 'int32');
  assert.equal(r.encoded.cols, 75);

  const iscx = await importFile(data('urls', 'iscx-url-2016', 'Malware_dataset.csv'), { fixedLabel: 'malware' });
  assert.equal(iscx.summary.rows, 11_566);
  assert.equal(iscx.summary.duplicates.distinct, 2_691);
  const first = await readRecords(data('urls', 'iscx-url-2016', 'spam_dataset.csv')).next();
  assert.ok(!first.value!.text!.endsWith('\r'));
  const pt = await importFile(data('urls', 'phishtank', 'online-valid.csv'), { fixedLabel: 'phishing' });
  assert.equal(pt.summary.rows, 14_857); // the same 0x16 URL (line 10,127) is skipped here too
});

test('DGA domain lists: one per line, rank,domain and quoted domain,family', async () => {
  const fam = await importFile(data('dga', 'andrewaeva-dga', 'dds-malicious-domains.csv'));
  assert.deepEqual({ ...fam.summary.labels!.raw }, { cryptolocker: 1_667, goz: 1_667, newgoz: 1_666 });
  const u = await importFile(data('dga', 'umudga-10k', 'pizd.txt'), { fixedLabel: 'pizd' });
  assert.equal(u.summary.rows, 9_559);
  assert.equal(u.encoded.cols, 64);
  const zeus = await importFile(data('dga', 'andrewaeva-dga', 'zeus.txt'));
  assert.equal(zeus.summary.rows, 100_000);
  assert.equal(zeus.summary.duplicates.distinct, 1_000);
  const alexa = await importFile(data('dga', 'clicksecurity', 'alexa_100k.csv'));
  assert.equal(alexa.summary.rows + alexa.summary.malformed.count, 100_000);
  assert.equal(alexa.summary.malformed.examples.length, 20);
});
