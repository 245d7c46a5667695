import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hoistGlobalOptions, runCli } from '../../../electron/cli/main';
import { REPO_ROOT, tempDir } from '../../helpers/temp';

test('global options are moved behind the command wherever they stand', () => {
  assert.deepEqual(hoistGlobalOptions(['--workspace', 'W', 'import', 'F']), ['import', '--workspace', 'W', 'F']);
  assert.deepEqual(hoistGlobalOptions(['--json', '--workspace=W', 'runs']), ['runs', '--json', '--workspace=W']);
  assert.deepEqual(hoistGlobalOptions(['import', 'F', '--workspace', 'W']), ['import', 'F', '--workspace', 'W']);
  assert.deepEqual(hoistGlobalOptions(['--json']), []);
});

test('a real process takes --workspace and --json before the command as after it', () => {
  const ws = tempDir();
  const file = path.join(tempDir(), 'urls.txt');
  fs.writeFileSync(file, ['http://a.example/x', 'https://b.example/login.php', 'http://c.example/?q=1'].join('\n') + '\n');
  const bin = path.join(REPO_ROOT, 'bin', 'deeptriage.js');
  const before = spawnSync(process.execPath, [bin, '--workspace', ws, '--json', 'import', file, '--format', 'urls'], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(before.status, 0, before.stderr);
  assert.equal(JSON.parse(before.stdout).rows, 3);
  const after = spawnSync(process.execPath, [bin, 'datasets', '--json', '--workspace', ws], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(after.status, 0, after.stderr);
  assert.equal((JSON.parse(after.stdout) as unknown[]).length, 1);
});

test('an unknown option before the command is still a usage error naming it', async () => {
  const err: string[] = [];
  const code = await runCli(['--bogus', 'runs'], { out: () => {}, err: (l) => err.push(l) });
  assert.equal(code, 2);
  assert.match(err.join('\n'), /unknown command '--bogus'/);
});
