import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA, tempDir } from '../helpers/temp';
import { assertAccessible, shot, workbenchPage } from './harness';

const s = workbenchPage({ viewport: { width: 1400, height: 1000 }, open: '#/datasets' });

async function importPath(file: string, opts: { strict?: boolean } = {}) {
  const { page } = s;
  await page.getByPlaceholder(/path\/to/).fill(file);
  const strict = page.getByLabel('strict');
  if ((await strict.isChecked()) !== Boolean(opts.strict)) await strict.click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}

test('importing a file by path shows its summary: rows, class chart, sample rows', async () => {
  const { page } = s;
  await page.getByTestId('datasets-empty').waitFor();
  await importPath(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'));
  const summary = page.getByTestId('dataset-summary');
  await summary.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  assert.equal(await summary.getByTestId('summary-rows').innerText(), '11,850');
  await summary.getByTestId('class-chart').locator('canvas').waitFor();
  // Log-scale class bars: u2r's 200 rows beside dos's 4,342 stand as a bar, and every bar names its count.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="class-chart"]')?.getAttribute('data-shortest-bar')) > 0);
  const shortest = Number(await summary.getByTestId('class-chart').getAttribute('data-shortest-bar'));
  assert.ok(shortest >= 20, `the smallest class bar is ${shortest} px tall`);
  assert.match((await summary.getByTestId('class-chart').getAttribute('aria-label')) ?? '', /rows \(log scale\)\): .*u2r 200/);
  const classTable = await summary.getByTestId('class-table').innerText();
  for (const cls of ['normal', 'dos', 'probe', 'r2l', 'u2r']) assert.match(classTable, new RegExp(`\\b${cls}\\b`));
  assert.match(classTable, /normal\s+2,152/);
  assert.equal(await summary.getByTestId('sample-table').locator('tbody tr').count(), 50);
  assert.match(await summary.getByTestId('sample-table').locator('tbody tr').first().innerText(), /KDDTest-21\.txt:1/);
  assert.equal(await page.getByTestId('datasets-table').locator('tbody tr').count(), 1);
});

test('a dropped file is uploaded to the host and imported, with the shortcut warning shown', async () => {
  const { wb, page } = s;
  // Benign URLs long, malicious short: exactly the shortcut the summary must point out.
  const lines = ['url,label'];
  for (let i = 0; i < 300; i++) lines.push(`http://www.example-news-site.com/articles/2024/${i}/a-rather-long-benign-path-name,benign`);
  for (let i = 0; i < 300; i++) lines.push(`http://x${i}.ru/p,malicious`);
  const content = lines.join('\r\n') + '\r\n';
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped-urls.csv', { type: 'text/csv' }));
    return dt;
  }, content);
  await page.getByTestId('import-panel').dispatchEvent('drop', { dataTransfer });
  await page.waitForFunction(() => (document.querySelector('input[placeholder^="/path/to"]') as HTMLInputElement).value.includes('dropped-urls.csv'));
  const uploaded = await page.getByPlaceholder(/path\/to/).inputValue();
  assert.ok(uploaded.startsWith(path.join(wb.workspace, 'uploads')), uploaded);
  assert.equal(fs.readFileSync(uploaded, 'utf8'), content);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('dataset-summary').getByText('dropped-urls.csv', { exact: true }).waitFor({ timeout: 60_000 });
  const summary = page.getByTestId('dataset-summary');
  assert.equal(await summary.getByTestId('summary-rows').innerText(), '600');
  assert.match(await summary.getByTestId('summary-warnings').innerText(), /shortcut: "length"/);
});

test('a strict import of a bad file shows the file, line and reason and keeps the existing datasets', async () => {
  const { page } = s;
  const dir = tempDir();
  const bad = path.join(dir, 'broken.txt');
  const good = fs.readFileSync(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest-21.txt'), 'utf8').split('\n').slice(0, 200);
  fs.writeFileSync(bad, [...good, 'only,three,fields', ...good].join('\n') + '\n');
  await importPath(bad, { strict: true });
  const failed = page.getByTestId('import-panel').locator('[data-status="failed"]');
  await failed.waitFor({ timeout: 30_000 });
  assert.match(await failed.innerText(), /broken\.txt:201: field 1 \(duration\): "only" is not a number/);
  assert.equal(await page.getByTestId('datasets-table').locator('tbody tr').count(), 2);
});

test('deleting a dataset removes it from the list', async () => {
  const { page, errors } = s;
  await page.getByTestId('datasets-table').getByText('dropped-urls.csv').click();
  await page.getByTestId('dataset-summary').getByRole('button', { name: 'Delete…' }).click();
  await page.getByTestId('dataset-summary').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="datasets-table"] tbody tr').length === 1);
  assert.deepEqual(errors, []);
});

