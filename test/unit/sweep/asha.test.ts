import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AshaRungs, ashaVerdict, percentile, rungCutoff, rungEpochs } from '../../../electron/sweep/asha';
import { planTrials } from '../../../electron/sweep/space';
import { getModel } from '../../../models/registry';
import { parseDimension } from '../../../shared/sweep';

test('rungs and cuts follow Ray Tune’s ASHA bracket (its docstring example: min_t 1, max_t 10, η 2)', () => {
  assert.deepEqual(rungEpochs(1, 2, 10), [1, 2, 4, 8]);
  assert.deepEqual(rungEpochs(1, 3, 9), [1, 3, 9]);
  assert.deepEqual(rungEpochs(2, 3, 20), [2, 6, 18]);
  assert.deepEqual(rungEpochs(5, 3, 4), []);
  // Trial 1 records 2, trial 2 records 4: the cut at the first rung is 3.0, so trial 3 with 1 is stopped.
  assert.equal(rungCutoff([], 2), null);
  assert.equal(rungCutoff([2], 2), 2);
  assert.equal(rungCutoff([2, 4], 2), 3);
  const rungs = new AshaRungs('valAcc', [1, 2, 4, 8], 2);
  rungs.record([{ epoch: 1, valAcc: 2, valLoss: null }]);
  rungs.record([{ epoch: 1, valAcc: 4, valLoss: null }]);
  const third = rungs.forTrial(10);
  assert.deepEqual(third.rungs[0], { epoch: 1, cutoff: 3 });
  assert.equal(ashaVerdict(third, 1, { valAcc: 1, valLoss: null }), 'stop');
  assert.equal(ashaVerdict(third, 1, { valAcc: 3, valLoss: null }), 'continue');
  // Nothing recorded at rung 2 yet: nobody is stopped there.
  assert.equal(ashaVerdict(third, 2, { valAcc: 0, valLoss: null }), 'continue');
  // numpy's linear-interpolation percentile.
  assert.equal(percentile([1, 2, 3, 4], 75), 3.25);
});

test('a loss is a reward negated: the lower loss goes on, the higher one stops; rungs at or past a trial’s last epoch are left out', () => {
  const rungs = new AshaRungs('valLoss', [1, 3, 9], 3);
  rungs.record([{ epoch: 1, valAcc: null, valLoss: 0.2 }, { epoch: 3, valAcc: null, valLoss: 0.1 }]);
  const t = rungs.forTrial(3);
  assert.deepEqual(t.rungs.map((r) => r.epoch), [1]);
  assert.equal(ashaVerdict(t, 1, { valAcc: null, valLoss: 0.5 }), 'stop');
  assert.equal(ashaVerdict(t, 1, { valAcc: null, valLoss: 0.15 }), 'continue');
  assert.equal(ashaVerdict(t, 1, { valAcc: null, valLoss: NaN }), 'stop');
});

test('grid plans every combination per architecture, round-robin under the budget; keys an architecture lacks are left out', () => {
  const defs = [getModel('lstm'), getModel('cnn1d')];
  const space = { filters: parseDimension('16,32'), units: parseDimension('8,64') };
  const all = planTrials(space, defs, 'grid', 100, 1);
  assert.deepEqual(all.map((t) => `${t.modelId} ${JSON.stringify(t.point)}`), [
    'lstm {"units":8}',
    'cnn1d {"filters":16,"units":8}',
    'lstm {"units":64}',
    'cnn1d {"filters":16,"units":64}',
    'cnn1d {"filters":32,"units":8}',
    'cnn1d {"filters":32,"units":64}',
  ]);
  assert.equal(planTrials(space, defs, 'grid', 3, 1).length, 3);
  // A DNN's layer list takes one width for every layer, keeping its depth.
  assert.deepEqual(planTrials({ units: parseDimension('64') }, [getModel('dnn3')], 'grid', 5, 1)[0].point, { units: [64, 64, 64] });
  assert.throws(() => planTrials({ filters: parseDimension('8') }, [getModel('lstm')], 'grid', 5, 1), /no chosen architecture reads 'filters'/);
});

test('random search is seeded, stays inside its ranges (log-uniform where asked) and skips repeats', () => {
  const space = { learningRate: parseDimension('0.0001:0.1:log'), units: parseDimension('16:64:int'), dropout: parseDimension('0,0.5') };
  const a = planTrials(space, [getModel('gru')], 'random', 30, 7);
  assert.deepEqual(planTrials(space, [getModel('gru')], 'random', 30, 7), a);
  assert.notDeepEqual(planTrials(space, [getModel('gru')], 'random', 30, 8), a);
  assert.equal(a.length, 30);
  assert.equal(new Set(a.map((t) => JSON.stringify(t.point))).size, 30);
  for (const t of a) {
    const lr = t.point.learningRate as number;
    assert.ok(lr >= 0.0001 && lr <= 0.1);
    assert.ok(Number.isInteger(t.point.units) && (t.point.units as number) >= 16 && (t.point.units as number) <= 64);
    assert.ok([0, 0.5].includes(t.point.dropout as number));
  }
  // Log-uniform: about half the draws fall below the geometric middle (≈ 0.0032), not ~3 % as uniform would.
  const below = a.filter((t) => (t.point.learningRate as number) < 0.00316).length;
  assert.ok(below >= 8 && below <= 22, `${below} of 30 below the geometric middle`);
  // Only three distinct points exist: the planner stops instead of looping.
  assert.equal(planTrials({ dropout: parseDimension('0,0.2,0.5') }, [getModel('gru')], 'random', 10, 1).length, 3);
  assert.throws(() => parseDimension('1:x'), /MIN and MAX must be numbers/);
  assert.deepEqual(parseDimension('none, balanced'), { values: ['none', 'balanced'] });
});
