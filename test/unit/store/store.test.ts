import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { openDatabase, schemaVersion } from '../../../electron/store/db';
import { MIGRATIONS } from '../../../electron/store/migrations';
import { writeFileAtomic, removeStaleTempFiles } from '../../../electron/store/atomic';
import { openWorkspace, resolveWorkspaceDir, defaultWorkspaceDir } from '../../../electron/store/workspace';
import { deleteRun, listRuns } from '../../../electron/store/runs';
import { tempDir } from '../../helpers/temp';

test('a new database is migrated to the latest schema in WAL mode', () => {
  const dir = tempDir();
  const db = openDatabase(path.join(dir, 'w.sqlite'));
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
  for (const t of ['datasets', 'jobs', 'runs', 'scans']) assert.ok(tables.includes(t), t);
  db.close();
});

test('migrations apply only what is new, and keep existing rows', () => {
  const file = path.join(tempDir(), 'w.sqlite');
  const v1 = openDatabase(file, MIGRATIONS);
  v1.prepare("INSERT INTO runs (id, model_id, status, created_at) VALUES ('r1', 'dnn5', 'done', 1)").run();
  v1.close();
  const next = [...MIGRATIONS, "ALTER TABLE runs ADD COLUMN color TEXT NOT NULL DEFAULT 'blue'"];
  const v2 = openDatabase(file, next);
  assert.equal(schemaVersion(v2), next.length);
  assert.deepEqual(v2.prepare('SELECT id, color FROM runs').all(), [{ id: 'r1', color: 'blue' }]);
  v2.close();
  // A database from a newer build is refused rather than silently downgraded.
  assert.throws(
    () => openDatabase(file, MIGRATIONS),
    new RegExp(`schema version ${next.length} is newer than this DeepTriage build knows \\(${MIGRATIONS.length}\\)`),
  );
});

test('a failing migration leaves the database as it was', () => {
  const file = path.join(tempDir(), 'w.sqlite');
  openDatabase(file).close();
  assert.throws(() => openDatabase(file, [...MIGRATIONS, 'CREATE TABLE ok_table (a INT); THIS IS NOT SQL']));
  const db = openDatabase(file);
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.deepEqual(db.prepare("SELECT count(*) n FROM sqlite_master WHERE name='ok_table'").get(), { n: 0 });
  db.close();
});

test('reopening a workspace keeps its data; deleting a run removes its row and files', () => {
  const dir = tempDir();
  const ws = openWorkspace(dir);
  ws.db.prepare("INSERT INTO runs (id, model_id, status, created_at, params_json) VALUES ('run-a', 'lstm', 'done', 5, '{\"epochs\":3}')").run();
  writeFileAtomic(path.join(ws.entityDir('runs', 'run-a'), 'weights.bin'), new Uint8Array([1, 2, 3]));
  ws.close();
  const again = openWorkspace(dir);
  const runs = listRuns(again.db);
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0].params, { epochs: 3 });
  assert.deepEqual([...fs.readFileSync(path.join(dir, 'runs', 'run-a', 'weights.bin'))], [1, 2, 3]);
  assert.equal(deleteRun(again, 'run-a'), true);
  assert.equal(fs.existsSync(path.join(dir, 'runs', 'run-a')), false);
  assert.equal(deleteRun(again, 'run-a'), false);
  assert.throws(() => again.entityDir('runs', '../escape'), /invalid runs id/);
  again.close();
});

test('an atomic write that fails midway leaves the previous file intact and no temp file', () => {
  const dir = tempDir();
  const target = path.join(dir, 'model.json');
  writeFileAtomic(target, '{"version":1}');
  function* failing() {
    yield '{"version":';
    throw new Error('disk unplugged');
  }
  assert.throws(() => writeFileAtomic(target, failing()), /disk unplugged/);
  assert.equal(fs.readFileSync(target, 'utf8'), '{"version":1}');
  assert.deepEqual(fs.readdirSync(dir), ['model.json']);
});

test('a process killed in the middle of an atomic write leaves the previous file intact', async () => {
  const dir = tempDir();
  const target = path.join(dir, 'weights.bin');
  writeFileAtomic(target, Buffer.alloc(1024, 7));
  const atomicModule = new URL('../../../electron/store/atomic.ts', import.meta.url).href;
  // The child writes an endless stream through writeFileAtomic and is killed while doing it.
  const script = `
    const { writeFileAtomic } = await import(${JSON.stringify(atomicModule)});
    function* endless() { const c = Buffer.alloc(1 << 20, 9); for (;;) { process.stdout.write('.'); yield c; } }
    writeFileAtomic(${JSON.stringify(target)}, endless());
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const now = fs.readFileSync(target);
  assert.equal(now.length, 1024);
  assert.ok(now.every((b) => b === 7));
  // The torn temporary file is there until the next open of that folder cleans it.
  assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')).length, 1);
  assert.equal(removeStaleTempFiles(dir), 1);
  assert.deepEqual(fs.readdirSync(dir), ['weights.bin']);
});

test('workspace location: flag beats environment beats the platform default', () => {
  assert.equal(resolveWorkspaceDir('/tmp/a', { DEEPTRIAGE_WORKSPACE: '/tmp/b' }), '/tmp/a');
  assert.equal(resolveWorkspaceDir(undefined, { DEEPTRIAGE_WORKSPACE: '/tmp/b' }), '/tmp/b');
  assert.match(defaultWorkspaceDir({ XDG_CONFIG_HOME: '/home/x/.config' }, 'linux'), /^\/home\/x\/\.config\/DeepTriage$/);
  assert.match(defaultWorkspaceDir({}, 'darwin'), /Library\/Application Support\/DeepTriage$/);
  assert.match(defaultWorkspaceDir({ APPDATA: 'C:\\Users\\x\\AppData\\Roaming' }, 'win32'), /DeepTriage$/);
});
