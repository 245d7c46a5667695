import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createEngine, type Engine } from '../../electron/engine';
import { REPO_ROOT, tempDir } from '../helpers/temp';
import { benignUrl, maliciousUrl, trainingCsv } from '../helpers/urls';

export const CHROMIUM = process.env.DEEPTRIAGE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Workbench {
  url: string;
  workspace: string;
  output: string[];
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the real product entry (`node dist/engine/start.js`) and waits for the URL it prints.
 * `workspace` reuses a folder a test filled beforehand (e.g. through the CLI); by default a fresh temp one.
 */
export async function startWorkbench(
  args: string[] = ['--host-only'],
  env: NodeJS.ProcessEnv = {},
  workspace: string = tempDir('dt-e2e-'),
): Promise<Workbench> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'engine', 'start.js'), ...args, '--port', '0', '--workspace', workspace], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workbench did not print a URL:\n${output.join('')}`)), 30_000);
    const onData = (d: Buffer) => {
      output.push(d.toString());
      const m = /DeepTriage workbench: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`workbench exited with ${code}:\n${output.join('')}`)));
  });
  return {
    url,
    workspace,
    output,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Collects console errors and page errors, so a CSP violation or a thrown exception fails the test. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** With DEEPTRIAGE_SHOTS=DIR set, saves a screenshot there: for a person to look at the view, never asserted. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.DEEPTRIAGE_SHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

export interface WorkbenchPage {
  wb: Workbench;
  page: Page;
  /** Console and page errors so far (see watchErrors). */
  errors: string[];
}

/**
 * The workbench and one browser page shared by a test file's tests. Registers the file's before() and
 * after() hooks, so the fields are set only once before() has run: read them inside tests. `prepare`
 * fills the workspace before the workbench starts on it.
 */
export function workbenchPage(opts: {
  viewport: { width: number; height: number };
  acceptDownloads?: boolean;
  /** Default: a fresh folder, made now because tempDir's cleanup must not be tied to a hook. */
  workspace?: string;
  prepare?: (workspace: string) => Promise<unknown>;
  /**
   * Route the page opens at the start, e.g. '#/datasets'. An option rather than the test file's own
   * before(): Node 20 started that one while this one was still starting the workbench.
   */
  open?: string;
}): WorkbenchPage {
  const workspace = opts.workspace ?? tempDir('dt-e2e-');
  const s = {} as WorkbenchPage;
  let browser: Browser | undefined;
  before(async () => {
    await opts.prepare?.(workspace);
    s.wb = await startWorkbench(['--host-only'], {}, workspace);
    browser = await launchBrowser();
    // A page of its own context: axe-core's Playwright builder refuses pages made by browser.newPage().
    s.page = await (await browser.newContext({ viewport: opts.viewport, acceptDownloads: opts.acceptDownloads })).newPage();
    s.errors = watchErrors(s.page);
    if (opts.open) await s.page.goto(`${s.wb.url}${opts.open}`);
  });
  after(async () => {
    await browser?.close();
    await s.wb?.stop();
  });
  return s;
}

/** Waits for an engine job and returns its result; anything but 'done' fails the test with the job's error. */
export async function finished<T>(engine: Engine, started: { jobId: string } | Promise<{ jobId: string }>): Promise<T> {
  const job = await engine.jobs.wait((await started).jobId);
  assert.equal(job.status, 'done', job.error);
  return job.result as T;
}

/** Trains through the CLI: the quick way to runs scored on an official test file. */
export async function trainWithCli(workspace: string, o: { train: string; test: string; models: string; epochs: number; batch: number }): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/index.ts', 'train', '--train', o.train, '--test', o.test,
      '--model', o.models, '--epochs', String(o.epochs), '--batch', String(o.batch), '--workspace', workspace],
    { cwd: REPO_ROOT, timeout: 240_000 },
  );
}

/**
 * A small char-cnn trained on generated URLs written to `trainCsv`, through the engine in-process (the CLI
 * has no flags for its sizes). With `testCsv`, another generated file scores it. Returns the run id.
 */
export async function trainUrlModel(workspace: string, trainCsv: string, testCsv?: string): Promise<string> {
  const engine = createEngine({ workspaceDir: workspace, transport: 'cli' });
  fs.writeFileSync(trainCsv, trainingCsv(300));
  if (testCsv) {
    const lines = ['url,label'];
    for (let i = 5000; i < 5100; i++) lines.push(`${benignUrl(i)},benign`, `${maliciousUrl(i)},malicious`);
    fs.writeFileSync(testCsv, lines.join('\n') + '\n');
  }
  const importCsv = (file: string, encodeLike?: string) =>
    finished<{ datasetId: string }>(engine, engine.handlers['datasets.import']({ path: file, options: { format: 'auto', errors: 'lenient', ...(encodeLike ? { encodeLike } : {}) } }));
  const { datasetId } = await importCsv(trainCsv);
  const test = testCsv ? await importCsv(testCsv, datasetId) : undefined;
  const { runs } = await engine.handlers['train.start']({
    datasetId,
    ...(test ? { testDatasetId: test.datasetId } : {}),
    modelIds: ['char-cnn'],
    params: { epochs: 3, batchSize: 32, filters: 16, units: 32 },
    tags: [],
  });
  await finished(engine, runs[0]);
  await engine.close();
  return runs[0].runId;
}

/**
 * axe-core's WCAG 2 A/AA rules (contrast included) on what the page shows now: no serious or critical
 * violation. Each failure names the rule, its impact and the first offending elements.
 */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 3 ? ` +${v.nodes.length - 3}` : ''}`),
    [],
    `${view}: accessibility violations`,
  );
}
