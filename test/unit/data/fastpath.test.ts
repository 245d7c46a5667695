import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { TabularFitter, auc, importFile, importToCache, openDataset, readCache, readRecords } from '../../../electron/data';
import { hash53 } from '../../../electron/data/primitives/byte-hash';
import { data, tmpDir } from './helpers';

const slog = (v: number) => (v === 0 ? 0 : v > 0 ? Math.log1p(v) : -Math.log1p(-v));

test("byte parser = Number() / string fields on every row of the KDD'99 files", async () => {
  for (const f of ['kddcup.data_10_percent.gz', 'corrected.gz']) {
    const r = await openDataset(data('kddcup99', f), { errors: 'strict' });
    const isCat = r.schema.columns.map((c) => c.type === 'categorical');
    let rows = 0;
    for await (const sc of r.coded!({ log: true, hash: true })) {
      const b = sc.batch;
      for (let i = 0; i < b.n; i++, rows++) {
        const text = b.text(i);
        const fields = text.split(',');
        let k = 0;
        let c = 0;
        for (let j = 0; j < 41; j++) {
          if (isCat[j]) {
            assert.equal(sc.cats[c].names[b.cat[i * b.nCat + c]], fields[j]);
            c++;
          } else {
            const want = Number(fields[j]);
            // Object.is: bit-identical including -0.
            if (!Object.is(b.x[i * b.nNum + k], want)) assert.fail(`${f}:${b.line[i]} field ${j + 1}: ${b.x[i * b.nNum + k]} != Number("${fields[j]}")`);
            if (!Object.is(b.t[i * b.nNum + k], slog(want))) assert.fail(`${f}:${b.line[i]} field ${j + 1}: log1p differs`);
            k++;
          }
        }
        assert.equal(sc.labels.names[b.label[i]], fields[41].replace(/\.$/, ''));
        const h = hash53(text.slice(0, text.lastIndexOf(',')));
        assert.equal(b.hi[i] * 4294967296 + b.lo[i], h);
      }
    }
    assert.equal(rows, f === 'corrected.gz' ? 311_029 : 494_021);
  }
});

test('byte path and record path give the same summary statistics and encoded features (first 5000 real rows)', async () => {
  const dir = tmpDir();
  const lines = zlib.gunzipSync(fs.readFileSync(data('kddcup99', 'corrected.gz'))).toString('latin1').split('\n').slice(0, 5000);
  // A few irregular lines send their rows through the string parser inside the byte path.
  lines[10] = lines[10].replace(/^0,/, '0.0e0,');
  lines[20] = lines[20] + '\r';
  const odd = lines[30].split(',');
  odd[1] += '\u00e9';
  lines[30] = odd.join(',');
  const p = path.join(dir, 'head.txt');
  fs.writeFileSync(p, lines.join('\n') + '\n', 'utf8');
  for (const scaling of ['log1p-zscore', 'minmax'] as const) {
    const fast = await importFile(p, { scaling, labels: { mode: 'attack' } });
    assert.equal(fast.encoded.rows, 5000);

    const fitter = new TabularFitter((await openDataset(p)).schema.columns, scaling);
    const recs: Array<{ num: Float64Array; cat: string[]; label: string; line: number }> = [];
    for await (const rec of readRecords(p)) {
      fitter.updateRow(rec.num!, rec.cat!);
      recs.push({ num: Float64Array.from(rec.num!), cat: rec.cat!, label: rec.label!, line: rec.line });
    }
    const f = fitter.finish();
    assert.deepEqual(fast.featurizer, f.json);
    const out = new Float32Array(recs.length * f.dim);
    recs.forEach((r, i) => f.encodeRow(r.num, r.cat, out, i * f.dim));
    assert.deepEqual(fast.encoded.features, out);
    assert.deepEqual([...fast.encoded.lines], recs.map((r) => r.line));
    assert.deepEqual(fast.encoded.labels, Int32Array.from(recs, (r) => fast.labelEncoder!.classes.indexOf(r.label)));
    for (let k = 0; k < fast.summary.numeric.length; k++) {
      const col = recs.map((r) => r.num[k]);
      const s = fast.summary.numeric[k];
      assert.equal(s.min, Math.min(...col));
      assert.equal(s.max, Math.max(...col));
      assert.equal(s.mean, col.reduce((a, b) => a + b, 0) / col.length);
    }
    const svc = new Map<string, number>();
    for (const r of recs) svc.set(r.cat[1], (svc.get(r.cat[1]) ?? 0) + 1);
    assert.equal(fast.summary.categorical[1].cardinality, svc.size);
    assert.ok(fast.summary.categorical[0].top.some(([k]) => k.endsWith('\u00e9')));

    // Given featurizer: the byte path's direct encoder and the streaming cache agree with encodeRow too.
    const again = await importFile(p, { featurizer: f.json, labelEncoder: fast.labelEncoder! });
    assert.deepEqual(again.encoded.features, out);
    const c = await importToCache(p, path.join(dir, `cache-${scaling}`), { scaling, labels: { mode: 'attack' } });
    assert.deepEqual((await readCache(c.cachePath)).features, out);
    assert.deepEqual(c.summary, { ...fast.summary });
  }
});

test('auc: counting path (small counts / rates), radix path and the pairwise definition agree exactly', () => {
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const gens: Array<() => number> = [
    () => Math.floor(rnd() * 6),
    () => Math.round(rnd() * 100) / 100,
    () => (rnd() < 0.2 ? NaN : Math.round(rnd() * 1000) / 1000),
    () => rnd() * 1e6 - 5e5,
    () => Math.floor(rnd() * 200_000),
  ];
  for (const g of gens) {
    for (const n of [40, 700]) {
      const s = Float64Array.from({ length: n }, g);
      const p = Uint8Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
      let wins = 0;
      let np = 0;
      for (let i = 0; i < n; i++) {
        if (!p[i]) continue;
        np++;
        const a = s[i] !== s[i] ? -Infinity : s[i];
        for (let j = 0; j < n; j++) {
          if (p[j]) continue;
          const b = s[j] !== s[j] ? -Infinity : s[j];
          wins += b < a ? 1 : b === a ? 0.5 : 0;
        }
      }
      assert.equal(auc(s, p), wins / (np * (n - np)));
    }
  }
});
