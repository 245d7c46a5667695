import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers/temp';
import { benignUrl, maliciousUrl } from '../helpers/urls';
import { assertAccessible, shot, trainUrlModel, workbenchPage } from './harness';

const dir = tempDir();
const scanFile = path.join(dir, 'to-scan.txt');
const s = workbenchPage({
  viewport: { width: 1400, height: 1100 },
  acceptDownloads: true,
  prepare: async (workspace) => {
    await trainUrlModel(workspace, path.join(dir, 'train.csv'), path.join(dir, 'test.csv'));
    const scan: string[] = [];
    for (let i = 0; i < 3000; i++) scan.push(i % 4 === 0 ? maliciousUrl(10_000 + i) : benignUrl(10_000 + i));
    scan.push('', 'garbage line', benignUrl(10_001));
    fs.writeFileSync(scanFile, scan.join('\n') + '\n');
  },
});

test('scanning a file fills the results table, shows the expected FPR at the threshold, and exports flagged URLs', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/scan`);
  await page.getByLabel('files to scan').fill(scanFile);
  // Operating points measured on the run's validation split: one click sets the threshold.
  const point = page.getByTestId('operating-points').locator('button[data-point="fpr1"]');
  await point.waitFor();
  const t = Number(/t=([\d.]+)/.exec(await point.innerText())![1]);
  assert.ok(t > 0 && t <= 1, `threshold ${t}`);
  await point.click();
  assert.equal(Number(await page.getByLabel('threshold').inputValue()).toFixed(4), t.toFixed(4));
  await page.getByLabel('threshold').fill('0.5');
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  const results = page.getByTestId('scan-results');
  await page.waitForFunction(() => document.querySelector('[data-testid="scan-results"]')?.getAttribute('data-status') === 'done', null, { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="scan-scanned"]')?.textContent === '3,000', null, { timeout: 10_000 });
  assert.equal(await results.getByTestId('scan-skipped').innerText(), '2');
  assert.match(await results.getByTestId('expected-fpr').innerText(), /expected false-positive rate ≈ \d+\.\d\d %, detection ≈ \d+\.\d\d % \(test file test\.csv\)/);
  const table = page.getByTestId('scan-table');
  // The table's total arrives with its first page, after the stats: wait for it rather than read it once.
  await page.waitForFunction(() => document.querySelector('[data-testid="scan-table"]')?.getAttribute('data-total') === '3000', null, { timeout: 10_000 });
  // Sorted by score: the top rows are the phishing-pattern URLs.
  await table.locator('.row[data-index="0"] .url').waitFor();
  for (let i = 0; i < 5; i++) assert.match(await table.locator(`.row[data-index="${i}"] .url`).innerText(), /secure-login/);
  const flagged = Number((await results.getByTestId('flagged-count').innerText()).replace(/[^\d]/g, ''));
  assert.ok(flagged >= 700 && flagged <= 800, `flagged ${flagged}`);

  const download = page.waitForEvent('download');
  await results.getByRole('button', { name: 'Export flagged CSV' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(csv[0], 'url,score,flagged,count,file,line,verdict,suppressed_by');
  assert.equal(csv.length - 1, flagged);
  assert.ok(csv.slice(1).every((l) => l.split(',')[2] === '1'));

  // The predicted class stands beside the score: above the threshold the model's attack class.
  await table.locator('.row[data-index="0"] [data-testid="scan-class"]').getByText('malicious', { exact: true }).waitFor();
  await table.locator('.row[data-index="0"] button').click();
  assert.match(await page.getByTestId('scan-detail').innerText(), /secure-login.*\n.*· malicious · flagged/s);
  // The Inspect link is readable on the dark panel (not the browser's default blue), and the view passes axe.
  assert.equal(await page.getByTestId('scan-detail').locator('a').evaluate((a) => getComputedStyle(a).color), 'rgb(77, 163, 255)');
  await assertAccessible(page, 'Scan');

  // Keyboard: ↓ moves the focus down the results (the list follows), Enter opens the focused URL; the
  // triage queue below keeps its place while the results list has the keys.
  const queueAt = async () => page.getByTestId('triage-queue').locator('button[aria-current="true"]').innerText();
  const queueBefore = await queueAt();
  await table.locator('.row[data-index="0"] button').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('PageDown');
  const focused = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { index: el.closest<HTMLElement>('.row')?.dataset.index, outline: getComputedStyle(el).outlineStyle };
  });
  assert.deepEqual(focused, { index: '18', outline: 'solid' });
  const url18 = await table.locator('.row[data-index="18"] .url').innerText();
  await page.keyboard.press('Enter');
  await page.waitForFunction((u) => document.querySelector('[data-testid="scan-detail"] code')?.textContent === u, url18);
  assert.equal(await queueAt(), queueBefore);
  // Scores read the same in both lists: 4 decimals in the triage queue as in the results above.
  const queueScores = await page.getByTestId('triage-queue').locator('.row .score').allInnerTexts();
  assert.ok(queueScores.length > 0);
  for (const text of queueScores) assert.match(text, /^\d\.\d{4}$/);
  assert.match(await table.locator('.row[data-index="0"] .score').innerText(), /^\d\.\d{4}$/);
  // …and in the selected item's detail line (the exact score stays in its tooltip).
  assert.match(await page.getByTestId('scan-detail').innerText(), /score \d\.\d{4} ·/);
  // The triage queue's own keys: j moves, m marks malicious (and the item leaves the undecided queue).
  const remaining = async () => Number((await page.getByTestId('triage-remaining').locator('strong').innerText()).replace(/,/g, ''));
  const left = await remaining();
  await page.keyboard.press('j');
  const picked = await page.getByTestId('triage-current').innerText();
  await page.keyboard.press('m');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="triage-remaining"] strong')?.textContent?.replace(/,/g, '')) === n - 1, left);
  assert.notEqual(await page.getByTestId('triage-current').innerText(), picked);
  await shot(page, 'scan');
  await page.getByTestId('triage-queue').scrollIntoViewIfNeeded();
  await shot(page, 'scan-triage');
  assert.deepEqual(errors, []);
});

test('the model picker offers only models that read the chosen file, and says why the others are not offered', async () => {
  const { wb, page, errors } = s;
  const conn = path.join(dir, 'conn.log');
  fs.writeFileSync(conn, ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes', '1600000000.0\tC1\t10.0.0.1\t40000\t203.0.113.7\t443\ttcp\t0.1\t60\t40', ''].join('\n'));
  await page.goto(`${wb.url}#/scan`);
  await page.getByLabel('files to scan').fill(conn);
  const why = page.getByTestId('scan-not-offered');
  await why.waitFor();
  // Only a URL model is trained here: it does not read a conn.log, and the form says which model would.
  assert.match(await why.innerText(), /conn\.log is a Zeek conn\.log: a URL model does not read it \(a behaviour-string model does\)/);
  await page.getByTestId('scan-no-model').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Scan', exact: true }).isDisabled(), true);
  await shot(page, 'scan-picker');
  await page.getByLabel('files to scan').fill(scanFile);
  await page.waitForFunction(() => !document.querySelector('[data-testid="scan-not-offered"]') && document.querySelectorAll('[data-testid="scan-model"] option').length === 1);
  assert.deepEqual(errors, []);
});

test('the Train view applies the measured URL preset with its epoch length, so its epochs are not whole passes', async () => {
  const { wb, page, errors } = s;
  const measured = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'presets.json'), 'utf8')) as Record<string, { modelId: string; params: Record<string, number> }>).urls;
  await page.goto(`${wb.url}#/train`);
  const form = page.getByTestId('train-form');
  await form.getByLabel('training set').selectOption({ index: 0 });
  const line = await form.getByTestId('train-preset').innerText();
  assert.equal(/Preset for malicious URLs: (\S+),/.exec(line)?.[1], measured.modelId);
  // It says what it applies before it is applied.
  assert.match(line, new RegExp(`${measured.params.epochs} epochs of ${measured.params.stepsPerEpoch} batches, batch ${measured.params.batchSize}, learning rate ${measured.params.learningRate}`));
  assert.equal(await form.getByRole('checkbox', { name: measured.modelId }).isChecked(), true);
  assert.equal(await form.getByTestId('steps-per-epoch').inputValue(), String(measured.params.stepsPerEpoch ?? ''));
  assert.equal(await form.getByLabel('Epochs', { exact: true }).inputValue(), String(measured.params.epochs));
  await shot(page, 'train-url-preset');
  assert.deepEqual(errors, []);
});
