import type { ImportOptionsInput } from '../../shared/dataset';
import { LabelModeSchema } from '../../shared/dataset';
import { parseDimension, SWEEP_KEY_ALIASES, type SweepDimension, type SweepRequest } from '../../shared/sweep';
import type { CliCommand } from './command';
import { table } from './table';
import { datasetFor } from './dataset-ref';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';

const USAGE =
  'usage: deeptriage sweep --train FILE|DATASET_ID [--test FILE|DATASET_ID] --model ID[,ID...] --space KEY=V1,V2,... [--space KEY=MIN:MAX[:log][:int]] ... ' +
  '[--search grid|random] [--trials N] [--seed N] [--metric val-acc|val-loss] [--epochs N] [--batch N] [--grace N] [--eta X] [--no-asha] ' +
  '[--label-mode 5class|binary|attack] [--name NAME] [--json]\n' +
  '  keys: learningRate (lr), batchSize (batch), epochs, dropout, units, filters, kernelSize, embeddingDim (embedding), denseUnits, classWeight, optimizer, …';

/** `lr=0.001,0.01` → values; `lr=1e-4:1e-1:log` → a range (random search); `units=16:128:int`. */
export function parseSpace(items: readonly string[]): Record<string, SweepDimension> {
  const space: Record<string, SweepDimension> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--space ${item}: expected KEY=V1,V2 or KEY=MIN:MAX[:log][:int]`);
    const key = SWEEP_KEY_ALIASES[item.slice(0, eq)] ?? item.slice(0, eq);
    try {
      space[key] = parseDimension(item.slice(eq + 1));
    } catch (e) {
      throw new UsageError(`--space ${item}: ${(e as Error).message}`);
    }
  }
  return space;
}

function intFlag(values: Record<string, unknown>, name: string, min = 0): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${String(v)}'`);
  return n;
}

const fmt = (v: unknown) => (Array.isArray(v) ? v.join('-') : typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v));

export const sweepCommand: CliCommand = {
  summary: 'search hyperparameters: trials as runs, weak ones stopped early (ASHA), chosen on validation',
  available: true,
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    model: { type: 'string' },
    space: { type: 'string', multiple: true },
    search: { type: 'string' },
    trials: { type: 'string' },
    seed: { type: 'string' },
    metric: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    grace: { type: 'string' },
    eta: { type: 'string' },
    'no-asha': { type: 'boolean' },
    'label-mode': { type: 'string' },
    name: { type: 'string' },
  },
  async run(ctx) {
    const { values, json, call, io } = ctx;
    const spaceItems = (values.space as string[] | undefined) ?? [];
    if (!values.train || !values.model || spaceItems.length === 0 || ctx.positionals.length) throw new UsageError(USAGE);
    const labelMode = values['label-mode'];
    if (labelMode !== undefined && !LabelModeSchema.options.includes(labelMode as never)) {
      throw new UsageError(`--label-mode must be one of ${LabelModeSchema.options.join(', ')}`);
    }
    const search = values.search ?? 'grid';
    if (search !== 'grid' && search !== 'random') throw new UsageError('--search must be grid or random');
    const metricFlag = values.metric ?? 'val-acc';
    if (metricFlag !== 'val-acc' && metricFlag !== 'val-loss') throw new UsageError('--metric must be val-acc or val-loss');
    const params: Record<string, number> = {};
    const epochs = intFlag(values, 'epochs', 1);
    const batch = intFlag(values, 'batch', 1);
    if (epochs !== undefined) params.epochs = epochs;
    if (batch !== undefined) params.batchSize = batch;
    const eta = values.eta !== undefined ? Number(values.eta) : undefined;
    if (eta !== undefined && !(eta >= 2)) throw new UsageError('--eta must be a number >= 2');
    const grace = intFlag(values, 'grace', 1);
    const trials = intFlag(values, 'trials', 1);
    const seed = intFlag(values, 'seed');

    const importOptions: ImportOptionsInput = labelMode ? { labelMode: labelMode as '5class' } : {};
    const trainId = await datasetFor(ctx, String(values.train), importOptions);
    const testId = values.test ? await datasetFor(ctx, String(values.test), { ...importOptions, encodeLike: trainId }) : undefined;
    const req: SweepRequest = {
      datasetId: trainId,
      modelIds: String(values.model).split(',').map((m) => m.trim()).filter(Boolean),
      space: parseSpace(spaceItems),
      params,
      search,
      metric: metricFlag === 'val-loss' ? 'valLoss' : 'valAcc',
      asha: { enabled: !values['no-asha'], ...(grace !== undefined ? { graceEpochs: grace } : {}), ...(eta !== undefined ? { reductionFactor: eta } : {}) },
      ...(trials !== undefined ? { trials } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(testId ? { testDatasetId: testId } : {}),
      ...(values.name ? { name: String(values.name) } : {}),
    };
    const { sweepId, jobId } = await call('sweep.start', req);
    const job = await waitForJob(ctx.engine, jobId, io);
    const { info, trials: rows, dimensions } = await call('sweeps.get', { sweepId });
    if (job.status === 'failed') throw new Error(`sweep ${sweepId}: ${job.error ?? 'failed'}`);
    const sign = info.metric === 'valLoss' ? 1 : -1;
    const ranked = [...rows].sort((a, b) => (a.metric === null ? 1 : b.metric === null ? -1 : sign * (a.metric - b.metric)));
    if (json) {
      io.out(JSON.stringify({ sweepId, status: info.status, metric: info.metric, bestRunId: info.bestRunId, bestMetric: info.bestMetric, split: 'validation split of the training data', trials: ranked }));
      return;
    }
    io.out(`sweep ${sweepId}  ${info.status}  ${info.finished}/${info.trials} trials finished, ${info.stopped} stopped early by ASHA`);
    io.out(`chosen on ${info.metric === 'valLoss' ? 'validation loss' : 'validation accuracy'} (validation split of the training data; the test set is shown, never used to choose)`);
    io.out(
      table(
        ranked.map((t) => ({
          best: t.runId && t.runId === info.bestRunId ? '*' : '',
          run: t.runId ?? '-',
          model: t.modelId,
          ...Object.fromEntries(dimensions.map((d) => [d, d in t.point ? fmt(t.point[d]) : '·'])),
          [info.metric]: t.metric === null ? '-' : t.metric.toFixed(4),
          epochs: t.epochs ?? '-',
          state: t.stoppedAt ? `stopped@${t.stoppedAt}` : t.state,
          test: t.testAccuracy === null ? '' : `${(t.testAccuracy * 100).toFixed(2)}%`,
        })),
        ['best', 'run', 'model', ...dimensions, info.metric, 'epochs', 'state', ...(testId ? ['test'] : [])],
      ),
    );
    if (info.bestRunId) io.out(`best: run ${info.bestRunId} — deeptriage eval --run ${info.bestRunId} --test FILE · deeptriage scan FILE --run ${info.bestRunId} --threshold fpr1`);
    if (info.status === 'cancelled') io.out('cancelled: finished trials are kept as runs');
  },
};
