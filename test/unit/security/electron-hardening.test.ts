import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { externalLinkAllowed } from '../../../electron/external-links';
import { REPO_ROOT, tempDir } from '../../helpers/temp';

test('only https links without credentials may leave the window (and the user still confirms each)', () => {
  assert.equal(externalLinkAllowed('https://www.unb.ca/cic/datasets/nsl.html')?.hostname, 'www.unb.ca');
  for (const bad of [
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'ms-msdt:/id PCWDiagnostic',
    'https://user:pw@evil.example/',
    'https://',
    'not a url',
  ]) {
    assert.equal(externalLinkAllowed(bad), null, bad);
  }
});

// `npm run lint` runs the same script on the shipped sources and must find nothing; this shows the gate can fail.
test('the Electronegativity gate fails on a planted finding, offline, naming check, file and line', () => {
  const script = path.join(REPO_ROOT, 'scripts', 'electronegativity.mjs');
  const planted = path.join(tempDir(), 'planted.ts');
  fs.writeFileSync(planted, "import { shell } from 'electron';\nexport const open = (u: string) => shell.openExternal(u);\n");
  const bad = spawnSync(process.execPath, [script, planted], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /OPEN_EXTERNAL_JS_CHECK .*planted\.ts:2/);
});
