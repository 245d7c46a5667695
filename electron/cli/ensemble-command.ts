import type { CliCommand } from './command';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';
import type { EnsembleJobResult } from '../ensemble/ensemble-job';

const USAGE = 'usage: deeptriage ensemble --runs RUN_ID,RUN_ID[,…] [--method mean|weighted|stack] [--name NAME] [--json]';

export const ensembleCommand: CliCommand = {
  summary: 'combine trained runs into an ensemble run (mean, validation-weighted mean, or a stacked logistic regression)',
  available: true,
  options: { runs: { type: 'string' }, method: { type: 'string' }, name: { type: 'string' } },
  async run(ctx) {
    const { values, json, call, io } = ctx;
    const runIds = String(values.runs ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (runIds.length < 2) throw new UsageError(`${USAGE}\n(--runs needs at least two run ids)`);
    const method = String(values.method ?? 'mean');
    if (method !== 'mean' && method !== 'weighted' && method !== 'stack') throw new UsageError(`--method must be mean, weighted or stack, got '${method}'\n${USAGE}`);
    const { runId, jobId } = await call('ensemble.create', { runIds, method, ...(values.name ? { name: String(values.name) } : {}) });
    const job = await waitForJob(ctx.engine, jobId, io);
    if (job.status !== 'done') throw new Error(job.error ?? `ensemble ${job.status}`);
    const r = job.result as { weights: number[]; validation: EnsembleJobResult['ensemble'] };
    if (json) return io.out(JSON.stringify({ runId, method, members: runIds, weights: r.weights, validation: r.validation }));
    io.out(`ensemble run ${runId} (${method}) of ${runIds.join(', ')}`);
    io.out(`weights: ${r.weights.map((w) => w.toFixed(3)).join(', ')}${method === 'stack' ? ' (display only: a logistic regression combines them)' : ''}`);
    if (r.validation) io.out(`validation: accuracy ${(r.validation.acc * 100).toFixed(2)} %, log-loss ${r.validation.loss.toFixed(4)}${method === 'stack' ? ' (the rows the stacker was fitted on)' : ''}`);
    io.out(`evaluate it: deeptriage eval --run ${runId} --test FILE|DATASET`);
  },
};
