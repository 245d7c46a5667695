import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { createEngine } from '../../../electron/engine';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { REPO_ROOT, tempDir } from '../../helpers/temp';

/**
 * Two front doors on one workspace at once (#13 point 6): the localhost host trains over its socket while a
 * real CLI process imports into the same workspace. Both finish intact, and each door sees the other's work.
 */
const workspaceDir = tempDir();
const files = tempDir();
const renderer = tempDir();
fs.writeFileSync(path.join(renderer, 'index.html'), '<html><body>t</body></html>');

const engine = createEngine({ workspaceDir, transport: 'host' });
let host: RunningHost;
before(async () => {
  host = await startHost({ engine, rendererDir: renderer });
});
after(async () => {
  await host.close();
  await engine.close();
});

/** A small labelled CSV: two classes apart on the first features, so one epoch learns something. */
function csv(rows: number, seed: number): string {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out = ['f1,f2,f3,f4,proto,label'];
  for (let i = 0; i < rows; i++) {
    const bad = i % 3 === 0;
    const shift = bad ? 3 : 0;
    out.push(`${(rnd() + shift).toFixed(3)},${(rnd() * 2 + shift).toFixed(3)},${rnd().toFixed(3)},${Math.floor(rnd() * 100)},${['tcp', 'udp', 'icmp'][i % 3]},${bad ? 'attack' : 'normal'}`);
  }
  return out.join('\n') + '\n';
}

/** The socket door: calls answered by id, events kept with the time they came. */
async function connect() {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const events: { at: number; name: string; payload: { jobId?: string; status?: string } }[] = [];
  const waiting = new Map<number, (r: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.type === 'event') events.push({ at: Date.now(), name: m.name, payload: m.payload });
    if (m.type === 'result') waiting.get(m.id)?.(m.result);
  });
  let id = 0;
  const call = async <T>(op: string, payload: unknown): Promise<T> => {
    const n = ++id;
    const r = await new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve) => {
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ type: 'call', id: n, op, payload }));
    });
    assert.ok(r.ok, `${op}: ${r.error?.message}`);
    return r.value as T;
  };
  /** Resolves when the job reaches an end state, as the socket reports it. */
  const ended = async (jobId: string) => {
    for (;;) {
      const job = await call<{ status: string; error: string | null }>('jobs.get', { jobId });
      if (!['queued', 'running'].includes(job.status)) return { ...job, at: Date.now() };
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { ws, events, call, ended };
}

/** The CLI door: a real process on the same workspace, not awaited synchronously (the host must keep serving). */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string; startedAt: number; endedAt: number }> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'electron', 'cli', 'index.ts'), ...args], { cwd: REPO_ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err, startedAt, endedAt: Date.now() })));
}

test('the host trains while a CLI process imports into the same workspace; both finish intact', async () => {
  const door = await connect();
  const trainFile = path.join(files, 'train.csv');
  fs.writeFileSync(trainFile, csv(12_000, 1));
  const cliFile = path.join(files, 'from-cli.csv');
  fs.writeFileSync(cliFile, csv(3_000, 2));

  const imp = await door.call<{ jobId: string }>('datasets.import', { path: trainFile, name: 'host-train', options: {} });
  const imported = await door.ended(imp.jobId);
  assert.equal(imported.status, 'done', imported.error ?? '');
  const [hostSet] = await door.call<{ id: string }[]>('datasets.list', {});

  const { runs } = await door.call<{ runs: { runId: string; jobId: string }[] }>('train.start', {
    datasetId: hostSet.id,
    modelIds: ['dnn1'],
    params: { epochs: 1, batchSize: 16 },
  });
  // The CLI starts while the run is under way, and opens, recovers and writes the same database meanwhile.
  const running = await door.call<{ status: string }>('runs.get', { runId: runs[0].runId });
  assert.ok(['queued', 'running'].includes(running.status), running.status);
  const [cliDone, trained] = await Promise.all([cli(['--workspace', workspaceDir, '--json', 'import', cliFile, '--name', 'cli-import']), door.ended(runs[0].jobId)]);

  assert.equal(cliDone.code, 0, cliDone.err);
  assert.equal(JSON.parse(cliDone.out).rows, 3_000);
  assert.equal(trained.status, 'done', trained.error ?? '');
  assert.ok(cliDone.startedAt < trained.at, 'the CLI ran while the host trained');

  const run = await door.call<{ status: string; history: { loss: number; acc?: number }[]; error: string | null }>('runs.get', { runId: runs[0].runId });
  assert.equal(run.status, 'done', run.error ?? '');
  assert.equal(run.history.length, 1);
  assert.ok(Number.isFinite(run.history[0].loss));

  // Each door lists both datasets and the run, and the CLI's dataset reads back whole through the socket.
  const names = (await door.call<{ name: string }[]>('datasets.list', {})).map((d) => d.name).sort();
  assert.deepEqual(names, ['cli-import', 'host-train']);
  const cliSet = (await door.call<{ id: string; name: string; rows: number }[]>('datasets.list', {})).find((d) => d.name === 'cli-import')!;
  assert.equal(cliSet.rows, 3_000);
  assert.equal((await door.call<{ summary: { rows: number } }>('datasets.get', { datasetId: cliSet.id })).summary.rows, 3_000);
  const listed = await cli(['--workspace', workspaceDir, '--json', 'datasets']);
  assert.equal(listed.code, 0, listed.err);
  assert.deepEqual((JSON.parse(listed.out) as { name: string }[]).map((d) => d.name).sort(), ['cli-import', 'host-train']);
  door.ws.close();
});
