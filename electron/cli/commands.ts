import type { CliCommand, CommandContext } from './command';
import { importCommand } from './import-command';
import { trainCommand } from './train-command';
import { compareCommand, evalCommand } from './eval-command';
import { scanCommand } from './scan-command';
import { exportCommand } from './export-command';
import { explainCommand } from './explain-command';
import { ensembleCommand } from './ensemble-command';
import { sweepCommand } from './sweep-command';
import { table } from './table';
import { indicatorsCommand, retrainCommand, rulesCommand, verdictsCommand } from './triage-commands';
import { UsageError } from './usage-error';

/** `runs delete ID…`, `datasets delete ID…`, `scans delete ID…`: the same operations the window's delete buttons call. */
async function deleteEach(ctx: CommandContext, what: string, remove: (id: string) => Promise<unknown>): Promise<boolean> {
  const [verb, ...ids] = ctx.positionals;
  if (verb === undefined) return false;
  if (verb !== 'delete' || ids.length === 0) throw new UsageError(`usage: deeptriage ${what} [delete ID…]`);
  for (const id of ids) await remove(id);
  if (ctx.json) ctx.io.out(JSON.stringify({ deleted: ids }));
  else for (const id of ids) ctx.io.out(`deleted ${id}`);
  return true;
}

export const COMMANDS: Record<string, CliCommand> = {
  backend: {
    summary: 'show the TF.js backend this machine uses and why',
    available: true,
    options: {},
    async run({ call, json, io }) {
      const b = await call('backend.info', {});
      if (json) return io.out(JSON.stringify(b));
      io.out(`backend: ${b.name} (tf.js ${b.tfVersion}, active '${b.tfBackend}')`);
      io.out(`reason:  ${b.reason}`);
      if (b.nativeKernels) io.out(`native:  ${b.nativeKernels}`);
      for (const a of b.attempts) io.out(`  ${a.ok ? 'ok  ' : 'fail'} ${a.name}${a.error ? `: ${a.error}` : ''}`);
    },
  },
  models: {
    summary: 'list the architectures in the model zoo',
    available: true,
    options: {},
    async run({ call, json, io }) {
      const models = await call('models.list', {});
      if (json) return io.out(JSON.stringify(models));
      io.out(table(models, ['id', 'family', 'kind', 'description']));
    },
  },
  runs: {
    summary: 'list training runs in the workspace (runs rename ID NAME names one, runs delete ID… removes them)',
    available: true,
    options: {},
    async run(ctx) {
      const { call, json, io } = ctx;
      if (ctx.positionals[0] === 'rename') {
        const [, runId, ...words] = ctx.positionals;
        if (!runId || words.length === 0) throw new UsageError('usage: deeptriage runs rename RUN_ID NAME');
        const run = await call('runs.rename', { runId, name: words.join(' ') });
        return io.out(json ? JSON.stringify({ id: run.id, name: run.name }) : `${run.id} is now named "${run.name}"`);
      }
      if (await deleteEach(ctx, 'runs', (runId) => call('runs.delete', { runId }))) return;
      const runs = await call('runs.list', {});
      if (json) return io.out(JSON.stringify(runs));
      io.out(table(runs.map((r) => ({ ...r, created: new Date(r.createdAt).toISOString() })), ['id', 'name', 'status', 'created']));
    },
  },
  datasets: {
    summary: 'list imported datasets (datasets delete ID… removes them)',
    available: true,
    options: {},
    async run(ctx) {
      const { call, json, io } = ctx;
      if (await deleteEach(ctx, 'datasets', (datasetId) => call('datasets.delete', { datasetId }))) return;
      const ds = await call('datasets.list', {});
      if (json) return io.out(JSON.stringify(ds));
      io.out(table(ds, ['id', 'name', 'format', 'rows']));
    },
  },
  scans: {
    summary: 'list scans (scans delete ID… removes them)',
    available: true,
    options: {},
    async run(ctx) {
      const { call, json, io } = ctx;
      if (await deleteEach(ctx, 'scans', (scanId) => call('scans.delete', { scanId }))) return;
      const scans = await call('scans.list', {});
      if (json) return io.out(JSON.stringify(scans));
      io.out(table(scans.map((s) => ({ ...s, scanned: s.stats.scanned })), ['id', 'name', 'status', 'scanned']));
    },
  },
  import: importCommand,
  train: trainCommand,
  sweep: sweepCommand,
  eval: evalCommand,
  compare: compareCommand,
  scan: scanCommand,
  export: exportCommand,
  explain: explainCommand,
  ensemble: ensembleCommand,
  verdicts: verdictsCommand,
  rules: rulesCommand,
  retrain: retrainCommand,
  indicators: indicatorsCommand,
};
