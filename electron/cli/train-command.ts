import type { ImportOptionsInput } from '../../shared/dataset';
import { LabelModeSchema } from '../../shared/dataset';
import type { CliCommand, CommandContext } from './command';
import { datasetFor } from './dataset-ref';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';

const USAGE =
  'usage: deeptriage train --train FILE|DATASET_ID [--test FILE|DATASET_ID] --model ID[,ID...] [--epochs N] [--batch N] [--lr X] ' +
  '[--label-mode 5class|binary|attack] [--seed N] [--class-weight balanced] [--balance oversample] [--loss focal [--focal-gamma G]] [--json]\n' +
  '       deeptriage train --resume RUN_ID [--epochs N] [--test FILE|DATASET_ID] [--json]';

function intFlag(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got '${String(v)}'`);
  return n;
}

export const trainCommand: CliCommand = {
  summary: 'train one or more architectures on a dataset (and evaluate on a test file)',
  available: true,
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    model: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    patience: { type: 'string' },
    'label-mode': { type: 'string' },
    'class-weight': { type: 'string' },
    balance: { type: 'string' },
    loss: { type: 'string' },
    'focal-gamma': { type: 'string' },
    tag: { type: 'string', multiple: true },
    resume: { type: 'string' },
  },
  async run(ctx) {
    const { values, call } = ctx;
    if (values.resume !== undefined) return resumeRun(ctx);
    if (!values.train || !values.model || ctx.positionals.length) throw new UsageError(USAGE);
    const labelMode = values['label-mode'];
    if (labelMode !== undefined && !LabelModeSchema.options.includes(labelMode as never)) {
      throw new UsageError(`--label-mode must be one of ${LabelModeSchema.options.join(', ')}`);
    }
    const params: Record<string, number | string> = {};
    const epochs = intFlag(values, 'epochs');
    const batch = intFlag(values, 'batch');
    const seed = intFlag(values, 'seed');
    const patience = intFlag(values, 'patience');
    if (epochs !== undefined) params.epochs = epochs;
    if (batch !== undefined) params.batchSize = batch;
    if (seed !== undefined) params.seed = seed;
    if (patience !== undefined) params.patience = patience;
    if (values.lr !== undefined) {
      const lr = Number(values.lr);
      if (!(lr > 0)) throw new UsageError(`--lr must be a positive number`);
      params.learningRate = lr;
    }
    if (values['class-weight'] !== undefined) params.classWeight = String(values['class-weight']);
    if (values.balance !== undefined) {
      if (values.balance !== 'none' && values.balance !== 'oversample') throw new UsageError(`--balance must be none or oversample, got '${String(values.balance)}'`);
      params.balance = values.balance;
    }
    if (values.loss !== undefined) {
      if (values.loss !== 'crossentropy' && values.loss !== 'focal') throw new UsageError(`--loss must be crossentropy or focal, got '${String(values.loss)}'`);
      params.loss = values.loss;
    }
    if (values['focal-gamma'] !== undefined) {
      const g = Number(values['focal-gamma']);
      if (values.loss !== 'focal') throw new UsageError('--focal-gamma applies to --loss focal');
      if (!(g >= 0 && g <= 10)) throw new UsageError(`--focal-gamma must be a number in [0, 10], got '${String(values['focal-gamma'])}'`);
      params.focalGamma = g;
    }

    const importOptions: ImportOptionsInput = labelMode ? { labelMode: labelMode as '5class' } : {};
    const trainId = await datasetFor(ctx, String(values.train), importOptions);
    const testId = values.test ? await datasetFor(ctx, String(values.test), { ...importOptions, encodeLike: trainId }) : undefined;
    const modelIds = String(values.model).split(',').map((m) => m.trim()).filter(Boolean);
    const { runs } = await call('train.start', {
      datasetId: trainId,
      modelIds,
      params,
      ...(testId ? { testDatasetId: testId } : {}),
      tags: (values.tag as string[] | undefined) ?? [],
    });
    await report(ctx, runs, trainId, testId);
  },
};

/** `train --resume RUN`: the interrupted run continues from its checkpoint, in place. */
async function resumeRun(ctx: CommandContext): Promise<void> {
  const { values, call } = ctx;
  if (values.train || values.model || ctx.positionals.length) throw new UsageError(USAGE);
  const runId = String(values.resume);
  const epochs = intFlag(values, 'epochs');
  const before = await call('runs.get', { runId });
  const testId = values.test && before.datasetId ? await datasetFor(ctx, String(values.test), { encodeLike: before.datasetId }) : undefined;
  const started = await call('runs.resume', { runId, ...(epochs !== undefined ? { epochs } : {}), ...(testId ? { testDatasetId: testId } : {}) });
  await report(ctx, [started], before.datasetId ?? '', testId);
}

async function report(ctx: CommandContext, runs: { runId: string; jobId: string }[], trainId: string, testId: string | undefined): Promise<void> {
  const { json, call, io } = ctx;
  const results = [];
  for (const r of runs) {
    const job = await waitForJob(ctx.engine, r.jobId, io);
    if (job.status === 'failed') throw new Error(`run ${r.runId}: ${job.error ?? 'failed'}`);
    const run = await call('runs.get', { runId: r.runId });
    const evaluation = testId ? ctx.engine.evaluations(r.runId)[0] : undefined;
    results.push({ run, evaluation, status: job.status });
  }
  if (json) {
    const out = results.map(({ run, evaluation, status }) => ({
      runId: run.id,
      model: run.modelId,
      status,
      datasetId: trainId,
      testDatasetId: testId ?? null,
      epochs: run.history.length,
      bestEpoch: run.bestEpoch,
      wallMs: run.wallMs,
      backend: run.backend,
      split: evaluation ? evaluation.split : null,
      accuracy: evaluation?.accuracy ?? null,
      perClass: evaluation?.perClass ?? null,
      macro: evaluation?.macro ?? null,
      detectionRate: evaluation?.detectionRate ?? null,
      falseAlarmRate: evaluation?.falseAlarmRate ?? null,
    }));
    io.out(JSON.stringify(out.length === 1 ? out[0] : out));
    return;
  }
  for (const { run, evaluation, status } of results) {
    io.out(`run ${run.id}  ${run.modelId}  ${status}  best epoch ${run.bestEpoch ?? '-'} of ${run.history.length}  ${((run.wallMs ?? 0) / 1000).toFixed(1)} s on ${run.backend}`);
    if (evaluation) {
      io.out(`  ${evaluation.split.description}: accuracy ${(evaluation.accuracy * 100).toFixed(2)}%`);
      for (const c of evaluation.perClass) {
        io.out(`    ${c.label.padEnd(12)} precision ${c.precision.toFixed(3)}  recall ${c.recall.toFixed(3)}  f1 ${c.f1.toFixed(3)}  support ${c.support}`);
      }
    }
  }
}
