import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Download } from 'playwright-core';
import { SHARED_DATA, tempDir } from '../helpers/temp';
import { maliciousUrl } from '../helpers/urls';
import { createEngine } from '../../electron/engine';
import { assertAccessible, finished, shot, trainUrlModel, trainWithCli, workbenchPage } from './harness';

let urlRunId: string;
let ensembleEvalId: string;

const KDD = path.join(SHARED_DATA, 'nsl-kdd');
// Made at the top level: tempDir's cleanup registered inside before() would run as soon as that hook ends.
const files = tempDir('dt-e2e-inspect-files-');
const s = workbenchPage({
  viewport: { width: 1440, height: 1000 },
  acceptDownloads: true,
  prepare: async (workspace) => {
    // Two record models scored on an official test file, and a small character model for URLs.
    await trainWithCli(workspace, { train: path.join(KDD, 'KDDTrain+_20Percent.txt'), test: path.join(KDD, 'KDDTest-21.txt'), models: 'dnn1,logreg', epochs: 2, batch: 256 });
    urlRunId = await trainUrlModel(workspace, path.join(files, 'urls.csv'));
    ensembleEvalId = await scoredEnsemble(workspace);
  },
});

/**
 * A mean ensemble of the two record runs, scored on the validation rows of their training set: not on
 * KDDTest-21.txt, whose two evaluations the first tests count.
 */
async function scoredEnsemble(workspace: string): Promise<string> {
  const engine = createEngine({ workspaceDir: workspace, transport: 'cli' });
  try {
    const members = (await engine.handlers['runs.list']({})).filter((r) => r.modelId === 'dnn1' || r.modelId === 'logreg');
    const created = await engine.handlers['ensemble.create']({ runIds: members.map((r) => r.id), method: 'mean' });
    await finished(engine, created);
    const scored = await engine.handlers['eval.start']({ runId: created.runId, datasetId: members[0].datasetId! });
    await finished(engine, scored);
    return scored.evalId;
  } finally {
    await engine.close();
  }
}

const totalOf = async () => Number(await s.page.getByTestId('inspect-total').getAttribute('data-total'));
const row = (i: number) => s.page.getByTestId('inspect-table').locator(`.row[data-index="${i}"]`);

async function explained(): Promise<void> {
  const { page } = s;
  await page.getByTestId('explain-panel').locator('[data-testid="model-why"]').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="explain-panel"]')?.getAttribute('data-loading') === 'false', null, { timeout: 60_000 });
}

async function assertTableFits(where: string): Promise<void> {
  const m = await s.page.evaluate(() => {
    const doc = document.scrollingElement!;
    const wrap = document.querySelector('[data-testid="inspect-table-wrap"]')!;
    const column = wrap.parentElement!;
    const panel = document.querySelector('[data-testid="explain-panel"]')!;
    return {
      page: [doc.scrollWidth, doc.clientWidth],
      column: [column.scrollWidth, column.clientWidth],
      table: [wrap.scrollWidth, wrap.clientWidth],
      gap: panel.getBoundingClientRect().left - wrap.getBoundingClientRect().right,
    };
  });
  assert.ok(m.page[0] <= m.page[1], `${where}: the page scrolls sideways ${JSON.stringify(m)}`);
  assert.ok(m.column[0] <= m.column[1], `${where}: something in the table's column is wider than it ${JSON.stringify(m)}`);
  assert.ok(m.gap >= 0, `${where}: the table runs under the detail panel ${JSON.stringify(m)}`);
  if (where === '1440 px') assert.ok(m.table[0] <= m.table[1], `${where}: the table scrolls sideways ${JSON.stringify(m)}`);
}

/** True label and the first model's prediction of the rendered row. */
async function labelsOf(i: number): Promise<{ t: string; p: string; id: string }> {
  const r = row(i);
  await r.getByTestId('inspect-row').waitFor();
  return {
    id: await r.locator('.id').innerText(),
    t: await r.locator('.true').innerText(),
    p: await r.getByTestId('pred').first().innerText(),
  };
}