test('several files become one dataset, each with its own label and sample size (the URL recipe)', async () => {
  const { page, errors } = s;
  const dir = tempDir();
  // A labelled URL feed, plus a ranked top list (rank,domain like alexa_100k.csv) labelled benign and sampled.
  const feed = path.join(dir, 'feed.csv');
  fs.writeFileSync(feed, ['url,label', ...Array.from({ length: 40 }, (_, i) => `http://bad${i}.example.ru/login.php?id=${i},phishing`), ...Array.from({ length: 20 }, (_, i) => `http://news${i}.example.org/story/${i},benign`)].join('\n') + '\n');
  const top = path.join(dir, 'top.csv');
  fs.writeFileSync(top, Array.from({ length: 500 }, (_, i) => `${i + 1},site${i}.com`).join('\n') + '\n');
  await page.getByPlaceholder(/path\/to/).fill(feed);
  // The Labels menu fits the format: a URL list is benign / malicious by default, raw classes on request, no KDD modes.
  const labelModes = () => page.getByTestId('label-mode').locator('option').allInnerTexts();
  await page.getByLabel('Format').selectOption('nsl-kdd');
  assert.ok((await labelModes()).includes('5-class (normal, dos, probe, r2l, u2r)'));
  await page.getByLabel('Format').selectOption('urls');
  assert.deepEqual(await labelModes(), ['default: binary (benign / malicious)', 'binary (benign / malicious)', 'raw classes (as labelled in the file)']);
  await page.getByTestId('add-file').click();
  await page.getByLabel('path of file 2').fill(top);
  await page.getByLabel('label of file 2').fill('benign');
  await page.getByLabel('rows to sample from file 2').fill('100');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const summary = page.getByTestId('dataset-summary');
  await summary.getByText('feed.csv + 1 more', { exact: true }).waitFor({ timeout: 60_000 });
  assert.equal(await summary.getByTestId('summary-rows').innerText(), '160');
  const classTable = await summary.getByTestId('class-table').innerText();
  assert.match(classTable, /benign\s+120/);
  assert.match(classTable, /malicious\s+40/);
  // The raw classes stay visible beside the binary ones.
  assert.match((await summary.textContent()) ?? '', /phishing\s+40/);
  assert.deepEqual(errors, []);
});

test('import progress streams rows read, bytes of the total and time left; an encode-like import names its training set', async (t) => {
  const { page, errors } = s;
  // Every state the progress line goes through, recorded in the page: the import may finish between two polls.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="import-progress"]')?.textContent?.replace(/\s+/g, ' ').trim();
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByPlaceholder(/path\/to/).fill(path.join(SHARED_DATA, 'nsl-kdd', 'KDDTest+.txt'));
  // The form keeps the earlier tests' choices (URL list, strict): back to the defaults.
  await page.getByLabel('Format').selectOption('auto');
  await page.getByLabel('strict').setChecked(false);
  await page.getByLabel('Encode like').selectOption({ label: 'KDDTest-21.txt' });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const summary = page.getByTestId('dataset-summary');
  await summary.getByText('KDDTest+.txt', { exact: true }).waitFor({ timeout: 60_000 });
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  assert.ok(seen.length > 0, 'the progress line was shown');
  t.diagnostic(`progress lines seen: ${seen.join(' | ')}`);
  // 3,441,513 bytes: "3.4 MB" is the total the worker streams beside the rows it has read.
  for (const t of seen) assert.match(t, /^[\d,]+ rows read · [\d.,]+ (B|KB|MB) of 3\.4 MB( · [\d,]+ rows\/s)? · (estimating time left…|(\d+ s|\d+ min \d\d s) left)$/, t);
  const rows = seen.map((t) => Number(/^([\d,]+)/.exec(t)![1].replace(/,/g, '')));
  assert.ok(rows.every((n, i) => i === 0 || n >= rows[i - 1]), `rows read only grow: ${rows.join(' ')}`);
  // The dataset it was encoded like is named, not given by its internal id.
  assert.equal(await summary.getByTestId('encoded-like').innerText(), '· encoded like KDDTest-21.txt');

  // Keyboard: ↓ moves through the datasets table, Enter opens the focused one; the view passes axe with data.
  const table = page.getByTestId('datasets-table');
  await table.locator('tbody tr').first().getByRole('button').focus();
  await page.keyboard.press('End');
  const last = table.locator('tbody tr').last();
  assert.equal(await last.getByRole('button').evaluate((b) => b === document.activeElement), true);
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  const second = table.locator('tbody tr').nth(1);
  const secondName = await second.getByRole('button').innerText();
  assert.equal(await second.getByRole('button').evaluate((b) => b === document.activeElement && getComputedStyle(b).outlineStyle !== 'none'), true);
  await page.keyboard.press('Enter');
  await summary.locator('h2', { hasText: secondName }).waitFor();
  await shot(page, 'datasets');
  await assertAccessible(page, 'Datasets');
  assert.deepEqual(errors, []);
});
