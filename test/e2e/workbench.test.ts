import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, startWorkbench, watchErrors, type Workbench } from './harness';

let wb: Workbench;
let browser: Browser;

before(async () => {
  wb = await startWorkbench();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await wb?.stop();
});

test('the workbench opens, every view renders, and the status bar shows backend and workspace', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(wb.url);
  await page.getByTestId('backend').getByText('wasm').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('backend').innerText(), /backend:\s*wasm/);
  assert.match(await page.getByTestId('workspace').innerText(), new RegExp(wb.workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  for (const [label, view] of [
    ['Datasets', 'datasets'],
    ['Train', 'train'],
    ['Compare', 'compare'],
    ['Inspect', 'inspect'],
    ['Scan', 'scan'],
  ]) {
    await page.getByRole('link', { name: label, exact: true }).click();
    await page.locator(`section[data-view="${view}"]`).waitFor();
    assert.equal(await page.locator('h1').innerText(), label);
    assert.equal(await page.getByRole('link', { name: label, exact: true }).getAttribute('aria-current'), 'page');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a job started in the Train view shows progress in the status bar, can be cancelled, and a short one finishes', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${wb.url}#/train`);
  await page.getByText('Backend check').click();
  // Long enough to be seen running, then cancelled from the status bar.
  await page.getByLabel('size').fill('512');
  await page.getByLabel('repeats').fill('10000');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  const statusJob = page.getByTestId('jobs').locator('[data-status="running"]');
  await statusJob.waitFor({ timeout: 30_000 });
  await statusJob.getByRole('progressbar').waitFor();
  await statusJob.getByRole('button', { name: /cancel/i }).click();
  await page.locator('section[data-view="train"] [data-status="cancelled"]').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('jobs').innerText(), /no running jobs/);

  await page.getByLabel('size').fill('128');
  await page.getByLabel('repeats').fill('20');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await page.getByTestId('bench-result').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('bench-result').innerText(), /GFLOP\/s on wasm \(20 × 128²/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a page without the token gets nothing', async () => {
  const page = await browser.newPage();
  const res = await page.goto(wb.url.replace(/\?token=.*/, ''));
  assert.equal(res?.status(), 401);
  await page.close();
});
