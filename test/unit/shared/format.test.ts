import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRunName, trialRunName } from '../../../shared/run';
import { formatBytes, formatCount, formatDuration, formatNumber, formatPercent, formatScore, formatShort, formatSigned, formatValue } from '../../../shared/format';

test('counts carry thousands separators and never a fraction', () => {
  assert.equal(formatCount(1071), '1,071');
  assert.equal(formatCount(125_973), '125,973');
  assert.equal(formatCount(7), '7');
  assert.equal(formatCount(2.6), '3');
  // A float32 decoding of 0 can come back as -1e-9: it is 0, not "-0".
  assert.equal(formatCount(-1e-9), '0');
});

test('percentages and measurements keep fixed decimals; no exponent notation at any size', () => {
  assert.equal(formatPercent(0.98765), '98.77 %');
  assert.equal(formatPercent(0.5, 1), '50.0 %');
  assert.equal(formatPercent(1), '100.00 %');
  // The three forms the issue found on one page (0.02000, 255.0, 2.43e+4) in one form.
  assert.deepEqual([0.02, 255, 24_300].map((v) => formatNumber(v, 4)), ['0.0200', '255.0000', '24,300.0000']);
  assert.equal(formatNumber(2.5e-7, 3), '0.000');
  assert.equal(formatNumber(-2.5e-7, 3), '0.000');
  assert.equal(formatNumber(-0.25, 2), '-0.25');
  assert.equal(formatNumber(1.5e12, 1), '1,500,000,000,000.0');
  assert.doesNotMatch([formatNumber(1e21, 2), formatNumber(-3e-9, 4)].join(' '), /e[+-]/);
  assert.equal(formatSigned(0.1234), '+0.123');
  assert.equal(formatSigned(-0.1234), '-0.123');
  assert.equal(formatSigned(0.00004, 1), '0.0');
});

test('a score reads with 4 decimals in every result list, never 3 in one and 4 in another', () => {
  assert.deepEqual([0.99951, 0.5, 1, 0.00004].map(formatScore), ['0.9995', '0.5000', '1.0000', '0.0000']);
});

test('settings and axis ticks keep their own significant digits, never an exponent', () => {
  assert.deepEqual([0.2, 0.23456, 0.0001, 1024, 128, -0.5, 12.3456].map((v) => formatShort(v)), ['0.2', '0.235', '0.0001', '1,024', '128', '-0.5', '12.3']);
  assert.equal(formatShort(1234.5678), '1,235');
  assert.doesNotMatch(formatShort(3e-9), /e/);
});

test('table cells: integers as counts, the rest as measurements, missing as a dash', () => {
  assert.equal(formatValue(54_540), '54,540');
  assert.equal(formatValue(0.02), '0.020');
  assert.equal(formatValue(null), '—');
  assert.equal(formatValue(Number.NaN), '—');
});

test('bytes and durations', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(18_242_318), '18.2 MB');
  assert.equal(formatBytes(1_500_000_000), '1.5 GB');
  assert.equal(formatDuration(4.2), '5 s');
  assert.equal(formatDuration(185), '3 min 05 s');
  assert.equal(formatDuration(3720), '1 h 02 min');
});

test('a sweep trial is named by its sweep, number and drawn settings, in the forms run names use', () => {
  assert.equal(
    trialRunName('dnn1 on KDDTrain+', 2, { learningRate: 0.003, dropout: 0.2, batchSize: 128 }),
    'dnn1 on KDDTrain+ · trial 3 · lr 3e-3 · dropout 0.2 · b128',
  );
  // Random search draws long fractions; several architectures name the trial's; layer widths as 64-32.
  assert.equal(trialRunName('s', 0, { learningRate: 0.0031234, dropout: 0.23456, units: [64, 32] }, 'lstm'), 's · trial 1 · lstm · lr 3.12e-3 · dropout 0.235 · units 64-32');
  const long = trialRunName('x'.repeat(200), 9, { learningRate: 0.01 });
  assert.equal(long.length, 120);
  assert.match(long, /^x+… · trial 10 · lr 1e-2$/);
});

test('a run of short epochs says their length in its default name, so "40 ep" is not read as 40 passes', () => {
  assert.equal(defaultRunName('char-cnn', 'urls-full-train', { epochs: 40, stepsPerEpoch: 150, batchSize: 256, learningRate: 0.001 }), 'char-cnn · urls-full-train · 40 ep · 150 b/ep · b256 · lr 1e-3');
  assert.equal(defaultRunName('dnn1', 'KDDTrain+', { epochs: 10, stepsPerEpoch: 0, batchSize: 512, learningRate: 0.001 }), 'dnn1 · KDDTrain+ · 10 ep · b512 · lr 1e-3');
});
