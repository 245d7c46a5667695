import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddingMap } from '../../shared/embed';
import { frameOf, inRect, toPx, type Frame } from '../../renderer/src/views/embedding/plot';
import { tempDir } from '../helpers/temp';
import { createEngine } from '../../electron/engine';
import { assertAccessible, shot, trainUrlModel, workbenchPage } from './harness';

const dir = tempDir();
let doneRun = '';
let cancelledRun = '';
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
  assert.deepEqual(errors, []);
});
