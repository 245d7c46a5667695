import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createEngine } from '../../electron/engine';
import { tempDir } from '../helpers/temp';
import { benignUrl, maliciousUrl, trainingCsv } from '../helpers/urls';
import { launchBrowser, shot, startWorkbench, watchErrors, type Workbench } from './harness';

let wb: Workbench;
let browser: Browser;
let page: Page;
let errors: string[];
const dir = tempDir();
const scanFile = path.join(dir, 'to-scan.txt');

before(async () => {
  // A trained URL model in the workspace, made through the engine before the workbench starts.
  const workspace = path.join(dir, 'ws');
  const engine = createEngine({ workspaceDir: workspace, transport: 'cli' });
  const run = async (p: Promise<{ jobId: string }>) => {
    const job = await engine.jobs.wait((await p).jobId);
    assert.equal(job.status, 'done', job.error);
    return job.result as { datasetId: string };
  };
  fs.writeFileSync(path.join(dir, 'train.csv'), trainingCsv(300));
  const lines = ['url,label'];
  for (let i = 5000; i < 5100; i++) lines.push(`${benignUrl(i)},benign`, `${maliciousUrl(i)},malicious`);
  fs.writeFileSync(path.join(dir, 'test.csv'), lines.join('\n') + '\n');
  const { datasetId } = await run(engine.handlers['datasets.import']({ path: path.join(dir, 'train.csv'), options: { format: 'auto', errors: 'lenient' } }));
  const test = await run(engine.handlers['datasets.import']({ path: path.join(dir, 'test.csv'), options: { format: 'auto', errors: 'lenient', encodeLike: datasetId } }));
  const { runs } = await engine.handlers['train.start']({
    datasetId,
    testDatasetId: test.datasetId,
    modelIds: ['char-cnn'],
    params: { epochs: 3, batchSize: 32, filters: 16, units: 32 },
    tags: [],
  });
  assert.equal((await engine.jobs.wait(runs[0].jobId)).status, 'done');
  await engine.close();

  const scan: string[] = [];
  for (let i = 0; i < 3000; i++) scan.push(i % 4 === 0 ? maliciousUrl(10_000 + i) : benignUrl(10_000 + i));
  scan.push('', 'garbage line', benignUrl(10_001));
  fs.writeFileSync(scanFile, scan.join('\n') + '\n');

  wb = await startWorkbench(['--host-only'], {}, workspace);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, acceptDownloads: true });
  errors = watchErrors(page);
});
after(async () => {
  await browser?.close();
  await wb?.stop();
});

test('scanning a file fills the results table, shows the expected FPR at the threshold, and exports flagged URLs', async () => {
  await page.goto(`${wb.url}#/scan`);
  await page.getByLabel('files to scan').fill(scanFile);
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  const results = page.getByTestId('scan-results');
  await page.waitForFunction(() => document.querySelector('[data-testid="scan-results"]')?.getAttribute('data-status') === 'done', null, { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="scan-scanned"]')?.textContent === '3,000', null, { timeout: 10_000 });
  assert.equal(await results.getByTestId('scan-skipped').innerText(), '2');
  assert.match(await results.getByTestId('expected-fpr').innerText(), /expected false-positive rate ≈ \d+\.\d\d%, detection ≈ \d+\.\d\d% \(test file test\.csv\)/);
  const table = page.getByTestId('scan-table');
  assert.equal(await table.getAttribute('data-total'), '3000');
  // Sorted by score: the top rows are the phishing-pattern URLs.
  await table.locator('.row[data-index="0"] .url').waitFor();
  for (let i = 0; i < 5; i++) assert.match(await table.locator(`.row[data-index="${i}"] .url`).innerText(), /secure-login/);
  const flagged = Number((await results.getByTestId('flagged-count').innerText()).replace(/[^\d]/g, ''));
  assert.ok(flagged >= 700 && flagged <= 800, `flagged ${flagged}`);

  const download = page.waitForEvent('download');
  await results.getByRole('button', { name: 'Export flagged CSV' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(csv[0], 'url,score,flagged,count,file,line');
  assert.equal(csv.length - 1, flagged);
  assert.ok(csv.slice(1).every((l) => l.split(',')[2] === '1'));

  await table.locator('.row[data-index="0"] button').click();
  assert.match(await page.getByTestId('scan-detail').innerText(), /secure-login/);
  await shot(page, 'scan');
  assert.deepEqual(errors, []);
});
