import type { EvalResult } from '../../shared/eval';
import type { CliCommand } from './command';
import { datasetFor } from './dataset-ref';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';

export function printEvaluation(out: (l: string) => void, label: string, r: EvalResult): void {
  out(`${label}  ${r.split.description}  (${r.rows.toLocaleString('en-US')} rows)`);
  out(`  accuracy ${(r.accuracy * 100).toFixed(2)}%  macro F1 ${r.macro.f1.toFixed(4)}  weighted F1 ${r.weighted.f1.toFixed(4)}`);
  if (r.detectionRate !== null) out(`  detection rate ${(r.detectionRate * 100).toFixed(2)}%  false-alarm rate ${((r.falseAlarmRate ?? 0) * 100).toFixed(2)}%`);
  if (r.roc.auc !== null) out(`  AUC ${r.roc.auc.toFixed(4)}  average precision ${r.pr.averagePrecision?.toFixed(4) ?? '—'}`);
  for (const p of r.tprAtFpr.points) out(`  TPR at FPR ≤ ${(p.targetFpr * 100).toFixed(1)}%: ${p.tpr === null ? '—' : (p.tpr * 100).toFixed(2) + '%'}`);
  for (const c of r.perClass) {
    out(`    ${c.label.padEnd(12)} precision ${c.precision.toFixed(3)}  recall ${c.recall.toFixed(3)}  f1 ${c.f1.toFixed(3)}  support ${c.support}`);
  }
}

export const evalCommand: CliCommand = {
  summary: 'evaluate a stored run on a test file (encoded like its training set) or dataset id',
  available: true,
  options: { run: { type: 'string' }, test: { type: 'string' } },
  async run(ctx) {
    const { values, json, call, io } = ctx;
    if (!values.run || !values.test) throw new UsageError('usage: deeptriage eval --run RUN_ID --test FILE|DATASET_ID [--json]');
    const run = await call('runs.get', { runId: String(values.run) });
    if (!run.datasetId) throw new Error(`run ${run.id}: its training dataset was deleted, so a new file cannot be encoded like it`);
    const train = await call('datasets.get', { datasetId: run.datasetId });
    const datasetId = await datasetFor(ctx, String(values.test), {
      encodeLike: run.datasetId,
      ...(train.summary.labels ? { labelMode: train.summary.labels.mode } : {}),
    });
    const { jobId, evalId } = await call('eval.start', { runId: run.id, datasetId });
    const job = await waitForJob(ctx.engine, jobId, io);
    if (job.status !== 'done') throw new Error(job.error ?? `evaluation ${job.status}`);
    const { result } = await call('evals.get', { evalId });
    if (json) return io.out(JSON.stringify({ runId: run.id, evalId, datasetId, ...result }));
    printEvaluation(io.out, `${run.modelId} (${run.id})`, result);
  },
};

export const compareCommand: CliCommand = {
  summary: 'compare runs on their common test set (metrics side by side; McNemar and bootstrap for two)',
  available: true,
  options: { resamples: { type: 'string' } },
  async run(ctx) {
    const { values, positionals, json, call, io } = ctx;
    if (positionals.length < 2) throw new UsageError('usage: deeptriage compare RUN_ID RUN_ID... [--resamples N] [--json]');
    const evals = await call('evals.list', { runIds: positionals });
    // The newest evaluation per run on a (dataset, split) that every run has.
    const key = (e: (typeof evals)[number]) => `${e.datasetId}|${e.split.description}`;
    const common = [...new Set(evals.map(key))].filter((k) => positionals.every((r) => evals.some((e) => e.runId === r && key(e) === k)));
    if (common.length === 0) throw new Error('these runs share no evaluated test set: evaluate them on the same file first (deeptriage eval)');
    const chosen = positionals.map((r) => evals.find((e) => e.runId === r && key(e) === common[0])!);
    const results = await Promise.all(chosen.map((e) => call('evals.get', { evalId: e.id })));
    let paired: unknown = null;
    if (chosen.length === 2) {
      const resamples = values.resamples !== undefined ? Number(values.resamples) : 1000;
      const { jobId } = await call('compare.start', { evalIdA: chosen[0].id, evalIdB: chosen[1].id, resamples });
      const job = await waitForJob(ctx.engine, jobId, io);
      if (job.status !== 'done') throw new Error(job.error ?? `comparison ${job.status}`);
      paired = job.result;
    }
    if (json) {
      io.out(
        JSON.stringify({
          split: results[0].info.split,
          runs: results.map((r) => ({ runId: r.info.runId, model: r.info.modelId, evalId: r.info.id, ...r.result })),
          paired,
        }),
      );
      return;
    }
    for (const r of results) printEvaluation(io.out, `${r.info.modelId} (${r.info.runId})`, r.result);
    if (paired) {
      const p = paired as { mcnemar: { b: number; c: number; pValue: number; method: string }; bootstrap: { accuracy: { diff: { estimate: number; lower: number; upper: number } } } };
      const d = p.bootstrap.accuracy.diff;
      io.out(`McNemar (${p.mcnemar.method}): b=${p.mcnemar.b} c=${p.mcnemar.c} p=${p.mcnemar.pValue.toPrecision(3)}`);
      io.out(`accuracy difference A−B ${(d.estimate * 100).toFixed(2)} pts, 95% CI [${(d.lower * 100).toFixed(2)}, ${(d.upper * 100).toFixed(2)}]`);
    }
  },
};