test('misclassified records: open one, read probabilities and attributions, move with the keyboard, export', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/inspect`);
  const select = page.getByTestId('dataset-select');
  await select.waitFor();
  const kdd = await select.locator('option', { hasText: 'KDDTest-21.txt' }).getAttribute('value');
  await select.selectOption(kdd!);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pick-eval"]:checked').length === 2);
  // Each evaluation shows where its rows come from.
  assert.equal(await page.getByTestId('eval-picker').locator('[data-testid="split-badge"][data-split="official-test"]').count(), 2);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="inspect-total"]')?.getAttribute('data-total')) === 11850);

  await page.getByTestId('filter-misclassified').check();
  await page.waitForFunction(() => {
    const n = Number(document.querySelector('[data-testid="inspect-total"]')?.getAttribute('data-total'));
    return n > 0 && n < 11850;
  });
  const misclassified = await totalOf();
  for (let i = 0; i < 5; i++) {
    const l = await labelsOf(i);
    assert.notEqual(l.t, l.p, `row ${i} is misclassified by the first model`);
  }

  const first = await labelsOf(0);
  await row(0).getByTestId('inspect-row').click();
  await explained();
  const panel = page.getByTestId('explain-panel');
  assert.match(await panel.locator('h2').innerText(), new RegExp(`Record ${first.id.replace(/[.+]/g, '\\$&')}$`));
  assert.equal(await panel.getByTestId('true-label').innerText(), first.t);
  assert.ok((await panel.getByTestId('raw-line').innerText()).split(',').length >= 42, 'the raw KDD line');
  assert.ok((await panel.getByTestId('decoded-fields').locator('div').count()) >= 38, 'decoded fields');
  // Both models' probabilities side by side: one cell per class and model, each a percentage.
  const cells = panel.getByTestId('proba-cell');
  assert.equal(await cells.count(), 2 * 5);
  for (const t of await cells.allInnerTexts()) assert.match(t, /^\d+\.\d %$/);
  // One attribution chart per model, top 15 features, labelled with the value and (numeric) training range.
  const charts = panel.getByTestId('attribution-chart');
  assert.equal(await charts.count(), 2);
  assert.equal(await charts.first().getAttribute('data-bars'), '15');
  const labels = await charts.first().getByTestId('attribution-bar').locator('.label').allInnerTexts();
  assert.ok(labels.every((l) => /^\S+\s*= \S+/.test(l)), labels.join(' | '));
  assert.ok(labels.some((l) => /\[\S+ … \S+\]/.test(l)), 'a numeric feature shows its training range');
  // One number format: no exponent notation, no "-0", counts with separators.
  for (const l of labels) assert.doesNotMatch(l, /\de[+-]?\d|(^|[\s[])-0(?![.\d])|(?<![.\d,])\d{4,}/, l);
  // One diverging scale: warm towards an attack, cool towards normal, whichever class each model predicts.
  const scales = await panel.getByTestId('model-why').evaluateAll((whys) =>
    whys.map((w) => ({
      predicted: w.querySelector('.pred')?.textContent ?? '',
      key: w.querySelector('[data-testid="diverging-key"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
      bars: [...w.querySelectorAll('[data-testid="attribution-bar"]')].map((b) => ({
        value: Number(b.querySelector('.num')!.textContent!.replace(/,/g, '')),
        side: b.getAttribute('data-side'),
        colour: getComputedStyle(b.querySelector('.fill')!).backgroundColor,
      })),
    })),
  );
  for (const m of scales) {
    assert.match(m.key, /towards attack towards normal/);
    for (const b of m.bars.filter((x) => x.value !== 0)) {
      const towardsAttack = (b.value > 0) !== (m.predicted === 'normal');
      assert.equal(b.side, towardsAttack ? 'attack' : 'normal', `${m.predicted}: ${b.value}`);
      assert.equal(b.colour, towardsAttack ? 'rgb(242, 106, 61)' : 'rgb(77, 141, 255)');
    }
  }
  assert.match(await panel.locator('[data-testid="model-why"][data-method="integrated-gradients"]').first().getByTestId('completeness').innerText(), /Σ attributions = -?\d+\.\d{4} vs f\(x\) − f\(baseline\) = -?\d+\.\d{4}/);
  assert.equal(await panel.getByTestId('neighbour').count(), 5);
  await shot(page, 'inspect-record');
  // With the detail panel open the record table fits its column: nothing wider than the column, the page
  // does not scroll sideways, and the table stops short of the panel. In a narrower window the table may
  // scroll sideways, but inside its own box.
  await assertTableFits('1440 px');
  await page.setViewportSize({ width: 1100, height: 1000 });
  await assertTableFits('1100 px');
  await shot(page, 'inspect-record-1100');
  await page.setViewportSize({ width: 1440, height: 1000 });

  // ↓ moves to the next filtered row and the panel follows it.
  const second = await labelsOf(1);
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((id) => document.querySelector('[data-testid="explain-panel"] h2')?.textContent === `Record ${id}`, second.id, { timeout: 30_000 });
  await explained();
  assert.equal(await row(1).getAttribute('class').then((c) => /selected/.test(c ?? '')), true);
  assert.equal(await panel.getByTestId('true-label').innerText(), second.t);
  await page.keyboard.press('k');
  await page.waitForFunction((id) => document.querySelector('[data-testid="explain-panel"] h2')?.textContent === `Record ${id}`, first.id, { timeout: 30_000 });
  await explained();
  await assertAccessible(page, 'Inspect with an explanation open');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });

  const [dl] = (await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])) as [Download, unknown];
  const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split(/\r\n/);
  assert.match(csv[0], /^row,record,true_label,dnn1_\w{6}_pred,dnn1_\w{6}_confidence,logreg_\w{6}_pred,logreg_\w{6}_confidence$/);
  assert.equal(csv.length - 1, misclassified);
  const cols = csv[1].split(',');
  assert.equal(cols[1], first.id);
  assert.notEqual(cols[2], cols[3]);
  assert.deepEqual(errors, []);
});

test('a Compare-style deep link opens the evaluation filtered to one confusion cell', async () => {
  const { wb, page, errors } = s;
  const evalId = await page.locator('[data-testid="eval-option"][data-model="dnn1"]').getAttribute('data-eval-id');
  // A cell that has rows: the first misclassified record's (true, predicted).
  const cell = await labelsOf(0);
  await page.goto(`${wb.url}#/inspect?eval=${evalId}&true=${cell.t}&pred=${cell.p}`);
  // No helper functions inside page functions: tsx would wrap them in a __name() the page does not have.
  await page.waitForFunction(
    ({ t, p }) =>
      (document.querySelector('[data-testid="filter-true"]') as HTMLSelectElement | null)?.value === t &&
      (document.querySelector('[data-testid="filter-pred"]') as HTMLSelectElement | null)?.value === p,
    cell,
  );
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pick-eval"]:checked').length === 1);
  await row(0).getByTestId('inspect-row').waitFor();
  const total = await totalOf();
  assert.ok(total > 0 && total < 11850);
  for (let i = 0; i < Math.min(5, total); i++) {
    const l = await labelsOf(i);
    assert.deepEqual([l.t, l.p], [cell.t, cell.p]);
  }
  // The filter names the model it reads, and keeps it when a second model is ticked.
  assert.match(await page.getByTestId('filter-by-name').innerText(), /^of dnn1/);
  await page.locator('[data-testid="eval-option"][data-model="logreg"]').getByTestId('pick-eval').check();
  await page.getByTestId('filter-by').waitFor();
  assert.equal(await page.getByTestId('filter-by').inputValue(), evalId);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="inspect-row"] [data-testid="pred"]').length > 1);
  assert.equal(await totalOf(), total);
  const heads = await page.getByTestId('model-head').allInnerTexts();
  const dnnColumn = heads.findIndex((t) => t.startsWith('dnn1'));
  // Each model's column is headed by its run's name, not its architecture and a piece of its id.
  assert.match(heads[dnnColumn], /^dnn1 · KDDTrain\+_20Percent\.txt · 2 ep · b256 · lr 1e-3/);
  for (let i = 0; i < Math.min(5, total); i++) {
    assert.equal(await row(i).locator('.true').innerText(), cell.t);
    assert.equal(await row(i).getByTestId('pred').nth(dnnColumn).innerText(), cell.p);
  }
  await page.locator('[data-testid="eval-option"][data-model="logreg"]').getByTestId('pick-eval').uncheck();
  assert.deepEqual(errors, []);
});

