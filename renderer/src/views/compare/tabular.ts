import { classesOf, overallColumns, perClassColumns } from './metrics';
import { isScored, type Comparison } from './model';
import { verdictOf } from './verdict';

/** Header and one row per scored run: every number next to the split it was measured on. */
export function metricsRows(c: Comparison): { header: string[]; rows: (string | number | null)[][] } {
  const scored = c.entries.filter(isScored);
  const columns = [...overallColumns(scored.map((e) => e.result)), ...perClassColumns(classesOf(scored.map((e) => e.result)))];
  const header = ['run_id', 'model', 'training_dataset', 'test_dataset', 'split_kind', 'split', 'rows', 'eval_id', 'tags', ...columns.map((col) => col.key)];
  const rows = scored.map((e) => [
    e.run.id,
    e.run.modelId,
    e.trainingDataset,
    e.evaluation.datasetName,
    e.result.split.kind,
    e.result.split.description,
    e.result.rows,
    e.evaluation.id,
    e.run.tags.join(' '),
    ...columns.map((col) => col.get(e.result)),
  ]);
  return { header, rows };
}

/** The same figures as JSON, plus confusion counts, notes and the paired test. */
export function metricsJson(c: Comparison, generatedAt: Date): unknown {
  const scored = c.entries.filter(isScored);
  return {
    generatedBy: 'DeepTriage',
    generatedAt: generatedAt.toISOString(),
    testSet: c.testSet ? { dataset: c.testSet.datasetName, datasetId: c.testSet.datasetId, split: c.testSet.split } : null,
    runs: scored.map((e) => ({
      runId: e.run.id,
      model: e.run.modelId,
      trainingDataset: e.trainingDataset,
      tags: e.run.tags,
      note: e.detail?.note ?? '',
      evalId: e.evaluation.id,
      split: e.result.split,
      rows: e.result.rows,
      metrics: Object.fromEntries(overallColumns(scored.map((s) => s.result)).map((col) => [col.key, col.get(e.result)])),
      perClass: e.result.perClass,
      confusion: { classes: e.result.classes, counts: e.result.confusion.counts },
    })),
    pairedTest: c.paired
      ? {
          a: { label: c.paired.labelA, evalId: c.paired.evalIdA },
          b: { label: c.paired.labelB, evalId: c.paired.evalIdB },
          verdict: verdictOf(c.paired.result, c.paired.labelA, c.paired.labelB).text,
          ...c.paired.result,
        }
      : null,
  };
}
