import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSample } from '../../../electron/embed/sample';

function labelsOf(counts: number[]): Int32Array {
  // Interleaved, so a sample that just took the first rows would get the proportions wrong.
  const out: number[] = [];
  const left = [...counts];
  while (left.some((c) => c > 0)) left.forEach((c, k) => c > 0 && (out.push(k), left[k]--));
  return Int32Array.from(out);
}

test('the stratified sample keeps class proportions (largest-remainder rounding)', () => {
  const counts = [70_000, 20_000, 9_000, 900, 100];
  const labels = labelsOf(counts);
  const rows = stratifiedSample(labels, labels.length, 5000, 42);
  assert.equal(rows.length, 5000);
  assert.equal(new Set(rows).size, 5000);
  const got = counts.map(() => 0);
  for (const r of rows) got[labels[r]]++;
  const total = counts.reduce((a, b) => a + b, 0);
  counts.forEach((c, k) => assert.ok(Math.abs(got[k] - (c * 5000) / total) < 1, `class ${k}: ${got[k]} of 5000 for ${c} of ${total}`));
  assert.deepEqual(got, [3500, 1000, 450, 45, 5]);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i] > rows[i - 1], 'rows come sorted');
});

test('same labels, size and seed → the same rows; another seed → other rows', () => {
  const labels = labelsOf([3000, 1000]);
  const a = stratifiedSample(labels, labels.length, 500, 7);
  assert.deepEqual(a, stratifiedSample(labels, labels.length, 500, 7));
  assert.notDeepEqual(a, stratifiedSample(labels, labels.length, 500, 8));
});

test('a sample as large as the dataset is all of it; unlabelled data is one stratum', () => {
  assert.deepEqual([...stratifiedSample(Int32Array.from([0, 1, 1]), 3, 10, 1)], [0, 1, 2]);
  const rows = stratifiedSample(null, 1000, 100, 3);
  assert.equal(rows.length, 100);
  assert.ok(rows.every((r) => r < 1000));
});
