import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Download } from 'playwright-core';
import { SHARED_DATA, tempDir } from '../helpers/temp';
import { trainWithCli, workbenchPage } from './harness';

const KDD = path.join(SHARED_DATA, 'nsl-kdd');
const downloads = tempDir('dt-e2e-downloads-');
// Training through the CLI into the workspace first is the quick way to two comparable runs;
// the Train view's own e2e test covers training through the UI.
const s = workbenchPage({
  viewport: { width: 1440, height: 1100 },
  acceptDownloads: true,
  prepare: (workspace) =>
    trainWithCli(workspace, { train: path.join(KDD, 'KDDTest-21.txt'), test: path.join(KDD, 'KDDTest+.txt'), models: 'logreg,dnn1', epochs: 2, batch: 128 }),
});

async function download(testid: string): Promise<string> {
  const { page } = s;
  const [dl] = (await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])) as [Download, unknown];
  const file = path.join(downloads, dl.suggestedFilename());
  await dl.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}

const pointsOf = (testid: string) =>
  s.page.waitForFunction((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) > 10, testid, { timeout: 30_000 });

test('two runs side by side: metrics with the best highlighted, curves, confusion cells, paired test and exports', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/compare`);
  const picks = page.getByTestId('pick-run');
  await picks.nth(1).waitFor();
  assert.equal(await picks.count(), 2);
  await picks.nth(0).check();
  await picks.nth(1).check();

  const metrics = page.getByTestId('metrics-table');
  await metrics.locator('tbody tr').nth(1).waitFor();
  assert.equal(await metrics.locator('tbody tr').count(), 2);
  assert.ok((await metrics.locator('td[data-best="true"]').count()) > 0, 'a best value is highlighted');
  assert.match(await metrics.locator('caption').innerText(), /official test file: KDDTest\+\.txt/);
  assert.match(await page.getByTestId('testset-select').inputValue(), /official-test/);

  await pointsOf('roc-chart');
  await pointsOf('pr-chart');
  for (const id of ['roc-chart', 'pr-chart']) assert.equal(await page.getByTestId(id).locator('canvas').count(), 1);
  assert.match(await page.getByTestId('roc-frame').innerText(), /official test file: KDDTest\+\.txt/);
  assert.match(await page.getByTestId('loss-frame').innerText(), /random split of the training file: KDDTest-21\.txt/);

  const matrices = page.getByTestId('confusion');
  assert.equal(await matrices.count(), 2);
  // An off-diagonal cell with rows in it: the mistakes are what an analyst opens.
  const cells = await matrices.first().getByTestId('cm-cell').evaluateAll((els) => els.map((e) => ({ t: e.getAttribute('data-true'), p: e.getAttribute('data-pred'), n: Number(e.getAttribute('data-count')) })));
  const wrong = cells.find((c) => c.t !== c.p && c.n > 0);
  assert.ok(wrong, 'the first model makes at least one mistake');
  await matrices.first().locator(`[data-testid="cm-cell"][data-true="${wrong.t}"][data-pred="${wrong.p}"]`).click();
  const records = page.getByTestId('cell-records');
  await records.getByTestId('cell-record').first().waitFor();
  assert.equal(await records.getByTestId('cell-record').count(), Math.min(50, wrong.n));
  assert.equal((await records.getByTestId('cell-total').innerText()).replace(/,/g, ''), `${wrong.n} rows`);
  for (const row of await records.getByTestId('cell-record').allInnerTexts()) assert.match(row, new RegExp(`\\b${wrong.t}\\s+${wrong.p}\\b`));
  const href = await records.getByTestId('inspect-link').getAttribute('href');
  assert.match(href ?? '', new RegExp(`^#/inspect\\?eval=ev_[^&]+&true=${wrong.t}&pred=${wrong.p}$`));

  await page.getByTestId('test-difference').click();
  const verdict = page.getByTestId('verdict');
  await verdict.waitFor({ timeout: 120_000 });
  assert.match(await verdict.innerText(), /(is better than|No significant difference between) .+ \(p [<=] [\d.]+; accuracy difference [+-]?\d+\.\d pts, 95 % CI \[[+-]?\d+\.\d, [+-]?\d+\.\d\]\)/);
  assert.match(await page.getByTestId('mcnemar-p').innerText(), /^p [<=] \d/);
  for (const id of ['ci-a', 'ci-b', 'ci-diff']) assert.match(await page.getByTestId(id).innerText(), /\[[+-]?\d+\.\d, [+-]?\d+\.\d\]/);

  const html = await download('export-report');
  assert.ok(html.includes('<img src="data:image/png;base64,'), 'charts are embedded as PNG data URLs');
  assert.ok((html.match(/<img /g) ?? []).length >= 4, 'ROC, PR and both learning-curve charts are in the report');
  assert.doesNotMatch(html, /<script|<link|src="http|href="http|url\(http/i);
  assert.match(html, /McNemar/);
  assert.match(html, /official test file KDDTest\+\.txt/);

  const csv = (await download('export-csv')).trim().split(/\r\n/);
  assert.equal(csv.length, 3);
  assert.match(csv[0], /^run_id,model,training_dataset,test_dataset,split_kind,split,rows,eval_id,tags,accuracy,macroPrecision,/);
  for (const row of csv.slice(1)) assert.match(row, /^run_\w+,(logreg|dnn1),KDDTest-21\.txt,KDDTest\+\.txt,official-test,official test file KDDTest\+\.txt,22544,/);

  const json = JSON.parse(await download('export-json')) as { runs: unknown[]; pairedTest: { mcnemar: { pValue: number } } | null };
  assert.equal(json.runs.length, 2);
  assert.equal(typeof json.pairedTest?.mcnemar.pValue, 'number');
  assert.deepEqual(errors, []);
});

