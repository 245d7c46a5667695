/**
 * The Inspect table on a 300k-row evaluation, in headless Chromium through the localhost host.
 * Run: npm run build && node --import tsx bench/inspect.ts [--workspace DIR]
 *
 * Without --workspace it trains logreg (1 epoch) on kddcup.data_10_percent.gz and scores corrected.gz
 * (311,029 rows) through the CLI into a temp workspace first (about a minute). Prints figures, asserts none:
 *   - first render: page load until the first row of the table is on screen (cold engine, then a reload);
 *   - jump to the end: scrollTop set to the bottom until the last row is filled in;
 *   - drag-like scroll: 120 frames moving 1/120 of the list each, frame times in the page;
 *   - sort by confidence (a filter and sort of every row per page request on the engine side).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startWorkbench } from '../test/e2e/harness';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kdd = path.resolve(repoRoot, '..', 'shared', 'data', 'kddcup99');

function workspaceDir(): { dir: string; temp: boolean } {
  const i = process.argv.indexOf('--workspace');
  if (i >= 0 && process.argv[i + 1]) return { dir: path.resolve(process.argv[i + 1]), temp: false };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dt-bench-inspect-'));
  console.log(`training logreg on kddcup.data_10_percent.gz and scoring corrected.gz into ${dir} …`);
  const t = performance.now();
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/index.ts', 'train', '--train', path.join(kdd, 'kddcup.data_10_percent.gz'), '--test', path.join(kdd, 'corrected.gz'),
      '--model', 'logreg', '--epochs', '1', '--workspace', dir],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`  ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { dir, temp: true };
}

const ms = (t: number) => `${Math.round(t).toLocaleString('en-US')} ms`;

async function main(): Promise<void> {
  const { dir, temp } = workspaceDir();
  const wb = await startWorkbench(['--host-only'], {}, dir);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const firstRow = '[data-testid="inspect-table"] .row[data-index="0"] [data-testid="inspect-row"]';

    const firstRender = async () => {
      await page.goto('about:blank');
      const t = performance.now();
      await page.goto(`${wb.url}#/inspect`);
      await page.locator(firstRow).waitFor({ timeout: 300_000 });
      return performance.now() - t;
    };
    const cold = await firstRender();
    const total = Number(await page.getByTestId('inspect-total').getAttribute('data-total'));
    const warm = await firstRender();

    const t = performance.now();
    await page.getByTestId('inspect-table').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator(`[data-testid="inspect-table"] .row[data-index="${total - 1}"] [data-testid="inspect-row"]`).waitFor({ timeout: 120_000 });
    const toEnd = performance.now() - t;
    const lastId = await page.locator(`[data-testid="inspect-table"] .row[data-index="${total - 1}"] .id`).innerText();

    // Frame times while the list moves every frame, as a scrollbar drag does.
    // A string, not a function: tsx would wrap a named inner function in a __name() the page does not have.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector('[data-testid="inspect-table"]');
      el.scrollTop = 0;
      const out = [];
      let last = performance.now();
      let n = 0;
      const step = () => {
        const now = performance.now();
        if (n > 0) out.push(now - last);
        last = now;
        if (n++ >= 120) return resolve(out);
        el.scrollTop = (n / 120) * (el.scrollHeight - el.clientHeight);
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })`)) as number[];
    const sorted = [...frames].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

    // Sorted by confidence, each page the table asks for is a filter and sort of every row on the engine side.
    await page.getByTestId('inspect-table').evaluate((el) => (el.scrollTop = 0));
    await page.locator(firstRow).waitFor();
    const sortedT = performance.now();
    const before = await page.locator(`${firstRow} .id`).innerText();
    await page.getByTestId('sort-conf').first().click();
    await page.waitForFunction((id) => {
      const el = document.querySelector('[data-testid="inspect-table"] .row[data-index="0"] .id');
      return el !== null && el.textContent !== id;
    }, before, { timeout: 120_000 });
    const toSorted = performance.now() - sortedT;
    const t2 = performance.now();
    await page.getByTestId('inspect-table').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator(`[data-testid="inspect-table"] .row[data-index="${total - 1}"] [data-testid="inspect-row"]`).waitFor({ timeout: 120_000 });
    const toSortedEnd = performance.now() - t2;

    console.log(`rows in the table: ${total.toLocaleString('en-US')} (corrected.gz scored by logreg)`);
    console.log(`time to first render: ${ms(cold)} cold (engine builds its row index), ${ms(warm)} after a page reload`);
    console.log(`time to scroll to the last row: ${ms(toEnd)} (row ${total.toLocaleString('en-US')} = ${lastId})`);
    console.log(`scrolling through all rows in 120 frames: median frame ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, worst ${sorted[sorted.length - 1].toFixed(1)} ms`);
    console.log(`sort by confidence: ${ms(toSorted)} to the first sorted rows, ${ms(toSortedEnd)} to scroll to the last of them`);
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0].toFixed(2)}`);
  } finally {
    await browser.close();
    await wb.stop();
    if (temp) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
