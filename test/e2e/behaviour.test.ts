import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../electron/engine';
import { REPO_ROOT, tempDir } from '../helpers/temp';
import { finished, shot, workbenchPage } from './harness';

// Made at the top level: tempDir's cleanup registered inside before() would run as soon as that hook ends.
const files = tempDir('dt-e2e-behaviour-files-');

const HEADER = [
  '#separator \\x09',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_ip_bytes\tresp_ip_bytes\tlabel',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tcount\tcount\tstring',
];
const T0 = 1_600_000_000.25; // 2020-09-13T12:26:40.250Z

/**
 * The tuple the test opens, 10.9.9.9 → 203.0.113.7:4444/tcp, as [seconds after T0, duration, bytes, label],
 * in start-time order with its letters worked out by hand from docs/behaviour-letters.md:
 *   '1' first flow · '1,' gap 30 s, no periodicity yet · 'a,' and 'a,' gaps 30 = 30 (strongly periodic, small, short)
 *   · 'V.' gap 5 after 30 (TD 6, strongly non-periodic), 600 B medium, 2 s medium · '00R' gap 7200 s = two hours
 *   in front, TD 1440 · 'R,' gap 30 after 7200.
 * String '11,a,a,V.00RR,'; with maxLength 10 the model sees '11,a,a,V.0' and none of the R's.
 */
const TARGET: Array<[number, number, number, string]> = [
  [0, 0.01, 100, 'Malicious'],
  [30, 0.01, 100, 'Malicious'],
  [60, 0.01, 100, 'Malicious'],
  [90, 0.01, 100, 'Malicious'],
  [95, 2, 600, 'Malicious'],
  [7295, 0.01, 100, 'Benign'],
  [7325, 0.01, 100, 'Malicious'],
];
/** The order the target's flows are written in (Zeek logs a connection when it ends, not when it starts). */
const WRITE_ORDER = [2, 0, 1, 4, 3, 6, 5];

