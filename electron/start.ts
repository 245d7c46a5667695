import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { electronAvailability } from './host/electron-availability';
import { runHost } from './host/run-host';
import { appRoot } from './paths';

/**
 * `npm start`: the desktop window where Electron can run, otherwise the same workbench in a browser
 * through the localhost host, with one line saying why.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'host-only': { type: 'boolean', default: false },
      port: { type: 'string' },
      workspace: { type: 'string' },
    },
    allowPositionals: false,
  });
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--port must be an integer 0..65535, got '${values.port}'`);
  }
  const hostOpts = { ...(port !== undefined ? { port } : {}), ...(values.workspace ? { workspace: values.workspace } : {}) };
  if (values['host-only']) return runHost(hostOpts);

  const root = appRoot();
  const electron = electronAvailability(root);
  if (!electron.ok) {
    console.log(`Electron not started: ${electron.reason}; serving the workbench on localhost instead.`);
    return runHost(hostOpts);
  }
  const args = [path.join(root, 'dist', 'engine', 'main.js')];
  if (values.workspace) args.push(`--workspace=${values.workspace}`);
  const child = spawn(electron.binary, args, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err: Error) => {
  console.error(`deeptriage: ${err.message}`);
  process.exit(1);
});
