import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian } from '../../../electron/embed/gauss';
import { pcaReduce } from '../../../electron/embed/pca';
import { project } from '../../../electron/embed/project';
import { neighbourAgreement } from '../../../electron/embed/quality';

/** Well-separated Gaussian classes in `d` dimensions: class c is centred at 8·e_c, unit spread. */
function blobs(perClass: number, classes: number, d: number, seed = 1): { x: Float32Array; labels: Int32Array; n: number } {
  const g = gaussian(seed);
  const n = perClass * classes;
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = g() + (j === c ? 8 : 0);
  }
  return { x, labels, n };
}

for (const method of ['umap', 'tsne'] as const) {
  test(`${method}: well-separated classes stay separated in 2-D (5-NN label agreement > 0.9)`, () => {
    const { x, labels, n } = blobs(150, 4, 20);
    const xy = project(x, n, 20, method, 7);
    assert.equal(xy.length, n * 2);
    assert.ok(xy.every(Number.isFinite));
    const agreement = neighbourAgreement(xy, labels, 5)!;
    assert.ok(agreement > 0.9, `agreement ${agreement}`);
  });

  test(`${method}: the same seed gives identical coordinates, another seed different ones`, () => {
    const { x, n } = blobs(60, 3, 12, 3);
    const a = project(x, n, 12, method, 11);
    const b = project(x, n, 12, method, 11);
    const c = project(x, n, 12, method, 12);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
}

test('wide vectors are PCA-reduced first and still keep the classes apart', () => {
  const { x, labels, n } = blobs(100, 3, 120, 5);
  const reduced = pcaReduce(x, n, 120, 10, 1);
  assert.equal(reduced.length, n * 10);
  // The three class directions dominate the variance, so the first components already separate them.
  assert.ok(neighbourAgreement(reduced.filter((_, i) => i % 10 < 2), labels, 5)! > 0.9);
  const xy = project(x, n, 120, 'umap', 2);
  assert.ok(neighbourAgreement(xy, labels, 5)! > 0.9);
});