/** A hand-made conn.log: the target tuple interleaved with periodic malicious and irregular benign tuples. Returns the target's line per flow. */
function writeConnLog(file: string): number[] {
  const out = [...HEADER];
  const targetLine: number[] = [];
  const flow = (ts: number, uid: string, src: string, dst: string, dport: number, dur: number, bytes: number, label: string) =>
    out.push([ts.toFixed(6), uid, src, 40000 + (out.length % 2000), dst, dport, 'tcp', dur, Math.round(bytes * 0.4), Math.round(bytes * 0.6), label].join('\t'));
  let uid = 0;
  for (let t = 0; t < 24; t++) {
    if (t < WRITE_ORDER.length) {
      const k = WRITE_ORDER[t];
      const [dt, dur, bytes, label] = TARGET[k];
      flow(T0 + dt, `CT${k}`, '10.9.9.9', '203.0.113.7', 4444, dur, bytes, label);
      targetLine[k] = out.length;
    }
    // Beacons: every 60 s, small and short; benign: irregular gaps, larger and longer.
    const beacon = t % 2 === 0;
    for (let f = 0; f < 4 + (t % 3); f++) {
      const ts = beacon ? T0 + 1000 + t + 60 * f : T0 + 500 + t * 7 + f * f * 37 + (f % 2) * 400;
      const bytes = beacon ? 120 : 900 + 700 * ((f + t) % 3);
      flow(ts, `C${uid++}`, beacon ? `10.0.1.${t}` : `10.0.2.${t}`, beacon ? '198.51.100.20' : `192.0.2.${t}`, beacon ? 443 : 80, beacon ? 0.02 : 0.5 + f * 3, bytes, beacon ? 'Malicious' : 'Benign');
    }
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
  return targetLine;
}

let targetLines: number[];

const s = workbenchPage({
  viewport: { width: 1440, height: 1000 },
  prepare: async (workspace) => {
    const log = path.join(files, 'beacons.conn.log');
    targetLines = writeConnLog(log);
    // A tiny character model on the behaviour strings, through the engine in-process.
    const engine = createEngine({ workspaceDir: workspace, transport: 'cli' });
    const imported = engine.handlers['datasets.import']({ path: log, options: { format: 'zeek-behaviour', errors: 'strict', maxLength: 10 } });
    const { datasetId } = await finished<{ datasetId: string }>(engine, imported);
    const { runs } = await engine.handlers['train.start']({ datasetId, modelIds: ['char-cnn'], params: { epochs: 1, batchSize: 8, filters: 8, units: 16 }, tags: [] });
    await finished(engine, runs[0]);
    await finished(engine, engine.handlers['eval.start']({ runId: runs[0].runId, datasetId }));
    await engine.close();
  },
});

test('a behaviour record in Inspect: the flows behind each letter, with saliency, linked to the character strip', async () => {
  const { wb, page, errors } = s;
  await page.goto(`${wb.url}#/inspect`);
  await page.getByTestId('dataset-select').waitFor();
  // 25 tuples: the target and 24 others.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="inspect-total"]')?.getAttribute('data-total')) === 25);
  await page.getByTestId('filter-search').fill('10.9.9.9');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="inspect-total"]')?.getAttribute('data-total')) === 1);
  const first = page.getByTestId('inspect-table').locator('.row[data-index="0"]').getByTestId('inspect-row');
  // The record id is the tuple's first line in the file, which is not its first flow in time.
  assert.equal(await first.locator('.id').innerText(), `beacons.conn.log:${targetLines[WRITE_ORDER[0]]}`);
  await first.click();
  const panel = page.getByTestId('explain-panel');
  await panel.getByTestId('model-why').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="explain-panel"]')?.getAttribute('data-loading') === 'false', null, { timeout: 60_000 });

  assert.equal(await panel.getByTestId('behaviour-string').innerText(), '11,a,a,V.00RR,');
  assert.equal(await panel.getByTestId('char-saliency').getAttribute('data-chars'), '10');
  // The raw JSON is still there, folded away.
  assert.equal(await panel.locator('details.rawbox').getAttribute('open'), null);
  const raw = JSON.parse((await panel.getByTestId('raw-line').textContent()) ?? '');
  assert.equal(raw.behaviour, '11,a,a,V.00RR,');

  const flows = panel.getByTestId('behaviour-flows');
  assert.equal(await flows.getAttribute('data-rows'), '7');
  assert.match(await flows.getByTestId('flows-seen').innerText(), /characters 1–10 of 14/);
  // By default only the tokens the model saw, whole or in part (the first '0' of '00R' is its 10th character):
  // the last R comes with "Show all".
  const rows = flows.getByTestId('flow-row');
  assert.equal(await rows.count(), 6);
  await flows.getByTestId('flows-show-all').click();
  assert.equal(await rows.count(), 7);

  const read = (attr: string) => rows.evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attr);
  assert.deepEqual(await read('data-letter'), ['1', '1', 'a', 'a', 'V', 'R', 'R']);
  assert.deepEqual(await read('data-position'), ['0', '1', '3', '5', '7', '11', '12']);
  assert.deepEqual((await read('data-line')).map(Number), targetLines);
  assert.deepEqual(await rows.locator('.gap').allInnerTexts(), ['—', ',', ',', ',', '.', '00', ',']);
  assert.deepEqual(await rows.locator('.uid').allInnerTexts(), ['CT0', 'CT1', 'CT2', 'CT3', 'CT4', 'CT5', 'CT6']);
  assert.deepEqual(await rows.locator('.label').allInnerTexts(), ['Malicious', 'Malicious', 'Malicious', 'Malicious', 'Malicious', 'Benign', 'Malicious']);
  assert.equal(await rows.nth(0).locator('.time').innerText(), '2020-09-13T12:26:40.250Z');
  assert.equal(await rows.nth(6).locator('.time').innerText(), '2020-09-13T14:28:45.250Z');
  // Saliency is the strip's value for the letter; letters past maxLength have none.
  const strip = panel.getByTestId('char-saliency').first();
  const stripSal = await strip.locator('.ch').evaluateAll((els) => els.map((e) => e.getAttribute('data-saliency')));
  const sal = await read('data-saliency');
  assert.deepEqual(sal.slice(0, 5), [stripSal[0], stripSal[1], stripSal[3], stripSal[5], stripSal[7]]);
  assert.ok(sal.slice(0, 5).every((s) => s !== '' && Number.isFinite(Number(s))), sal.join());
  assert.deepEqual(sal.slice(5), ['', '']);

  // A row marks its letter in the strip; a character in the strip picks its row.
  await rows.nth(4).click();
  assert.deepEqual(await strip.locator('.ch.marked').evaluateAll((els) => els.map((e) => e.getAttribute('data-index'))), ['7']);
  assert.match((await rows.nth(4).getAttribute('class')) ?? '', /picked/);
  await strip.locator('.ch[data-index="4"]').click(); // the ',' after the first 'a': its token's row
  assert.match((await rows.nth(2).getAttribute('class')) ?? '', /picked/);
  assert.doesNotMatch((await rows.nth(4).getAttribute('class')) ?? '', /picked/);
  assert.deepEqual(await strip.locator('.ch.marked').evaluateAll((els) => els.map((e) => e.getAttribute('data-index'))), ['3']);
  await shot(page, 'inspect-behaviour');
  assert.deepEqual(errors, []);
});

test('the Train view offers the measured behaviour-string preset for a zeek-behaviour dataset', async () => {
  const { page, wb } = s;
  await page.goto(`${wb.url}#/train`);
  const form = page.getByTestId('train-form');
  await form.getByLabel('training set').selectOption({ index: 0 });
  const preset = await form.getByTestId('train-preset').innerText();
  const measured = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'presets.json'), 'utf8')) as Record<string, { modelId: string }>).behaviour.modelId;
  assert.equal(/Preset for Stratosphere behaviour strings: (\S+),/.exec(preset)?.[1], measured);
  assert.equal(await form.getByRole('checkbox', { name: measured }).isChecked(), true);
});
