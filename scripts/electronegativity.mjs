// Electronegativity over what runs in the Electron window: the main-side sources (electron/) and the page
// that carries the Content-Security-Policy (renderer/index.html). Any finding fails: fix it, or justify it in
// a comment beside an inline `eng-disable CHECK_ID` on the flagged line.
//
// Offline by construction: AvailableSecurityFixesGlobalCheck (it downloads Electron's release list) is
// excluded, and the Electron version comes from package.json instead of being looked up. The tool also asks
// the network for updated translations; without a network that request fails quickly and it falls back to the
// bundled English ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import electronegativity from '@doyensec/electronegativity';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const electronVersion = String(pkg.devDependencies.electron).replace(/^[^\d]*/, '');

const scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-eng-'));
try {
  fs.cpSync(path.join(root, 'electron'), path.join(scanDir, 'electron'), { recursive: true });
  fs.mkdirSync(path.join(scanDir, 'renderer'));
  fs.copyFileSync(path.join(root, 'renderer', 'index.html'), path.join(scanDir, 'renderer', 'index.html'));
  // Extra files (the test plants a known-bad one to see this gate fail) join the scan under electron/.
  for (const extra of process.argv.slice(2)) fs.copyFileSync(extra, path.join(scanDir, 'electron', path.basename(extra)));
  const run = electronegativity.default ?? electronegativity;
  const result = await run({
    input: scanDir,
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion,
    isRelative: true,
  });
  const broken = result.errors.filter((e) => !e.tolerable);
  for (const e of broken) console.error(`electronegativity: could not parse ${e.file}: ${e.message}`);
  for (const i of result.issues) {
    console.error(`electronegativity: ${i.id} (${i.severity.name}, ${i.confidence.name}) ${i.file}:${i.location.line}:${i.location.column} ${i.shortenedURL ?? ''}`);
  }
  const checks = result.globalChecks + result.atomicChecks;
  if (result.issues.length > 0 || broken.length > 0) {
    console.error(`electronegativity: ${result.issues.length} finding(s) on Electron ${electronVersion}: fix them, or justify each in a comment and add eng-disable CHECK_ID on its line`);
    process.exitCode = 1;
  } else {
    console.log(`electronegativity: ${checks} checks on Electron ${electronVersion}, no findings`);
  }
} finally {
  fs.rmSync(scanDir, { recursive: true, force: true });
}
