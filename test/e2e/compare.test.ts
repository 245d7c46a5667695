import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Download } from 'playwright-core';
import { REPO_ROOT, SHARED_DATA, tempDir } from '../helpers/temp';
import { mulberry32 } from '../../models/lib/random';
import { assertAccessible, shot, trainWithCli, workbenchPage } from './harness';

const KDD = path.join(SHARED_DATA, 'nsl-kdd');
const downloads = tempDir('dt-e2e-downloads-');
// Training through the CLI into the workspace first is the quick way to two comparable runs;
// the Train view's own e2e test covers training through the UI.
const s = workbenchPage({
  viewport: { width: 1440, height: 1100 },
  acceptDownloads: true,
  prepare: async (workspace) => {
    await trainWithCli(workspace, { train: path.join(KDD, 'KDDTest-21.txt'), test: path.join(KDD, 'KDDTest+.txt'), models: 'logreg,dnn1', epochs: 2, batch: 128 });
    await importPointsWithCli(workspace);
  },
});

/** A generated two-feature file to sweep on in the last test: small enough that three trials add seconds. */
async function importPointsWithCli(workspace: string): Promise<void> {
  const rand = mulberry32(5);
  const lines = ['a,b,label'];
  for (let i = 0; i < 400; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${a + 0.5 * b > 0 ? 'attack' : 'normal'}`);
  }
  const file = path.join(tempDir('dt-e2e-sweep-'), 'points.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/index.ts', 'import', file, '--workspace', workspace],
    { cwd: REPO_ROOT, timeout: 240_000 },
  );
}

async function download(testid: string): Promise<string> {
  const { page } = s;
  const [dl] = (await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])) as [Download, unknown];
  const file = path.join(downloads, dl.suggestedFilename());
  await dl.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}

/** Height of each of the picker's rows and whether the picker scrolls sideways (it should not at 1440 px). */
const pickerLayout = () =>
  s.page.getByTestId('run-picker').evaluate((picker) => {
    const scroll = picker.querySelector('.scroll')!;
    const right = scroll.getBoundingClientRect().right;
    return {
      heights: [...picker.querySelectorAll('tbody tr[data-run-id]')].map((r) => Math.round(r.getBoundingClientRect().height)),
      // What sticks out on the right, to name it when the picker scrolls sideways.
      sideways: scroll.scrollWidth > scroll.clientWidth ? [...scroll.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > right + 0.5).map((e) => `${e.tagName} ${e.textContent?.slice(0, 20)}`) : false,
    };
  });

/** One line per run: the tags, note and "Evaluate on…" controls sit beside the name, not under it. */
async function assertCompactPicker(when: string): Promise<void> {
  const layout = await pickerLayout();
  assert.ok(layout.heights.length > 0 && layout.heights.every((h) => h <= 40), `${when}: picker rows ${layout.heights.join(', ')} px`);
  assert.equal(layout.sideways, false, `${when}: the picker scrolls sideways`);
}

const pointsOf = (testid: string) =>
  s.page.waitForFunction((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) > 10, testid, { timeout: 30_000 });

test('two runs side by side: metrics with the best highlighted, curves, confusion cells, paired test and exports', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/compare`);
  const picks = page.getByTestId('pick-run');
  await picks.nth(1).waitFor();
  assert.equal(await picks.count(), 2);
  await assertCompactPicker('two fresh runs');
  // Keyboard: the picker's rows are reached with the arrows and Home/End; Space and Enter tick the focused run.
  const focusedPick = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      const picks = [...document.querySelectorAll('[data-testid="pick-run"]')];
      return { at: picks.indexOf(el), outline: getComputedStyle(el).outlineStyle, bar: getComputedStyle(el.closest('td')!).boxShadow.includes('inset') };
    });
  await picks.nth(0).focus();
  await page.keyboard.press('End');
  assert.deepEqual(await focusedPick(), { at: 1, outline: 'solid', bar: true });
  await page.keyboard.press('Home');
  assert.equal((await focusedPick()).at, 0);
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await focusedPick(), { at: 1, outline: 'solid', bar: true });
  await page.keyboard.press('Enter');
  assert.deepEqual([await picks.nth(0).isChecked(), await picks.nth(1).isChecked()], [true, true]);
  await shot(page, 'compare-picker-keys');
  await page.keyboard.press('Enter');
  assert.equal(await picks.nth(1).isChecked(), false);
  await page.keyboard.press('Space');
  assert.equal(await picks.nth(1).isChecked(), true);

  const metrics = page.getByTestId('metrics-table');
  await metrics.locator('tbody tr').nth(1).waitFor();
  assert.equal(await metrics.locator('tbody tr').count(), 2);
  assert.ok((await metrics.locator('td[data-best="true"]').count()) > 0, 'a best value is highlighted');
  assert.match(await metrics.locator('caption').innerText(), /official test file: KDDTest\+\.txt/);
  assert.match(await page.getByTestId('testset-select').inputValue(), /official-test/);

  await pointsOf('roc-chart');
  await pointsOf('pr-chart');
  for (const id of ['roc-chart', 'pr-chart']) assert.equal(await page.getByTestId(id).locator('canvas').count(), 1);
  // The table's ranking figures name their curve, and the first pair is the curve the charts show: they agree.
  const groups = await metrics.locator('thead th.group').allInnerTexts();
  assert.ok(groups.includes('Ranking · any attack vs normal'), groups.join(' | '));
  // By default the figures that repeat or refine these (weighted, class-averaged) stay out, so the table
  // fits the panel at 1440 px without scrolling sideways; one tick brings them in, and the choice is kept.
  assert.ok(!groups.includes('Weighted') && !groups.includes('Ranking · class-averaged'), groups.join(' | '));
  const sideways = () => page.locator('[aria-label="metrics table (scrolls sideways)"]').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok((await sideways()) <= 1, `the default metrics table scrolls sideways by ${await sideways()} px`);
  // In a 1,100 px window too: the headers wrap and the cells tighten.
  await page.setViewportSize({ width: 1100, height: 1100 });
  assert.ok((await sideways()) <= 1, `at 1,100 px the default metrics table scrolls sideways by ${await sideways()} px`);
  await shot(page, 'compare-metrics-1100');
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.getByTestId('metrics-all-columns').check();
  const allGroups = await metrics.locator('thead th.group').allInnerTexts();
  assert.ok(allGroups.includes('Weighted') && allGroups.includes('Ranking · class-averaged'), allGroups.join(' | '));
  await page.reload();
  await metrics.locator('tbody tr').nth(1).waitFor();
  assert.equal(await page.getByTestId('metrics-all-columns').isChecked(), true);
  await page.getByTestId('metrics-all-columns').uncheck();
  const rocLegend = (await page.getByTestId('roc-chart').getAttribute('aria-label')) ?? '';
  const prLegend = (await page.getByTestId('pr-chart').getAttribute('aria-label')) ?? '';
  for (const model of ['logreg', 'dnn1']) {
    const row = metrics.locator('tbody tr', { hasText: model });
    const auc = (await row.locator('td[data-metric="auc"]').innerText()).trim();
    const ap = (await row.locator('td[data-metric="averagePrecision"]').innerText()).trim();
    assert.match(auc, /^0\.\d{4}$/);
    assert.ok(rocLegend.includes(`(AUC ${auc})`), `${model}: table AUC ${auc} not in the ROC legend: ${rocLegend}`);
    assert.ok(prLegend.includes(`(AP ${ap})`), `${model}: table AP ${ap} not in the PR legend: ${prLegend}`);
  }
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
  // The report is a white page and its charts are drawn light for it: white background, dark ink.
  const images = [...html.matchAll(/<img src="(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]);
  // One evaluate per image and no named functions inside: tsx would wrap those in a helper the page lacks.
  const tones = await Promise.all(
    images.map((src) =>
      page.evaluate(async (url) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
        return { corner: [d[0], d[1], d[2]], mean: sum / (d.length / 4) };
      }, src),
    ),
  );
  assert.ok(tones.length >= 4);
  for (const t of tones) {
    assert.deepEqual(t.corner, [255, 255, 255]);
    assert.ok(t.mean > 200, `a report chart's mean brightness is ${t.mean.toFixed(0)} of 255`);
  }
  await assertAccessible(page, 'Compare');
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
  // The note editor floats over the row too.
  await assertCompactPicker('editing a note');
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
    // The form floats over the row (the row keeps its height) and takes the focus.
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid), 'evaluate-dataset');
    await assertCompactPicker(`choosing a dataset for ${model}`);
    if (model === 'logreg') {
      // Escape closes the form and gives the focus back to the button; Enter opens it again.
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid), 'evaluate-open');
      await page.keyboard.press('Enter');
      await r.getByTestId('evaluate-dataset').waitFor();
    }
    await r.getByTestId('evaluate-dataset').selectOption({ label: 'KDDTest-21.txt (held-out validation split)' });
    await r.getByTestId('evaluate-go').click();
    await r.getByText('random split', { exact: false }).waitFor({ timeout: 60_000 });
  }
  // A tag, a note and two evaluations per run still fit one line.
  await assertCompactPicker('tagged, noted and evaluated twice');
  await shot(page, 'compare-picker-full');
  // In a 1,100 px window the training-set column gives way (the name says it), and the run name keeps room.
  await page.setViewportSize({ width: 1100, height: 1100 });
  await assertCompactPicker('a 1,100 px window');
  const nameWidth = await page.getByTestId('run-picker').locator('thead th').nth(1).evaluate((th) => th.getBoundingClientRect().width);
  assert.ok(nameWidth >= 220, `run-name column ${nameWidth} px wide at 1,100 px`);
  await shot(page, 'compare-picker-1100');
  await page.setViewportSize({ width: 1440, height: 1100 });
  const select = page.getByTestId('testset-select');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="testset-select"] option').length === 2);
  const option = await select.locator('option', { hasText: 'random split of the training file' }).getAttribute('value');
  await select.selectOption(option!);
  await page.getByTestId('metrics-table').locator('caption').getByText('random split of the training file: KDDTest-21.txt').waitFor();
  assert.match(await page.getByTestId('roc-frame').innerText(), /random split of the training file/);
  assert.equal(await page.getByTestId('metrics-table').locator('tbody tr').count(), 2);
  assert.deepEqual(errors, []);
});

