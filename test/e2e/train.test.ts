import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA } from '../helpers/temp';
import { assertAccessible, shot, workbenchPage } from './harness';

const s = workbenchPage({ viewport: { width: 1400, height: 1100 } });

async function importFile(file: string, like?: string) {
  const { wb, page } = s;
  await page.goto(`${wb.url}#/datasets`);
  await page.getByPlaceholder(/path\/to/).fill(file);
  if (like) await page.getByLabel('Encode like').selectOption({ label: like });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('dataset-summary').getByText(path.basename(file), { exact: true }).waitFor({ timeout: 60_000 });
}

test('training two architectures from the Train view draws live curves and reports test accuracy', async () => {
  const { wb, page, errors } = s;
  await importFile(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'));
  await importFile(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'), 'KDDTest-21.txt');
  await page.goto(`${wb.url}#/train`);
  const form = page.getByTestId('train-form');
  await form.getByLabel('training set').selectOption({ label: 'KDDTest-21.txt (11,850 rows)' });
  await form.getByLabel('test set').selectOption({ label: 'KDDTest+.txt' });
  // Only records architectures are offered for a records dataset.
  assert.equal(await form.getByText('char-cnn', { exact: true }).count(), 0);
  // NSL-KDD is a measured task: its best architecture from docs/results.md is preselected.
  const preset = await form.getByTestId('train-preset').innerText();
  const presetModel = /Preset for NSL-KDD, 5 classes: (\S+),/.exec(preset)?.[1];
  assert.ok(presetModel, preset);
  assert.equal(await form.getByRole('checkbox', { name: presetModel }).isChecked(), true);
  await form.getByRole('checkbox', { name: presetModel }).setChecked(false);
  await form.getByRole('checkbox', { name: 'dnn1' }).setChecked(true);
  await form.getByRole('checkbox', { name: 'logreg' }).setChecked(true);
  await form.getByLabel('Epochs').fill('3');
  await form.getByLabel('Batch').fill('128');
  await form.getByRole('button', { name: 'Train 2 runs' }).click();

  const table = page.getByTestId('runs-table');
  await table.locator('tbody tr').nth(1).waitFor();
  // Curves fill while the run trains (the first run in the list is the one shown).
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-points') ?? 0) > 0, null, {
    timeout: 60_000,
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-table"] tr[data-status="done"]').length === 2, null, {
    timeout: 180_000,
  });
  const rows = await table.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  for (const r of rows) assert.match(r, /done\s+\d+\.\d\d %/);
  // Runs are listed by readable names made of their settings, never by ids.
  const names = await table.locator('td.name').allInnerTexts();
  assert.deepEqual(names.map((n) => n.replace(/^(logreg|dnn1) · /, 'M · ')), Array(2).fill('M · KDDTest-21.txt · 3 ep · b128 · lr 1e-3'));
  // Keyboard: the run rows take the focus, ↓ moves to the next, Enter opens it as a click does.
  await table.locator('tbody tr').first().focus();
  await page.keyboard.press('ArrowDown');
  const secondRun = await table.locator('tbody tr').nth(1).getAttribute('data-run-id');
  assert.equal(await table.locator('tbody tr').nth(1).evaluate((r) => r === document.activeElement && getComputedStyle(r).outlineStyle !== 'none'), true);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => location.hash.includes(`run=${id}`), secondRun);
  await page.getByTestId('run-detail').getByText(/test accuracy \d+\.\d\d %/).waitFor();
  await assertAccessible(page, 'Train');
  const detail = page.getByTestId('run-detail');
  await detail.getByText(/test accuracy \d+\.\d\d %/).waitFor();
  assert.match(await detail.innerText(), /best epoch \d of 3/);
  const points = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  assert.ok(points >= 3, `loss chart has ${points} points`);
  // The shown run exports to an ONNX file in the workspace that onnxruntime loads.
  await detail.getByRole('button', { name: 'Export ONNX' }).click();
  const saved = (await detail.getByTestId('onnx-path').locator('code').innerText({ timeout: 60_000 })).trim();
  assert.match(saved, /[\\/]exports[\\/](dnn1|logreg)-.+\.onnx$/);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(saved);
  assert.deepEqual(session.outputNames, ['probabilities']);
  await session.release();
  // …and to a scoring bundle (ONNX + encoding + Python scorer) in the workspace's exports folder.
  await detail.getByRole('button', { name: 'Export scoring bundle' }).click();
  const bundle = (await detail.getByTestId('bundle-path').locator('code').innerText({ timeout: 60_000 })).trim();
  assert.match(bundle, /[\\/]exports[\\/]dnn1-.+-bundle$/);
  const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'bundle.json'), 'utf8')) as { format: string; classes: string[] };
  assert.equal(manifest.format, 'deeptriage-scoring-bundle');
  assert.ok(fs.existsSync(path.join(bundle, 'deeptriage_scorer', 'bundle.py')) && fs.existsSync(path.join(bundle, 'score_ray.py')));
  await shot(page, '19-train-bundle');

  // Renamed in place; the list follows.
  await detail.getByRole('button', { name: /^rename run/ }).click();
  await detail.getByLabel('Run name').fill('dnn1 first try');
  await detail.getByRole('button', { name: 'Save' }).click();
  await detail.getByTestId('run-name').getByText('dnn1 first try').waitFor();
  await table.getByText('dnn1 first try', { exact: true }).waitFor();

  // Batch curves survive a reload, and the legend names exactly the series that have points.
  const before = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  await page.reload();
  await page.getByTestId('run-detail').getByTestId('run-name').getByText('dnn1 first try').waitFor();
  const after = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  assert.ok(after > 6, `only ${after} points after a reload`);
  assert.ok(after >= before - 2, `${before} points before the reload, ${after} after`);
  assert.match((await page.getByTestId('loss-chart').getAttribute('aria-label'))!, /^loss against epoch: batch loss \(running epoch mean\); train loss; validation loss$/);
  assert.deepEqual(errors, []);
});