test('a Scan-style deep link explains a URL with per-character shading; any URL can be typed in', async () => {
  const { wb, page, errors } = s;
  const url = maliciousUrl(424242);
  await page.goto(`${wb.url}#/inspect?run=${urlRunId}&url=${encodeURIComponent(url)}`);
  await explained();
  const panel = page.getByTestId('explain-panel');
  assert.equal(await panel.getByTestId('raw-line').innerText(), url);
  const shading = panel.getByTestId('char-saliency');
  const n = Number(await shading.getAttribute('data-chars'));
  assert.ok(n >= 30, `${n} characters`);
  const shaded = await shading.locator('.ch').evaluateAll((els) => els.filter((e) => (e as HTMLElement).style.background.startsWith('rgba')).length);
  assert.ok(shaded > 0, 'some characters are shaded');
  assert.equal(await page.getByTestId('url-input').inputValue(), url);
  await shot(page, 'inspect-url');

  await page.getByTestId('url-input').fill('news.example.com/articles/2010/story-7');
  await page.getByTestId('url-go').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="raw-line"]')?.textContent === 'news.example.com/articles/2010/story-7', null, { timeout: 60_000 });
  await explained();
  assert.ok(Number(await panel.getByTestId('char-saliency').getAttribute('data-chars')) > 20);
  assert.deepEqual(errors, []);
});

test("an ensemble's explanation names each member by its run's name", async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/inspect?eval=${ensembleEvalId}`);
  await page.getByTestId('inspect-row').first().click();
  const shares = page.getByTestId('ensemble-shares');
  await shares.waitFor({ timeout: 60_000 });
  assert.deepEqual((await shares.getByTestId('ensemble-member').allInnerTexts()).sort(), [
    'dnn1 · KDDTrain+_20Percent.txt · 2 ep · b256 · lr 1e-3',
    'logreg · KDDTrain+_20Percent.txt · 2 ep · b256 · lr 1e-2',
  ]);
  await shot(page, 'inspect-ensemble-e2e');
  assert.deepEqual(errors, []);
});
