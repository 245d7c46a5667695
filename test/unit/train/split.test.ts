import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDataset, stratifiedSplit } from '../../../electron/train/split';
import { classWeights } from '../../../electron/train/class-weights';

const y = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : i < 900 ? 1 : 2));

function counts(idx: Int32Array): number[] {
  const c = [0, 0, 0];
  for (const i of idx) c[y[i]]++;
  return c;
}

test('stratified split keeps class ratios and partitions the rows', () => {
  const { rest, picked } = stratifiedSplit(y, 0.2, 42);
  assert.deepEqual(counts(picked), [140, 40, 20]);
  assert.deepEqual(counts(rest), [560, 160, 80]);
  const all = [...rest, ...picked].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i));
});

test('split is seeded: same seed same rows, other seed other rows', () => {
  assert.deepEqual(stratifiedSplit(y, 0.2, 7), stratifiedSplit(y, 0.2, 7));
  assert.notDeepEqual(stratifiedSplit(y, 0.2, 7).picked, stratifiedSplit(y, 0.2, 8).picked);
});

test('tiny classes: at least one row each side, singletons stay in training', () => {
  const small = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
  const { rest, picked } = stratifiedSplit(small, 0.1, 1);
  const pc = [...picked].map((i) => small[i]);
  const rc = [...rest].map((i) => small[i]);
  assert.ok(pc.includes(0) && pc.includes(1) && !pc.includes(2));
  assert.ok(rc.includes(1) && rc.includes(2));
});

test('splitDataset copies rows with their labels', () => {
  const x = Float32Array.from({ length: 1000 * 2 }, (_, i) => Math.floor(i / 2));
  const { train, val } = splitDataset({ x, y, rows: 1000, cols: 2 }, 0.1, 3);
  assert.ok(val);
  assert.equal(train.rows + val.rows, 1000);
  for (let r = 0; r < val.rows; r++) {
    const src: number = val.x[r * 2];
    assert.equal(val.x[r * 2 + 1], src);
    assert.equal(val.y[r], y[src]);
  }
  assert.equal(splitDataset({ x, y, rows: 1000, cols: 2 }, 0, 3).val, null);
});

test('balanced class weights are n / (k · n_c)', () => {
  const w = classWeights('balanced', y, 3) as Float32Array;
  assert.ok(Math.abs(w[0] - 1000 / (3 * 700)) < 1e-6);
  assert.ok(Math.abs(w[2] - 1000 / (3 * 100)) < 1e-6);
  assert.equal(classWeights('none', y, 3), null);
  assert.throws(() => classWeights([1, 2], y, 3), /3 non-negative/);
});