test('a one-epoch run plots its batch steps, not a single dot', async () => {
  const { page, errors } = s;
  const form = page.getByTestId('train-form');
  await form.getByRole('checkbox', { name: 'dnn1' }).setChecked(false);
  await form.getByRole('checkbox', { name: 'logreg' }).setChecked(true);
  await form.getByLabel('Epochs').fill('1');
  await form.getByLabel('Batch').fill('64');
  await form.getByRole('button', { name: 'Train 1 run' }).click();
  const detail = page.getByTestId('run-detail');
  await detail.getByTestId('run-name').getByText(/^logreg · KDDTest-21\.txt · 1 ep · b64 · lr /).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'done', null, { timeout: 60_000 });
  const curves = page.getByTestId('run-curves');
  assert.equal(await curves.getAttribute('data-x-axis'), 'step');
  const points = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  assert.ok(points > 10, `${points} points`);
  assert.match((await page.getByTestId('loss-chart').getAttribute('aria-label'))!, / against batch step: /);
  await shot(page, 'train-one-epoch');
  assert.deepEqual(errors, []);
});

test('a running training job can be cancelled from the view; the run keeps its best checkpoint', async () => {
  const { page, errors } = s;
  const form = page.getByTestId('train-form');
  await form.getByRole('checkbox', { name: 'logreg' }).setChecked(false);
  await form.getByRole('checkbox', { name: 'dnn1' }).setChecked(false);
  await form.getByRole('checkbox', { name: 'dnn2' }).setChecked(true);
  await form.getByLabel('Batch').fill('128');
  await form.getByLabel('Epochs').fill('200');
  await form.getByLabel('Patience').fill('0');
  // Short epochs: a checkpoint every 20 batches rather than once per pass over the data.
  await form.getByLabel('Epoch length').fill('20');
  await form.getByLabel('test set').selectOption({ label: 'KDDTest+.txt' });
  assert.equal(await form.getByLabel('test set').locator('option:checked').innerText(), 'KDDTest+.txt');
  await form.getByRole('button', { name: 'Train 1 run' }).click();
  const detail = page.getByTestId('run-detail');
  await detail.getByText('dnn2', { exact: true }).waitFor();
  // Wait for a finished epoch so there is a checkpoint to keep.
  await page.waitForFunction(() => /epoch [2-9]\d*\/200 · batch \d+\/20\b/.test(document.querySelector('[data-testid="run-detail"]')?.textContent ?? ''), null, {
    timeout: 60_000,
  });
  await detail.getByRole('button', { name: /cancel/i }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'cancelled', null, { timeout: 30_000 });
  assert.match(await detail.innerText(), /best epoch \d+ of \d+/);
  // The test set chosen in the form scores the best checkpoint of the cancelled run too.
  await shot(page, 'train-cancelled');
  await detail.getByText(/test accuracy \d+\.\d\d %/).waitFor({ timeout: 60_000 });
  assert.deepEqual(errors, []);
});