test('tags and notes are edited inline; "Evaluate on…" adds a random-split evaluation that can be compared on', async () => {
  const { page, errors } = s;
  const picker = page.getByTestId('run-picker');
  const row = picker.locator('tbody tr[data-model="logreg"]');
  await row.getByTestId('tag-input').fill('baseline');
  await row.getByTestId('tag-input').press('Enter');
  await row.getByTestId('run-tags').getByText('baseline').waitFor();
  await row.getByTestId('run-note').click();
  await row.getByTestId('note-input').fill('linear reference model');
  await row.getByTestId('note-input').blur();
  await row.getByTestId('run-note').getByText('linear reference model').waitFor();
  await page.getByTestId('filter-tag').selectOption('baseline');
  assert.equal(await picker.locator('tbody tr[data-run-id]').count(), 1);
  await page.getByTestId('filter-tag').selectOption('');

  // Score both runs on the held-out rows of their training file: the same seed makes the rows the same.
  for (const model of ['logreg', 'dnn1']) {
    const r = picker.locator(`tbody tr[data-model="${model}"]`);
    await r.getByTestId('evaluate-open').click();
    await r.getByTestId('evaluate-dataset').selectOption({ label: 'KDDTest-21.txt (held-out validation split)' });
    await r.getByTestId('evaluate-go').click();
    await r.getByText('random split', { exact: false }).waitFor({ timeout: 60_000 });
  }
  const select = page.getByTestId('testset-select');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="testset-select"] option').length === 2);
  const option = await select.locator('option', { hasText: 'random split of the training file' }).getAttribute('value');
  await select.selectOption(option!);
  await page.getByTestId('metrics-table').locator('caption').getByText('random split of the training file: KDDTest-21.txt').waitFor();
  assert.match(await page.getByTestId('roc-frame').innerText(), /random split of the training file/);
  assert.equal(await page.getByTestId('metrics-table').locator('tbody tr').count(), 2);
  assert.deepEqual(errors, []);
});
