import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { REPO_ROOT, tempDir } from '../../helpers/temp';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('backend --json prints the chosen backend', async () => {
  const r = await cli(['backend', '--json', '--workspace', tempDir()]);
  assert.equal(r.code, 0, r.err);
  const info = JSON.parse(r.out);
  assert.equal(info.name, 'wasm');
  assert.equal(info.attempts.at(-1).name, 'wasm');
});

test('models lists the zoo as a table and as JSON', async () => {
  const ws = tempDir();
  const table = await cli(['models', '--workspace', ws]);
  assert.equal(table.code, 0);
  assert.match(table.out, /^id\s+family\s+kind\s+description/);
  assert.match(table.out, /\nchar-cnn\s+sequences\s+deep/);
  const json = JSON.parse((await cli(['models', '--json', '--workspace', ws])).out) as { id: string }[];
  assert.ok(json.some((m) => m.id === 'dnn5'));
  assert.ok(json.some((m) => m.id === 'random-forest'));
});

test('errors are one line with a non-zero exit', async () => {
  const unknown = await cli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.err, "deeptriage: unknown command 'frobnicate' (try --help)");
  const badFlag = await cli(['runs', '--bogus']);
  assert.equal(badFlag.code, 2);
  assert.equal(badFlag.err.split('\n').length, 1);
  assert.match(badFlag.err, /bogus/);
});

test('the bin entry runs as a real process with the workspace from the environment', () => {
  const ws = tempDir();
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'deeptriage.js'), 'runs', '--json'], {
    env: { ...process.env, DEEPTRIAGE_WORKSPACE: ws },
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  const bad = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'deeptriage.js'), 'nope'], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
