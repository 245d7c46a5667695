import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmThreadsFor, replicasFor } from '../../../electron/train/train-job';
import { getModel } from '../../../models/registry';

test('replicasFor shares the cores fairly between running jobs and keeps enough rows per replica', () => {
  // One job alone takes every core; two jobs split them; more jobs than cores get one replica each; a
  // share of 2 cores is one replica (measured as fast or faster than two, see MIN_SHARE_FOR_REPLICAS).
  assert.equal(replicasFor({}, 1, 'wasm', 2), 1);
  assert.equal(replicasFor({}, 2, 'wasm', 2), 1);
  assert.equal(replicasFor({}, 1, 'wasm', 4), 4);
  assert.equal(replicasFor({}, 2, 'wasm', 4), 1);
  assert.equal(replicasFor({}, 1, 'wasm', 3), 3);
  assert.equal(replicasFor({}, 1, 'wasm', 16), 16);
  assert.equal(replicasFor({}, 2, 'wasm', 16), 8);
  assert.equal(replicasFor({}, 3, 'wasm', 16), 5);
  assert.equal(replicasFor({}, 40, 'wasm', 16), 1);
  // At least 32 rows of the batch per replica.
  assert.equal(replicasFor({ batchSize: 64 }, 1, 'wasm', 16), 2);
  assert.equal(replicasFor({ batchSize: 256 }, 1, 'wasm', 16), 8);
  assert.equal(replicasFor({ batchSize: 16 }, 1, 'wasm', 16), 1);
  // Only the wasm backend runs replicas; an explicit choice wins (capped at 16).
  assert.equal(replicasFor({}, 1, 'cpu', 16), 1);
  assert.equal(replicasFor({ replicas: 3 }, 2, 'wasm', 2), 3);
  assert.equal(replicasFor({ replicas: 64 }, 1, 'wasm', 2), 16);
  // An architecture that declares data-parallel useless gets one replica unless asked; the one-time-step
  // recurrent records models declare it, the feed-forward ones do not.
  assert.equal(replicasFor({}, 1, 'wasm', 16, false), 1);
  assert.equal(replicasFor({ replicas: 2 }, 1, 'wasm', 16, false), 2);
  for (const id of ['lstm', 'gru', 'simplernn', 'bilstm', 'bigru', 'birnn']) assert.equal(getModel(id).dataParallel, false, id);
  for (const id of ['dnn5', 'char-cnn', 'cnn-lstm']) assert.notEqual(getModel(id).dataParallel, false, id);
});

test('gemmThreadsFor gives a lone single replica its core share for matrix products, one thread otherwise', () => {
  assert.equal(gemmThreadsFor(1, 1, 'wasm', 2), 2);
  assert.equal(gemmThreadsFor(1, 2, 'wasm', 2), 1);
  assert.equal(gemmThreadsFor(1, 3, 'wasm', 2), 1);
  assert.equal(gemmThreadsFor(1, 1, 'wasm', 16), 8);
  // Replicas are the parallelism; other backends run their own threads.
  assert.equal(gemmThreadsFor(4, 1, 'wasm', 4), 1);
  assert.equal(gemmThreadsFor(1, 1, 'cpu', 2), 1);
});
