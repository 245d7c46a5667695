import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  CharSeqEncoder, TabularFitter, charSeqSpec, featurizerFromJSON, importFile, readCache, writeCache, LabelEncoder, auc,
} from '../../../electron/data';
import { tmpDir } from './helpers';

const row = (proto: string, svc: string, bytes: number, label: string) =>
  `0,${proto},${svc},SF,${bytes},0,${Array(35).fill(0).join(',')},${label}.`;

test('tabular featurizer: fit on train, JSON round-trip, unknown categories go to the unknown bucket', async () => {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'train.txt'), [row('tcp', 'http', 100, 'normal'), row('udp', 'dns', 0, 'smurf'), row('tcp', 'ftp', 5000, 'neptune')].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'test.txt'), [row('icmp', 'gopher', 100, 'normal'), row('tcp', 'http', 99999, 'apache2')].join('\n') + '\n');
  for (const scaling of ['minmax', 'log1p-zscore'] as const) {
    const tr = await importFile(path.join(dir, 'train.txt'), { scaling, errors: 'strict' });
    const f = tr.featurizer;
    assert.equal(f.kind, 'tabular');
    if (f.kind !== 'tabular') return;
    const back = featurizerFromJSON(JSON.parse(JSON.stringify(f)));
    const te = await importFile(path.join(dir, 'test.txt'), { featurizer: f, labelEncoder: tr.labelEncoder!, errors: 'strict' });
    const proto = f.columns.find((c) => c.name === 'protocol_type')!;
    assert.equal(proto.type, 'categorical');
    const names = f.featureNames;
    const at = (r: number, n: string) => te.encoded.features[r * f.outputDim + names.indexOf(n)];
    assert.equal(at(0, 'protocol_type=<unknown>'), 1);
    assert.equal(at(0, 'service=<unknown>'), 1);
    assert.equal(at(1, 'protocol_type=tcp'), 1);
    assert.equal(at(1, 'protocol_type=<unknown>'), 0);
    assert.deepEqual([...te.encoded.labels!], [0, 1]); // apache2 → dos
    // Row encoded by the JSON-restored featurizer equals the batch import.
    const values: Array<number | string> = [0, 'tcp', 'http', 'SF', 99999, 0, ...Array(35).fill(0)];
    assert.deepEqual(back.dim, f.outputDim);
    const one = (back as ReturnType<TabularFitter['finish']>).encode(values);
    assert.deepEqual(one, te.encoded.features.subarray(f.outputDim, 2 * f.outputDim));
    if (scaling === 'minmax') assert.equal(at(0, 'src_bytes'), Math.fround((100 - 0) / 5000));
  }
});

test('char encoder: vocabulary, truncation side, scheme stripping', () => {
  const e = new CharSeqEncoder(charSeqSpec({ maxLength: 8, truncate: 'right', stripScheme: true }, 'url'));
  assert.equal(e.json.vocabSize, 97);
  assert.deepEqual([...e.encode('https://www.ab ~\u00e9')], [97 - 30, 98 - 30, 2, 126 - 30, 1, 0, 0, 0]);
  const left = new CharSeqEncoder(charSeqSpec({ maxLength: 4, truncate: 'left' }, 'domain'));
  assert.equal(left.prepare('example.com'), '.com');
  assert.equal(charSeqSpec({}, 'url').maxLength, 75);
  assert.equal(charSeqSpec({}, 'domain').maxLength, 64);
  const again = featurizerFromJSON(JSON.parse(JSON.stringify(e.json))) as CharSeqEncoder;
  assert.deepEqual(again.encode('http://x.org/a'), e.encode('http://x.org/a'));
});

test('cache: write/read round-trip for float32 and int32 features', async () => {
  const dir = tmpDir();
  const f32 = Float32Array.from({ length: 5 * 3 }, (_, i) => i / 7);
  const p = path.join(dir, 'a.dtc');
  await writeCache(p, { sourceName: 's', rows: 5, cols: 3, dtype: 'float32', features: f32, labels: Int32Array.of(0, 1, -1, 1, 0), classes: ['a', 'b'], lines: Uint32Array.of(2, 3, 5, 8, 13), rawOffsets: Float64Array.of(0, 10, 20, 30, 40) }, { note: 'x' });
  const r = await readCache(p);
  assert.deepEqual(r.features, f32);
  assert.deepEqual([...r.labels!], [0, 1, -1, 1, 0]);
  assert.deepEqual([...r.lines], [2, 3, 5, 8, 13]);
  assert.deepEqual([...r.rawOffsets!], [0, 10, 20, 30, 40]);
  assert.deepEqual(r.header.meta, { note: 'x' });
  assert.deepEqual(fs.readdirSync(dir), ['a.dtc']); // no temp file left behind
  const i32 = Int32Array.from({ length: 4 * 2 }, (_, i) => i);
  await writeCache(path.join(dir, 'b.dtc'), { sourceName: 's', rows: 4, cols: 2, dtype: 'int32', features: i32, labels: null, classes: [], lines: Uint32Array.of(1, 2, 3, 4) });
  const rb = await readCache(path.join(dir, 'b.dtc'));
  assert.ok(rb.features instanceof Int32Array);
  assert.deepEqual(rb.features, i32);
  assert.equal(rb.labels, null);
});

test('labels: modes, editable map, unknowns are never guessed; auc helper', () => {
  const five = LabelEncoder.fit('5class', 'kdd', []);
  assert.equal(five.encode('mscan'), 2);
  assert.equal(five.encode('nonsense'), -1);
  const bin = LabelEncoder.fit('binary', 'kdd', [], { attackMap: { normal: 'normal', foo: 'dos' } });
  assert.equal(bin.encode('foo'), 1);
  assert.equal(bin.encode('smurf'), -1);
  const atk = LabelEncoder.fit('attack', 'generic', ['b', 'a']);
  assert.deepEqual(atk.json.classes, ['a', 'b']);
  assert.throws(() => LabelEncoder.fit('5class', 'generic', []));
  assert.equal(auc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
  assert.equal(auc([1, 1, 1, 1], [0, 1, 0, 1]), 0.5);
});
