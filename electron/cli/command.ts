import type { ParseArgsConfig } from 'node:util';
import type { OpName, OpRequest, OpResponse } from '../../shared/contract';
import type { Engine } from '../engine';

/** What a CLI command is and what it is given; the command table (commands.ts) and main.ts both use these. */

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One operation through the router (main.ts cliCaller), with the same validation as the window and the host. */
export type CliCall = <K extends OpName>(op: K, payload: OpRequest<K>) => Promise<OpResponse<K>>;

export interface CommandContext {
  values: Record<string, unknown>;
  positionals: string[];
  json: boolean;
  call: CliCall;
  engine: Engine;
  io: CliIo;
}

export interface CliCommand {
  summary: string;
  available: boolean;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext): Promise<void>;
}
