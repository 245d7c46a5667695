import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BENIGN_LABELS, isBenignLabel } from '../../../shared/labels';
import { DEFAULT_BENIGN } from '../../../electron/data/labels/label-encoder';

test('the views name the same classes benign as the label encoder', () => {
  assert.deepEqual([...BENIGN_LABELS], DEFAULT_BENIGN);
  assert.equal(isBenignLabel('Normal'), true);
  assert.equal(isBenignLabel('benign'), true);
  assert.equal(isBenignLabel('dos'), false);
  assert.equal(isBenignLabel('malicious'), false);
});
