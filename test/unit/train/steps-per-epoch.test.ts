import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEpochs, type EpochSettings } from '../../../electron/train/epochs';
import { checkTrainParams } from '../../../electron/train/params';
import type { EpochStats, Hyperparams } from '../../../models/types';

/**
 * stepsPerEpoch cuts a long pass into shorter epochs (as Keras' steps_per_epoch), so a run on a large file
 * validates and checkpoints before its time share ends. The rows each batch sees must not change: the batches
 * walk the same shuffled passes as with whole-pass epochs, and a resumed fit continues mid-pass exactly.
 */
const ROWS = 100;
const BATCH = 10;
const P: Hyperparams = { epochs: 2, batchSize: 32, learningRate: 1e-3, optimizer: 'adam' };

async function walk(settings: Partial<EpochSettings>, opts: { resumeEpochs?: number; stopAfterBatches?: number } = {}) {
  const order = Int32Array.from({ length: ROWS }, (_, i) => i);
  const batches: number[][] = [];
  let validations = 0;
  const history: EpochStats[] = Array.from({ length: opts.resumeEpochs ?? 0 }, (_, i) => ({ epoch: i + 1, loss: 1, acc: 0, valLoss: 1, valAcc: 0, wallMs: 1 }));
  const out = await runEpochs(
    {
      rows: ROWS,
      order,
      settings: { epochs: 2, batchSize: BATCH, patience: 0, minDelta: 0, predictBatch: 64, seed: 7, stepsPerEpoch: 0, ...settings },
      t0: 0,
      cancelled: false,
      ...(opts.resumeEpochs ? { resume: { history } } : {}),
      shouldStop: () => opts.stopAfterBatches !== undefined && batches.length >= opts.stopAfterBatches,
    },
    {
      batch: async (from, to) => {
        batches.push([...order.subarray(from, to)]);
        return { loss: 1 / (batches.length + 1), correct: to - from };
      },
      validate: async () => {
        validations++;
        return { loss: 1 / (validations + 1), acc: 0.5 };
      },
      keepBest: () => {},
    },
  );
  return { batches, validations, out };
}

test('stepsPerEpoch: shorter epochs walk the same shuffled passes, each row once per pass', async () => {
  const whole = await walk({ epochs: 2 });
  const cut = await walk({ epochs: 5, stepsPerEpoch: 4 });
  assert.equal(whole.batches.length, 20);
  assert.deepEqual(cut.batches, whole.batches, 'the same rows in the same batches');
  assert.equal(cut.validations, 5, 'one validation per 4-batch epoch');
  assert.deepEqual(cut.out.history.map((h) => h.epoch), [1, 2, 3, 4, 5]);
  for (const pass of [cut.batches.slice(0, 10).flat(), cut.batches.slice(10, 20).flat()]) {
    assert.deepEqual([...pass].sort((a, b) => a - b), Array.from({ length: ROWS }, (_, i) => i));
  }
  assert.notDeepEqual(cut.batches.slice(0, 10).flat(), cut.batches.slice(10, 20).flat(), 'each pass is shuffled anew');
});

test('stepsPerEpoch: a resumed fit continues mid-pass with the batches the uninterrupted fit had', async () => {
  const full = await walk({ epochs: 5, stepsPerEpoch: 4 });
  const resumed = await walk({ epochs: 5, stepsPerEpoch: 4 }, { resumeEpochs: 2 });
  assert.deepEqual(resumed.batches, full.batches.slice(8));
  assert.deepEqual(resumed.out.history.map((h) => h.epoch), [1, 2, 3, 4, 5]);
});

test('stepsPerEpoch: a run stopped before its first pass ends still has a best epoch to keep', async () => {
  // Whole-pass epochs: stopped after 6 of 10 batches, nothing was validated, nothing can be kept.
  const whole = await walk({ epochs: 1 }, { stopAfterBatches: 6 });
  assert.equal(whole.out.bestEpoch, null);
  const cut = await walk({ epochs: 10, stepsPerEpoch: 3 }, { stopAfterBatches: 7 });
  assert.equal(cut.out.cancelled, true);
  assert.equal(cut.batches.length, 7);
  assert.equal(cut.out.bestEpoch, 2, 'two 3-batch epochs ended, the second validated best');
});

test('stepsPerEpoch is checked before a run is queued', () => {
  assert.doesNotThrow(() => checkTrainParams({ ...P, stepsPerEpoch: 200 }));
  assert.throws(() => checkTrainParams({ ...P, stepsPerEpoch: -1 }), /stepsPerEpoch/);
  assert.throws(() => checkTrainParams({ ...P, stepsPerEpoch: 2.5 }), /stepsPerEpoch/);
});
