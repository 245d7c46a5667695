import type { CliCommand } from './command';
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
    summary: 'list training runs in the workspace',
    available: true,
    options: {},
    async run({ call, json, io }) {
      const runs = await call('runs.list', {});
      if (json) return io.out(JSON.stringify(runs));
      io.out(table(runs.map((r) => ({ ...r, created: new Date(r.createdAt).toISOString() })), ['id', 'modelId', 'status', 'created']));
    },
  },
  datasets: {
    summary: 'list imported datasets',
    available: true,
    options: {},
    async run({ call, json, io }) {
      const ds = await call('datasets.list', {});
      if (json) return io.out(JSON.stringify(ds));
      io.out(table(ds, ['id', 'name', 'format', 'rows']));
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
