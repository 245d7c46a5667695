import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, tempDir } from '../helpers/temp';

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
