import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EmbeddingMapSchema, EmbeddingSummarySchema, type EmbeddingMap } from '../../shared/embed';
import { frameOf, inRect, toPx, type Frame } from '../../renderer/src/views/embedding/plot';
import { tempDir } from '../helpers/temp';
import { benignUrl, maliciousUrl } from '../helpers/urls';
import { createEngine } from '../../electron/engine';
import { assertAccessible, finished, shot, trainUrlModel, workbenchPage } from './harness';

const dir = tempDir();
let doneRun = '';
let cancelledRun = '';
/** A stored map of 1,300 records, for a selection of over a thousand points. */
let bigMapId = '';
const BIG = 1300;
const s = workbenchPage({
  viewport: { width: 1400, height: 1100 },
  acceptDownloads: true,
  prepare: async (workspace) => {
    doneRun = await trainUrlModel(workspace, path.join(dir, 'train.csv'), path.join(dir, 'test.csv'));
    // A newer run, cancelled: the Run list must not default to it.
    const engine = createEngine({ workspaceDir: workspace, transport: 'cli' });
    const datasetId = (await engine.handlers['runs.get']({ runId: doneRun })).datasetId!;
    const { runs } = await engine.handlers['train.start']({ datasetId, modelIds: ['char-cnn'], params: { epochs: 1, batchSize: 32, filters: 8, units: 8 }, tags: [] });
    engine.jobs.cancel(runs[0].jobId);
    await engine.jobs.wait(runs[0].jobId);
    cancelledRun = runs[0].runId;
    // 1,300 more URLs encoded like the training set, and a stored map of all of them. The map is written
    // as a generated fixture (points on a grid) rather than computed: a UMAP of this size took 23 s on the loaded 2-core test machine, and
    // what this map tests is the view's list, not the projection (the 300-point map above is computed).
    const many = path.join(dir, 'many.csv');
    const urls: [string, string][] = [];
    for (let i = 1000; i < 1000 + BIG / 2; i++) urls.push([benignUrl(i), 'benign'], [maliciousUrl(i), 'malicious']);
    fs.writeFileSync(many, ['url,label', ...urls.map((u) => u.join(','))].join('\n') + '\n');
    const imported = await finished<{ datasetId: string }>(engine, engine.handlers['datasets.import']({ path: many, options: { format: 'auto', errors: 'lenient', encodeLike: datasetId } }));
    bigMapId = 'map_e2e_big';
    const map: EmbeddingMap = EmbeddingMapSchema.parse({
      mapId: bigMapId, runId: doneRun, modelId: 'char-cnn', method: 'umap', seed: 3, sampleSize: BIG, count: BIG,
      source: { kind: 'dataset', datasetId: imported.datasetId, datasetName: 'many.csv' },
      layer: 'dense (32 units, the layer before the output)', dims: 32, neighbourAgreement: null, createdAt: Date.now(), classes: ['benign', 'malicious'],
      points: urls.map(([url, label], row) => ({
        x: row % 40, y: Math.floor(row / 40), trueLabel: label, predicted: label, confidence: 0.9, row, id: `many.csv:${row + 2}`, char: null, text: `${url},${label}`,
      })),
    });
    fs.mkdirSync(path.join(workspace, 'embeddings'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'embeddings', `${bigMapId}.json`), JSON.stringify(map));
    fs.writeFileSync(path.join(workspace, 'embeddings', `${bigMapId}.summary.json`), JSON.stringify(EmbeddingSummarySchema.parse({ ...map, points: undefined })));
    await engine.close();
  },
});

