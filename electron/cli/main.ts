import { parseArgs } from 'node:util';
import type { OpName, OpRequest, OpResponse } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import { createEngine, type Engine } from '../engine';
import { createRouter } from '../router';
import { resolveWorkspaceDir } from '../store/workspace';
import type { CliCall, CliCommand, CliIo } from './command';
import { COMMANDS } from './commands';

import { UsageError } from './usage-error';

export { UsageError };

const USAGE = `usage: deeptriage [--workspace DIR] [--json] <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

global options (before or after the command):
  --workspace DIR   workspace folder (default: DEEPTRIAGE_WORKSPACE or the platform's app-data folder)
  --json            machine-readable output
  --help            this text`;

/** Calls go through the same router as the window and the host, so the CLI gets the same validation. */
export function cliCaller(engine: Engine): CliCall {
  const route = createRouter(engine.handlers);
  return async function call<K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>> {
    const env = await route(op, payload);
    if (!env.ok) throw ContractError.from(env.error);
    return env.value as OpResponse<K>;
  };
}

/**
 * Global options may come before the command, as git, docker and npm accept them; they are moved behind it,
 * where each command's parser already knows them.
 */
export function hoistGlobalOptions(argv: string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json' || a.startsWith('--workspace=')) globals.push(a);
    else if (a === '--workspace' && i + 1 < argv.length) globals.push(a, argv[++i]);
    else break;
  }
  if (i >= argv.length) return [];
  return [argv[i], ...globals, ...argv.slice(i + 1)];
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = hoistGlobalOptions(argv);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = COMMANDS[name];
  if (!command) {
    io.err(`deeptriage: unknown command '${name}' (try --help)`);
    return 2;
  }
  let engine: Engine | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { workspace: { type: 'string' }, json: { type: 'boolean', default: false }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (!command.available) throw new UsageError(`'${name}' is not available yet in this build`);
    // The workspace opens on the command's first use of it, so a usage error (a bad flag value) is told as
    // one before any workspace is opened, migrated or found unreadable.
    const open = (): Engine => (engine ??= createEngine({ workspaceDir: resolveWorkspaceDir(values.workspace as string | undefined), transport: 'cli' }));
    let caller: CliCall | undefined;
    const call: CliCall = (op, payload) => (caller ??= cliCaller(open()))(op, payload);
    await command.run({
      values,
      positionals,
      json: Boolean(values.json),
      call,
      get engine() {
        return open();
      },
      io,
    });
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.err(`deeptriage ${name}: ${message.split('\n')[0]}`);
    return err instanceof UsageError || (err instanceof TypeError && 'code' in err) ? 2 : 1;
  } finally {
    await engine?.close();
  }
}
