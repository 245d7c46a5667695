import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etaSeconds, runEpochs } from '../../../electron/train/epochs';
import type { Progress } from '../../../models/types';

/**
 * The first training step carries the one-off setup (kernel compilation, first allocations). The estimate of
 * the time left comes from the steps after it, so the first figure shown is close to the truth, not several
 * times too high. A scripted clock makes the times exact: 5 s for the first step, 100 ms for every later one.
 */
test('the time-left estimate uses measured steps after the first, never the setup-heavy first step', async () => {
  let clock = 0;
  let steps = 0;
  const events: Progress[] = [];
  const rows = 100;
  const batch = 10;
  await runEpochs(
    {
      rows,
      order: Int32Array.from({ length: rows }, (_, i) => i),
      settings: { epochs: 3, batchSize: batch, patience: 0, minDelta: 0, predictBatch: 64, seed: 1, stepsPerEpoch: 0 },
      t0: 0,
      cancelled: false,
      now: () => clock,
      onProgress: (p) => events.push(p),
    },
    {
      batch: async () => {
        clock += steps++ === 0 ? 5000 : 100;
        return { loss: 0.5, correct: 5 };
      },
      validate: async () => null,
      keepBest: () => {},
    },
  );
  const batches = events.filter((e) => e.phase === 'batch');
  assert.equal(batches.length, 30);
  // After the first step nothing is measured yet: no estimate rather than a guess.
  assert.ok(Number.isNaN(batches[0].etaSeconds));
  // After the second: 28 steps of 100 ms remain, 2.8 s (a rate taken over the first step would say ~70 s).
  assert.equal(batches[1].etaSeconds, 2.8);
  assert.equal(batches[15].etaSeconds, 1.4);
  assert.equal(batches.at(-1)!.etaSeconds, 0);
  const firstEpochEnd = events.find((e) => e.phase === 'epoch')!;
  assert.equal(firstEpochEnd.etaSeconds, 2);
});

test('etaSeconds scales the measured time per row to the rows left', () => {
  assert.equal(etaSeconds(1000, 100, 50), 0.5);
  assert.ok(Number.isNaN(etaSeconds(0, 0, 50)));
});