test('a sweep defined in Train shows in Compare: sortable trial table, parallel coordinates, the best trial one click from Compare and Inspect', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/train`);
  const form = page.getByTestId('sweep-form');
  await form.locator('summary').click();
  await form.getByLabel('sweep training set').selectOption({ label: 'points.csv (400 rows)' });
  await form.locator('label', { hasText: 'logreg' }).locator('input').check();
  // Only what logistic regression reads is offered: no filters, units or embedding size.
  assert.deepEqual(await form.locator('input.values').evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))), ['learningRate', 'batchSize', 'epochs', 'classWeight', 'optimizer']);
  await form.getByLabel('learning rate values').fill('0.05,0.000001,0.003');
  await form.getByLabel('search batch size').check();
  await form.getByLabel('batch size values').fill('32');
  await form.getByLabel('sweep epochs').fill('3');
  await form.locator('input[type="number"]').last().fill('2');
  await form.getByLabel('metric').selectOption('valLoss');
  await shot(page, 'train-sweep-form');
  await form.getByTestId('sweep-start').click();
  await page.waitForFunction(() => /#\/compare\?sweep=sweep_/.test(location.hash));
  const panel = page.getByTestId('sweep-panel');
  await panel.locator('[data-testid="sweep-summary"][data-status="done"]').waitFor({ timeout: 180_000 });
  const table = panel.getByTestId('sweep-table');
  await table.locator('tbody tr').nth(2).waitFor();
  // Sorted by validation loss, best first: the largest learning rate wins, 1e-6 is stopped at the first rung.
  const firstRow = table.locator('tbody tr').first();
  assert.match(await firstRow.innerText(), /logreg\s+0\.05\s+32\s+0\.\d{4}\s+3\s+done/);
  assert.ok(await firstRow.evaluate((el) => el.classList.contains('best')));
  assert.match(await table.locator('tr[data-trial="1"]').innerText(), /stopped at epoch 1/);
  // Trials are runs named by the sweep, their number and the values they drew: in the table, the best bar and the plot.
  assert.equal(await firstRow.getByTestId('trial-run').innerText(), 'logreg on points.csv · trial 1 · lr 5e-2 · b32');
  assert.equal(await panel.getByTestId('sweep-best-name').innerText(), 'logreg on points.csv · trial 1 · lr 5e-2 · b32');
  assert.match((await panel.locator('path.trial[data-trial="2"] title').textContent()) ?? '', /^logreg on points\.csv · trial 3 · lr 3e-3 · b32 · validation loss \d+\.\d{4}( · stopped at epoch \d+)?$/);
  await table.locator('[data-sort="learningRate"]').click();
  assert.match(await table.locator('tbody tr').first().innerText(), /0\.000001/);
  await table.locator('[data-sort="learningRate"]').click();
  assert.match(await table.locator('tbody tr').first().innerText(), /0\.05/);

  const plot = panel.getByTestId('sweep-parallel');
  assert.equal(await plot.locator('path.trial').count(), 3);
  assert.equal(await plot.locator('path.trial.best').count(), 1);
  assert.equal(await plot.locator('path.trial.stopped[data-trial="1"]').count(), 1);
  assert.deepEqual(await plot.locator('g.axis').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-axis'))), ['learningRate', 'batchSize', 'metric']);
  assert.match((await plot.locator('g[data-axis="learningRate"] .name').textContent()) ?? '', /log/);
  // The plot spans the panel, its last axis near the right edge (it was a fixed box ~100 px short of it).
  const [svgWidth, panelWidth] = await plot.evaluate((f) => [f.querySelector('svg')!.getBoundingClientRect().width, f.getBoundingClientRect().width]);
  assert.ok(svgWidth >= panelWidth - 2 && svgWidth <= panelWidth + 1, `plot ${svgWidth} px in a ${panelWidth} px panel`);
  await table.locator('tr[data-trial="2"]').hover();
  assert.equal(await plot.locator('path.trial.hot').getAttribute('data-trial'), '2');
  await shot(page, 'compare-sweep');
  // Sweep trials carry a long "sweep:<name>" tag: it is cut to fit, each run stays one line.
  await assertCompactPicker('with tagged sweep trials');
  assert.ok(await panel.getByTestId('best-scan').isDisabled(), 'a records model cannot scan URLs');

  await panel.getByTestId('best-compare').click();
  await page.waitForFunction(() => /runs=run_/.test(location.hash) && /sweep=sweep_/.test(location.hash));
  await page.getByTestId('run-picker').waitFor();
  assert.equal(await page.locator('[data-testid="pick-run"]:checked').count(), 3);

  // Inspect needs scored rows: the sweep had no test set, so the best run's validation rows are scored first.
  await panel.getByTestId('best-inspect').click();
  await page.waitForFunction(() => /#\/inspect\?eval=ev_/.test(location.hash), undefined, { timeout: 60_000 });
  await page.locator('[data-view="inspect"]').waitFor();
  assert.deepEqual(errors, []);
});
