import path from 'node:path';
import { ImportOptionsSchema } from '../../shared/dataset';
import { ContractError } from '../../shared/errors';
import type { CharSeqJSON } from '../data/featurize/charseq';
import type { LabelEncoderJSON } from '../data/labels/label-encoder';
import { startImport } from '../data/import-service';
import { startEvaluation } from '../eval/eval-service';
import { normalIndexOf } from '../eval/run-eval';
import type { EventHub } from '../events';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { getDataset, getDatasetFiles, getEncoding } from '../store/datasets';
import { listEvaluations } from '../store/evaluations';
import { getRun } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { startTraining } from '../train/train-service';
import { getModel } from '../../models/registry';
import type { RetrainBuildInput, RetrainBuildResult, RetrainFile } from './retrain-job';

export interface RetrainDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

export interface RetrainStarted {
  runId: string;
  jobId: string;
  datasetId: string;
  verdictDatasetId: string | null;
  testDatasetId: string | null;
  trainRows: number;
  verdictRows: number;
  relabelled: number;
}

async function finished(jobs: JobManager, jobId: string): Promise<unknown> {
  const j = await jobs.wait(jobId);
  if (j.status !== 'done') throw new ContractError('BAD_INPUT', `${j.title}: ${j.status}${j.error ? `: ${j.error}` : ''}`);
  return j.result;
}

/**
 * Retrain with the analyst's verdicts: the run's training rows plus the verdict-labelled URLs and domains
 * (deduplicated, the verdict winning, verdict rows in files named verdicts-*.txt so their ids mark them)
 * imported with the run's encoding, a new run of the same architecture with the same settings, and both
 * runs evaluated on the verdict set (the new one also on the original test file) for Compare.
 */
export async function startRetrain(deps: RetrainDeps, req: { runId: string; epochs?: number | undefined; fromWeights?: boolean | undefined }): Promise<RetrainStarted> {
  const { workspace, jobs } = deps;
  const db = workspace.db;
  const run = getRun(db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (run.status !== 'done' && run.status !== 'cancelled') throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no model yet`);
  const dataset = run.datasetId ? getDataset(db, run.datasetId) : undefined;
  if (!dataset) throw new ContractError('BAD_INPUT', `the training dataset of run '${run.id}' was deleted: there is nothing to add the verdicts to`);
  const enc = getEncoding(db, dataset.id)!;
  const featurizer = enc.featurizer as CharSeqJSON;
  // Records runs would need each verdict's record re-read from its file; only text models take verdicts for now.
  if (featurizer.kind !== 'charseq' || dataset.format === 'zeek-behaviour') throw new ContractError('BAD_INPUT', `run '${run.id}' (${run.modelId}) is not a URL or domain model: retraining with verdicts needs one`);
  // The stored rows are already cut to their public-suffix-free form; encoding them again would cut twice.
  if (featurizer.stripPublicSuffix) throw new ContractError('BAD_INPUT', `run '${run.id}' strips public suffixes; retraining such a run with verdicts is not supported yet`);
  if (req.fromWeights && getModel(run.modelId).engine !== 'tfjs') throw new ContractError('BAD_INPUT', `run '${run.id}' (${run.modelId}) has no weights to start from: only neural models do`);
  const normalIndex = normalIndexOf(run.classes);
  if (run.classes.length !== 2 || normalIndex === null) throw new ContractError('BAD_INPUT', `run '${run.id}' has classes [${run.classes}]: retraining with verdicts needs a benign/malicious model`);
  const labels = enc.labelEncoder as LabelEncoderJSON;
  const normal = labels.mode === 'binary' ? (labels.benign[0] ?? 'benign') : run.classes[normalIndex];
  const attack = labels.mode === 'binary' ? 'attack' : run.classes[1 - normalIndex];

  const id = newId('retrain');
  const input: RetrainBuildInput = { dbPath: workspace.dbPath, cachePath: getDatasetFiles(db, dataset.id)!.cache, featurizer, labels: { normal, attack }, normalIndex, outDir: path.join(workspace.dir, 'retrain', id) };
  const built = (await finished(jobs, jobs.start('retrain', `verdicts + training data of ${run.modelId}`, input).id)) as RetrainBuildResult;
  if (built.verdictRows === 0) throw new ContractError('BAD_INPUT', 'there are no malicious or benign verdicts on URLs or domains to retrain with');

  const importFiles = async (files: RetrainFile[], name: string) => {
    const options = ImportOptionsSchema.parse({ format: dataset.format, encodeLike: dataset.id });
    const { jobId } = startImport(deps, { path: files[0].path, name, inputs: files.map((f) => ({ path: f.path, fixedLabel: f.fixedLabel })), options });
    return ((await finished(jobs, jobId)) as { datasetId: string }).datasetId;
  };
  const datasetId = await importFiles(built.files, `${dataset.name} + verdicts`);
  const verdictDatasetId = await importFiles(built.verdictFiles, `verdicts (${built.verdictRows})`);

  // The original test file: the newest evaluation of the old run on a file of its own (not a random split).
  const testEval = listEvaluations(db, run.id).find((e) => e.splitKind !== 'random-split' && e.datasetId && e.datasetId !== dataset.id);
  const testDatasetId = testEval?.datasetId ?? null;
  // Starting from the old weights needs the same classes in the same order (the output layer's meaning).
  if (req.fromWeights && JSON.stringify(getDataset(db, datasetId)?.classes) !== JSON.stringify(run.classes)) {
    throw new ContractError('BAD_INPUT', `the retraining set has classes [${getDataset(db, datasetId)?.classes}] but run '${run.id}' has [${run.classes}]: it cannot start from its weights`);
  }
  const [started] = startTraining(deps, {
    datasetId,
    modelIds: [run.modelId],
    params: { ...run.params, ...(req.epochs ? { epochs: req.epochs } : {}) },
    ...(testDatasetId ? { testDatasetId } : {}),
    tags: ['verdicts', `retrain-of:${run.id}`.slice(0, 40), ...(req.fromWeights ? ['from-weights'] : [])],
  }, req.fromWeights ? { initFromRunId: run.id } : {});
  // Both runs on the verdict set once the new one is trained; a failure here leaves the new run as it is.
  void jobs.wait(started.jobId).then((j) => {
    if (j.status !== 'done') return;
    for (const runId of [run.id, started.runId]) startEvaluation(deps, { runId, datasetId: verdictDatasetId });
  });
  return { runId: started.runId, jobId: started.jobId, datasetId, verdictDatasetId, testDatasetId, trainRows: built.trainRows, verdictRows: built.verdictRows, relabelled: built.relabelled };
}
