// The end-to-end tests drive Debian's Chromium. On a fresh machine it is installed here (as root, through
// apt-get) so that `npm test` alone passes; Playwright's own browser download is never used.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = process.env.DEEPTRIAGE_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(
    `Chromium not found at ${CHROMIUM}: install Debian's 'chromium' package (or set DEEPTRIAGE_CHROMIUM to a Chromium binary).`,
  );
  process.exit(1);
}
console.log(`Chromium not found at ${CHROMIUM}; installing Debian's chromium package…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed with exit code ${r.status}`);
    process.exit(1);
  }
}
