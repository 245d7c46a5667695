import type { ExplainResult } from '../../shared/inspect';
import type { CliCommand } from './command';
import { datasetFor } from './dataset-ref';
import { UsageError } from './usage-error';

const USAGE = 'usage: deeptriage explain --run RUN_ID[,RUN_ID...] --dataset FILE|DATASET_ID --row N [--top K] [--neighbours K] [--json]';

function printExplanation(out: (l: string) => void, r: ExplainResult, top: number): void {
  out(`record ${r.record.id ?? '(text)'}${r.record.trueLabel ? `  true label ${r.record.trueLabel}` : ''}`);
  out(`  ${r.record.raw.length > 200 ? `${r.record.raw.slice(0, 200)}…` : r.record.raw}`);
  for (const m of r.models) {
    const p = m.proba[m.classes.indexOf(m.predicted)] ?? 0;
    out(`${m.modelId} (${m.runId}) predicts ${m.predicted} (${(p * 100).toFixed(1)} %) · ${m.method === 'integrated-gradients' ? 'integrated gradients' : 'occlusion'}`);
    if (m.error) out(`  no attributions: ${m.error}`);
    for (const f of m.features.slice(0, top)) {
      out(`  ${f.attribution >= 0 ? '+' : '−'}${Math.abs(f.attribution).toFixed(4)}  ${f.feature} = ${f.value}${f.range ? `  [training ${f.range}]` : ''}`);
    }
    if (m.chars.length) {
      const strongest = m.chars.map((c, i) => ({ ...c, i })).sort((a, b) => Math.abs(b.saliency) - Math.abs(a.saliency)).slice(0, top);
      for (const c of strongest) out(`  ${c.saliency >= 0 ? '+' : '−'}${Math.abs(c.saliency).toFixed(4)}  '${c.char}' at ${c.i + 1}`);
    }
    if (m.completeness) out(`  completeness: Σ attributions ${m.completeness.sum.toFixed(4)} vs f(x) − f(baseline) ${m.completeness.expected.toFixed(4)}`);
  }
  if (r.neighbours.length) {
    out('nearest training records:');
    for (const n of r.neighbours) out(`  ${n.id}  ${n.label ?? '?'}  distance ${n.distance.toFixed(3)}`);
  }
}

/** Why a run called one record what it did: the Inspect view's explanation, on the command line. */
export const explainCommand: CliCommand = {
  summary: 'explain one record: each run\'s probabilities, attributions and the nearest training records',
  available: true,
  options: { run: { type: 'string' }, dataset: { type: 'string' }, row: { type: 'string' }, top: { type: 'string' }, neighbours: { type: 'string' } },
  async run(ctx) {
    const { values, json, call, io } = ctx;
    if (!values.run || !values.dataset || values.row === undefined || ctx.positionals.length) throw new UsageError(USAGE);
    const row = Number(values.row);
    if (!Number.isInteger(row) || row < 0) throw new UsageError(`--row must be a non-negative integer (0 is the first record), got '${String(values.row)}'`);
    const top = values.top === undefined ? 10 : Number(values.top);
    const neighbours = values.neighbours === undefined ? 5 : Number(values.neighbours);
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer`);
    if (!Number.isInteger(neighbours) || neighbours < 0 || neighbours > 50) throw new UsageError(`--neighbours must be an integer 0…50`);
    const runIds = String(values.run).split(',').map((s) => s.trim()).filter(Boolean);
    const run = await call('runs.get', { runId: runIds[0] });
    let datasetId: string;
    if (run.datasetId) {
      const train = await call('datasets.get', { datasetId: run.datasetId });
      datasetId = await datasetFor(ctx, String(values.dataset), {
        encodeLike: run.datasetId,
        ...(train.summary.labels ? { labelMode: train.summary.labels.mode } : {}),
      });
    } else {
      datasetId = String(values.dataset);
    }
    const result = await call('inspect.explain', { runIds, datasetId, row, neighbours });
    if (json) return io.out(JSON.stringify({ datasetId, row, ...result }));
    printExplanation(io.out, result, top);
  },
};