test('computing a map draws its points; hover names the record; a dragged rectangle lists what it holds', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/embedding`);
  await page.getByRole('link', { name: 'Embedding' }).waitFor();
  for (const name of ['Datasets', 'Train', 'Compare', 'Inspect', 'Scan']) assert.equal(await page.getByRole('link', { name, exact: true }).count(), 1);
  // The Run list defaults to the newest finished run, never the newer cancelled one, and lists names.
  const runField = page.getByTestId('embed-run');
  await page.waitForFunction(() => (document.querySelector('[data-testid="embed-run"]') as HTMLSelectElement | null)?.value.startsWith('run_'));
  assert.equal(await runField.inputValue(), doneRun);
  assert.match(await runField.locator('option:checked').innerText(), /^char-cnn · train\.csv · 3 ep · b32 · lr /);
  const source = page.getByTestId('embed-source');
  await page.waitForFunction(() => (document.querySelector('[data-testid="embed-source"]') as HTMLSelectElement | null)?.value.startsWith('ds_'));
  assert.match(await source.locator('option:checked').innerText(), /train\.csv/);
  await page.getByTestId('embed-sample').fill('300');
  await page.getByTestId('embed-seed').fill('7');
  await page.getByTestId('embed-compute').click();

  const mapEl = page.getByTestId('embedding-map-0');
  await page.waitForFunction(() => document.querySelector('[data-testid="embedding-map-0"]')?.getAttribute('data-points') === '300', null, { timeout: 90_000 });
  const mapId = (await mapEl.getAttribute('data-map-id'))!;
  const map = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'embeddings', `${mapId}.json`), 'utf8')) as EmbeddingMap;
  assert.equal(map.count, 300);
  assert.equal(map.points.filter((p) => p.trueLabel === 'malicious').length, 150);
  const frame = JSON.parse((await mapEl.getAttribute('data-frame'))!) as Frame;
  assert.deepEqual(frame, frameOf(map.points, frame.width, frame.height, frame.top, frame.pad));
  const box = (await mapEl.locator('canvas').boundingBox())!;

  // Hover over a point: the tooltip shows its URL.
  const target = map.points[0];
  const [tx, ty] = toPx(frame, target);
  await page.mouse.move(box.x + tx, box.y + ty);
  assert.equal(await page.getByTestId('map-tooltip').locator('.text').innerText(), target.text);

  // Drag a rectangle around the phishing URLs: what it encloses is selected and listed.
  const px = map.points.filter((p) => p.trueLabel === 'malicious').map((p) => toPx(frame, p));
  const x0 = Math.min(...px.map((p) => p[0])) - 3;
  const x1 = Math.max(...px.map((p) => p[0])) + 3;
  const y0 = Math.min(...px.map((p) => p[1])) - 3;
  const y1 = Math.max(...px.map((p) => p[1])) + 3;
  const expected = inRect(frame, map.points, x0, y0, x1, y1).length;
  assert.ok(expected >= 150);
  await page.mouse.move(box.x + x0, box.y + y0);
  await page.mouse.down();
  await page.mouse.move(box.x + (x0 + x1) / 2, box.y + (y0 + y1) / 2, { steps: 4 });
  await page.mouse.move(box.x + x1, box.y + y1, { steps: 4 });
  await page.mouse.up();
  const list = page.getByTestId('embedding-selection');
  await list.waitFor();
  assert.equal(await list.getAttribute('data-count'), String(expected));
  assert.equal(await mapEl.getAttribute('data-selected'), String(expected));
  // Virtualized: every selected row is in the list, only those in view are in the page, and the page does not grow.
  const rowsEl = list.getByTestId('selection-rows');
  assert.equal(await rowsEl.getAttribute('data-total'), String(expected));
  const rendered = await rowsEl.locator('[data-row]').count();
  assert.ok(rendered > 5 && rendered <= 30, `${rendered} rows in the page`);
  assert.match(await rowsEl.locator('[data-row]').first().innerText(), /secure-login|articles/);
  assert.ok((await rowsEl.boundingBox())!.height <= 362);
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(pageHeight < 2400, `page is ${pageHeight} px tall`);
  await assertAccessible(page, 'Embedding with a selection listed');
  await shot(page, 'embedding');

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV' }).click();
  const csv = fs.readFileSync(await (await csvDownload).path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(csv[0], 'row,id,x,y,true_label,predicted,confidence,misclassified,text');
  assert.equal(csv.length, 301);
  const pngDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PNG' }).click();
  const png = fs.readFileSync(await (await pngDownload).path());
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');

  // The Run field always names the run whose map is shown: picking another run shows that run's map (none yet)…
  await runField.selectOption(cancelledRun);
  await page.waitForFunction(() => !document.querySelector('[data-testid="embedding-map-0"]'));
  // …and opening a stored map puts its run back in the field.
  await page.getByLabel('stored maps').selectOption(mapId);
  await mapEl.waitFor();
  assert.equal(await runField.inputValue(), doneRun);
  await page.mouse.move(box.x + x0, box.y + y0);
  await page.mouse.down();
  await page.mouse.move(box.x + x1, box.y + y1, { steps: 4 });
  await page.mouse.up();
  await list.getByTestId('open-in-inspect').click();
  await page.waitForFunction(() => location.hash.startsWith('#/inspect?dataset=ds_'));
  const params = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
  assert.equal(params.get('dataset'), map.source.datasetId);
  assert.equal(params.get('rows')!.split(',').length, expected);

  // Over a thousand points selected: the list still renders a window of rows and the page stays short.
  await page.goto(`${wb.url}#/embedding?map=${bigMapId}`);
  await page.waitForFunction((n) => document.querySelector('[data-testid="embedding-map-0"]')?.getAttribute('data-points') === String(n), BIG, { timeout: 30_000 });
  const big = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'embeddings', `${bigMapId}.json`), 'utf8')) as EmbeddingMap;
  const bigFrame = JSON.parse((await mapEl.getAttribute('data-frame'))!) as Frame;
  const all = big.points.map((p) => toPx(bigFrame, p));
  const [bx0, bx1] = [Math.min(...all.map((p) => p[0])) - 2, Math.max(...all.map((p) => p[0])) + 2];
  const [by0, by1] = [Math.min(...all.map((p) => p[1])) - 2, Math.max(...all.map((p) => p[1])) + 2];
  const inside = inRect(bigFrame, big.points, bx0, by0, bx1, by1);
  assert.equal(inside.length, BIG);
  const bigBox = (await mapEl.locator('canvas').boundingBox())!;
  await page.mouse.move(bigBox.x + bx0, bigBox.y + by0);
  await page.mouse.down();
  await page.mouse.move(bigBox.x + bx1, bigBox.y + by1, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((n) => document.querySelector('[data-testid="embedding-selection"]')?.getAttribute('data-count') === String(n), BIG);
  const lastPoint = big.points[inside[inside.length - 1]];
  const windowSize = () => rowsEl.locator('[data-row]').count();
  assert.ok((await windowSize()) <= 30, `${await windowSize()} of ${BIG} rows in the page`);
  const bigPage = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(bigPage < 2400, `page is ${bigPage} px tall with ${BIG} selected`);

  // Keyboard: ↓ and End move the focus through all rows, End to the last record (rendered on the way),
  // Home back to the first; Enter opens the focused record in Inspect, as a click does.
  const focusedRow = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { index: el.closest<HTMLElement>('.row')?.dataset.index, row: el.dataset.row, outline: getComputedStyle(el).outlineStyle };
    });
  await rowsEl.locator('.row[data-index="0"] [data-row]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await focusedRow(), { index: '2', row: String(big.points[inside[2]].row), outline: 'solid' });
  await page.keyboard.press('End');
  await page.waitForFunction((i) => (document.activeElement as HTMLElement).closest<HTMLElement>('.row')?.dataset.index === i, String(BIG - 1));
  assert.deepEqual(await focusedRow(), { index: String(BIG - 1), row: String(lastPoint.row), outline: 'solid' });
  const lastText = await page.evaluate(() => (document.activeElement as HTMLElement).innerText);
  assert.ok(lastText.startsWith(String(lastPoint.row)) && lastText.includes(lastPoint.text), lastText);
  assert.ok((await windowSize()) <= 30);
  await shot(page, 'embedding-keys-end');
  await page.keyboard.press('Home');
  await page.waitForFunction(() => (document.activeElement as HTMLElement).closest<HTMLElement>('.row')?.dataset.index === '0');
  // Scrolling to the end (mouse or scrollbar) shows the last record too.
  await rowsEl.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await rowsEl.locator(`[data-row="${lastPoint.row}"]`).waitFor();
  assert.equal(await rowsEl.locator(`[data-row="${lastPoint.row}"] .text`).innerText(), lastPoint.text);
  // The list itself takes the focus (its rows scrolled away with the focused one); End from there, then Enter.
  await rowsEl.focus();
  await page.keyboard.press('End');
  await page.waitForFunction((i) => (document.activeElement as HTMLElement).closest<HTMLElement>('.row')?.dataset.index === i, String(BIG - 1));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/inspect?'));
  const opened = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
  assert.deepEqual([opened.get('dataset'), opened.get('rows')], [big.source.datasetId, String(lastPoint.row)]);
  assert.deepEqual(errors, []);
});
