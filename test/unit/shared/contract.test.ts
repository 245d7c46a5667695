import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { operations, events, isOpName } from '../../../shared/contract';
import { createEngine } from '../../../electron/engine';
import { createRouter } from '../../../electron/router';
import { tempDir } from '../../helpers/temp';

const engine = createEngine({ workspaceDir: tempDir(), transport: 'cli' });
after(() => engine.close());
const call = createRouter(engine.handlers);

test('a valid call returns its value in an ok envelope', async () => {
  const r = await call('app.info', {});
  assert.equal(r.ok, true);
  assert.equal((r as { value: { name: string } }).value.name, 'DeepTriage');
});

test('an unknown operation is a typed error, not a crash', async () => {
  for (const op of ['nope', 42, null, '__proto__', 'constructor', 'toString']) {
    const r = await call(op, {});
    assert.equal(r.ok, false, String(op));
    assert.equal(!r.ok && r.error.code, 'UNKNOWN_OPERATION');
  }
});

test('malformed payloads are refused with INVALID_PAYLOAD naming the field', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['jobs.cancel', {}, /jobId/],
    ['jobs.cancel', { jobId: 7 }, /jobId/],
    ['jobs.cancel', { jobId: 'x', extra: true }, /extra|Unrecognized/i],
    ['jobs.cancel', 'a string', /payload|expected object/i],
    ['jobs.cancel', null, /payload|expected object/i],
    ['compute.benchmark', { size: 1e9 }, /size/],
    ['compute.benchmark', { size: 12.5 }, /size/],
    ['app.info', { sneaky: 1 }, /sneaky|Unrecognized/i],
  ];
  for (const [op, payload, pattern] of cases) {
    const r = await call(op, payload);
    assert.equal(r.ok, false, `${op} ${JSON.stringify(payload)}`);
    if (!r.ok) {
      assert.equal(r.error.code, 'INVALID_PAYLOAD');
      assert.match(r.error.message, pattern);
    }
  }
});

test('defaults from the schema reach the handler', async () => {
  const r = await call('compute.benchmark', { repeats: 1 });
  assert.equal(r.ok, true);
  const jobId = (r as { value: { jobId: string } }).value.jobId;
  const done = await engine.jobs.wait(jobId);
  assert.equal(done.status, 'done', done.error);
  assert.equal((done.result as { size: number }).size, 256);
});

test('a missing entity is NOT_FOUND', async () => {
  const r = await call('runs.delete', { runId: 'does-not-exist' });
  assert.equal(!r.ok && r.error.code, 'NOT_FOUND');
});

test('every operation and event has a runtime schema', () => {
  for (const [name, op] of Object.entries(operations)) {
    assert.ok(isOpName(name));
    assert.equal(typeof op.request.safeParse, 'function', name);
    assert.equal(typeof op.response.safeParse, 'function', name);
  }
  for (const schema of Object.values(events)) assert.equal(typeof schema.safeParse, 'function');
});
