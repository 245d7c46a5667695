// A real CLI training killed with SIGKILL after its first epoch: on reopening, the run is interrupted with its
// checkpoint, evaluable, and `train --resume` continues it in place to the requested epochs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../../electron/engine';
import { createRouter } from '../../../electron/router';
import { readCheckpoint } from '../../../electron/train/run-files';
import { insertScan } from '../../../electron/scan/scan-store';
import { openWorkspace } from '../../../electron/store/workspace';
import { IMPORT_OWNER_FILE } from '../../../electron/store/recover';
import { REPO_ROOT, tempDir } from '../../helpers/temp';

// One process (tsx as a loader, not its CLI, which would run the engine in a child the kill would miss).
const CLI = ['--import', 'tsx', path.join(REPO_ROOT, 'electron', 'cli', 'index.ts')];

/** 3,000 rows, two classes that overlap a little: small enough that an epoch takes a moment. */
function writeTrainingCsv(dir: string): string {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = ['a,b,c,d,label'];
  for (let i = 0; i < 3000; i++) {
    const bad = i % 3 === 0;
    const f = Array.from({ length: 4 }, (_, j) => (rand() + (bad && j < 2 ? 0.6 : 0)).toFixed(4));
    lines.push([...f, bad ? 'attack' : 'normal'].join(','));
  }
  const file = path.join(dir, 'train.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function cliSync(ws: string, args: string[]) {
  const r = spawnSync(process.execPath, [...CLI, ...args, '--workspace', ws], { encoding: 'utf8', cwd: REPO_ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A pid that certainly belonged to a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('SIGKILL after epoch 1: the run reopens interrupted with its checkpoint, evaluates, and resumes to the requested epochs', async () => {
  const ws = tempDir();
  const trainFile = writeTrainingCsv(tempDir());
  // --patience 0: no early stop, so the process is surely still training when it is killed.
  const child = spawn(process.execPath, [...CLI, 'train', '--train', trainFile, '--model', 'dnn1', '--epochs', '1000', '--batch', '64', '--patience', '0', '--workspace', ws], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const runsDir = path.join(ws, 'runs');
  let runDir: string;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(child.exitCode, null, `training ended before it could be killed: ${stderr}`);
    const dirs = fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [];
    const cp = dirs.length ? readCheckpoint(path.join(runsDir, dirs[0])) : undefined;
    if (cp && cp.epoch >= 1) {
      runDir = path.join(runsDir, dirs[0]);
      break;
    }
  }
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const killedAt = readCheckpoint(runDir)!.epoch;
  assert.ok(killedAt >= 1 && killedAt < 1000);

  const engine = createEngine({ workspaceDir: ws, transport: 'cli' });
  const route = createRouter(engine.handlers);
  const call = async (op: Parameters<typeof route>[0], payload: unknown) => {
    const r = await route(op, payload);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  try {
    const runId = path.basename(runDir);
    assert.deepEqual(engine.workspace.recovered.runs, [runId]);
    const run = await call('runs.get', { runId });
    assert.equal(run.status, 'interrupted');
    assert.equal(run.bestEpoch, killedAt);
    assert.equal((run.history as unknown[]).length, killedAt);
    assert.match(String(run.error), new RegExp(`after epoch ${killedAt} of 1000`));

    // Evaluable: on its own training file's validation rows, through the stored model.
    const { jobId } = await call('eval.start', { runId, datasetId: String(run.datasetId) });
    const ev = await engine.jobs.wait(String(jobId));
    assert.equal(ev.status, 'done', ev.error);
    const evals = engine.evaluations(runId);
    assert.equal(evals.length, 1);
    assert.equal(evals[0].rows, 300);
    assert.ok(evals[0].accuracy > 0.6, `accuracy ${evals[0].accuracy}`);

    // Resumes in place, in another process (the CLI) while this one has the workspace open.
    const target = killedAt + 1;
    const resumed = cliSync(ws, ['train', '--resume', runId, '--epochs', String(target), '--json']);
    assert.equal(resumed.code, 0, resumed.err);
    const out = JSON.parse(resumed.out) as { runId: string; status: string; epochs: number };
    assert.equal(out.runId, runId);
    assert.equal(out.status, 'done');
    assert.equal(out.epochs, target);
    const after = await call('runs.get', { runId });
    assert.equal(after.status, 'done');
    assert.deepEqual(
      (after.history as { epoch: number }[]).map((h) => h.epoch),
      Array.from({ length: target }, (_, i) => i + 1),
    );
    // A done run does not resume; deleting through the CLI removes row and folder.
    assert.match((await route('runs.resume', { runId })).ok ? '' : 'refused', /refused/);
    const del = cliSync(ws, ['runs', 'delete', runId]);
    assert.equal(del.code, 0, del.err);
    assert.equal(fs.existsSync(runDir), false);
    assert.deepEqual(await route('runs.list', {}).then((r) => (r.ok ? r.value : null)), []);
  } finally {
    await engine.close();
  }
});

test('a scan and an import left by a dead process are marked interrupted / removed; a live owner is left alone', () => {
  const ws = tempDir();
  const dead = deadPid();
  const first = openWorkspace(ws);
  first.db.prepare(`INSERT INTO runs (id, model_id, status, created_at, owner_pid) VALUES ('run-x', 'char-cnn', 'done', 0, NULL)`).run();
  insertScan(first.db, { id: 'scan-dead', name: 'a', runId: 'run-x', files: ['/tmp/a.txt'], threshold: 0.5 });
  insertScan(first.db, { id: 'scan-live', name: 'b', runId: 'run-x', files: ['/tmp/b.txt'], threshold: 0.5 });
  first.db.prepare(`UPDATE scans SET status = 'running', owner_pid = ? WHERE id = 'scan-dead'`).run(dead);
  first.db.prepare(`UPDATE scans SET status = 'running', owner_pid = ? WHERE id = 'scan-live'`).run(process.ppid);
  first.db.prepare(`INSERT INTO runs (id, model_id, status, created_at, owner_pid) VALUES ('run-early', 'dnn1', 'running', 0, ?)`).run(dead);
  for (const [id, pid] of [['ds-dead', dead], ['ds-live', process.ppid]] as const) {
    fs.mkdirSync(path.join(ws, 'datasets', id), { recursive: true });
    fs.writeFileSync(path.join(ws, 'datasets', id, IMPORT_OWNER_FILE), String(pid));
  }
  first.close();

  const again = openWorkspace(ws);
  try {
    assert.deepEqual(again.recovered, { runs: ['run-early'], scans: ['scan-dead'], imports: ['ds-dead'] });
    const status = (table: string, id: string) => (again.db.prepare(`SELECT status, error FROM ${table} WHERE id = ?`).get(id) as { status: string; error: string });
    assert.equal(status('scans', 'scan-dead').status, 'interrupted');
    assert.equal(status('scans', 'scan-live').status, 'running');
    // No epoch finished, so there is nothing to keep: failed, saying why.
    assert.equal(status('runs', 'run-early').status, 'failed');
    assert.match(status('runs', 'run-early').error, /before its first epoch/);
    assert.equal(fs.existsSync(path.join(ws, 'datasets', 'ds-dead')), false);
    assert.equal(fs.existsSync(path.join(ws, 'datasets', 'ds-live')), true);
  } finally {
    again.close();
  }
});
