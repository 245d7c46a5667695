import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { DatasetDetail } from '../../shared/dataset';
import { defaultRunName, pushBatchPoint, type BatchCurve, type EpochStats } from '../../shared/run';
import { getModel } from '../../models/registry';
import type { ModelDef } from '../../models/types';
import type { EvalSplit } from '../../shared/eval';
import { resolveEncodedLike } from '../eval/encode-like';
import { startEvaluation } from '../eval/eval-service';
import { splitOf } from '../eval/split-of';
import type { EventHub } from '../events';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { getDataset, getDatasetFiles, getEncoding } from '../store/datasets';
import { insertEvaluation } from '../store/evaluations';
import { appendEpoch, finishRun, getRun, insertRun, requeueRun, setBatchCurve, setRunStatus } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { checkTrainParams, resolveParams } from './params';
import { readCheckpoint } from './run-files';
import type { TrainJobInput, TrainJobResult } from './train-job';
import type { AshaTrialInput } from '../sweep/asha';

export interface TrainServiceDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

/** The architecture, or a BAD_INPUT the caller shows as it is (an unknown id is the user's input). */
export function requireModel(id: string): ModelDef {
  try {
    return getModel(id);
  } catch (e) {
    throw new ContractError('BAD_INPUT', (e as Error).message);
  }
}

/**
 * Queues one run per architecture; each is a job in a worker, stored as it progresses. `asha`: a sweep
 * trial's rungs; `name`: the run's name instead of the default from its settings (a sweep trial's).
 */
export function startTraining(
  deps: TrainServiceDeps,
  req: OpParsedRequest<'train.start'>,
  extra: { asha?: AshaTrialInput; initFromRunId?: string; name?: string } = {},
): { runId: string; jobId: string }[] {
  const { workspace, events } = deps;
  const db = workspace.db;
  const dataset = getDataset(db, req.datasetId);
  if (!dataset) throw new ContractError('NOT_FOUND', `dataset '${req.datasetId}' does not exist`);
  if (dataset.classes.length < 2) {
    throw new ContractError('BAD_INPUT', `dataset '${dataset.name}' has ${dataset.classes.length} label class(es); training needs at least 2`);
  }
  const encoding = getEncoding(db, dataset.id)!;
  const files = getDatasetFiles(db, dataset.id)!;
  const featurizer = encoding.featurizer as { kind: string; vocabSize?: number };

  const { test, laterTest } = resolveTestSet(deps, dataset, req.testDatasetId);

  const defs = req.modelIds.map(requireModel);
  for (const def of defs) {
    const wants = def.family === 'records' ? 'tabular' : 'text';
    if (dataset.kind !== wants) {
      throw new ContractError('BAD_INPUT', `'${def.id}' reads ${def.family}, but '${dataset.name}' holds ${dataset.kind === 'text' ? 'character sequences' : 'records'}`);
    }
    try {
      // Keys an architecture declares unused (the forest's placeholder learningRate 0, epochs, ...) are not checked.
      checkTrainParams(resolveParams(def, req.params as never), def);
    } catch (e) {
      throw new ContractError('BAD_INPUT', `${def.id}: ${(e as Error).message}`);
    }
  }

  const started = defs.map((def) => {
    const runId = newId('run');
    const job = startRunJob(deps, {
      runId,
      modelId: def.id,
      trainCache: files.cache,
      classes: dataset.classes,
      params: req.params as TrainJobInput['params'],
      featurizer,
      test,
      laterTest,
      title: `${def.id} on ${dataset.name}`,
      datasetName: dataset.name,
      ...(extra.asha ? { asha: extra.asha } : {}),
      ...(extra.initFromRunId ? { initFromRunDir: path.join(workspace.dir, 'runs', extra.initFromRunId) } : {}),
    });
    insertRun(db, {
      id: runId,
      datasetId: dataset.id,
      modelId: def.id,
      family: def.family,
      params: req.params,
      encoding,
      classes: dataset.classes,
      jobId: job.id,
      tags: req.tags,
      name: extra.name ?? defaultRunName(def.id, dataset.name, resolveParams(def, req.params as never) as Record<string, unknown>),
    });
    return { runId, jobId: job.id };
  });
  events.emit('runs.changed', {});
  return started;
}

/**
 * Continues an interrupted run from its last checkpoint up to `epochs` (default: the epochs it was started
 * with), in the same run: same id, same split and shuffles, history continued.
 */
export function resumeTraining(deps: TrainServiceDeps, req: OpParsedRequest<'runs.resume'>): { runId: string; jobId: string } {
  const db = deps.workspace.db;
  const run = getRun(db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (run.status !== 'interrupted') {
    throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}; only an interrupted run resumes (train a new run to go further)`);
  }
  const checkpoint = readCheckpoint(path.join(deps.workspace.dir, 'runs', run.id));
  if (!checkpoint) throw new ContractError('BAD_INPUT', `run '${run.id}' has no checkpoint on disk to resume from`);
  const dataset = run.datasetId ? getDataset(db, run.datasetId) : undefined;
  if (!dataset) throw new ContractError('BAD_INPUT', `run '${run.id}': its training dataset was deleted, so it cannot resume`);
  const def = requireModel(run.modelId);
  const params = { ...(run.params as Record<string, unknown>), ...(req.epochs !== undefined ? { epochs: req.epochs } : {}) };
  const epochs = Number(params.epochs ?? def.defaults.epochs);
  if (!(epochs > checkpoint.epoch)) {
    throw new ContractError('BAD_INPUT', `run '${run.id}' already has ${checkpoint.epoch} epoch(s); ask for more than that (--epochs N)`);
  }
  const encoding = getEncoding(db, dataset.id)!;
  const { test, laterTest } = resolveTestSet(deps, dataset, req.testDatasetId);
  const job = startRunJob(deps, {
    runId: run.id,
    modelId: def.id,
    trainCache: getDatasetFiles(db, dataset.id)!.cache,
    classes: run.classes,
    params: params as TrainJobInput['params'],
    featurizer: encoding.featurizer as RunJobSpec['featurizer'],
    test,
    laterTest,
    title: `${def.id} on ${dataset.name} (resumed at epoch ${checkpoint.epoch + 1})`,
    datasetName: dataset.name,
    resume: true,
    batchCurve: run.batchCurve,
  });
  requeueRun(db, run.id, job.id, params);
  deps.events.emit('runs.changed', {});
  return { runId: run.id, jobId: job.id };
}

interface TestSet {
  cache: string;
  split: EvalSplit;
  datasetId: string;
}

/**
 * The test set scored at the end of a run: one encoded like the training set now (test), or one with its
 * own encoding, encoded like the training set after each run as eval.start does (laterTest).
 */
function resolveTestSet(deps: TrainServiceDeps, dataset: DatasetDetail, testDatasetId: string | undefined): { test?: TestSet; laterTest?: string } {
  if (!testDatasetId) return {};
  const db = deps.workspace.db;
  const resolved = resolveEncodedLike(db, deps.workspace.dir, testDatasetId, dataset.id);
  if (resolved.kind !== 'ready') return { laterTest: resolved.source.id };
  const t = resolved.dataset;
  if (JSON.stringify(t.classes) !== JSON.stringify(dataset.classes)) {
    throw new ContractError('BAD_INPUT', `test dataset '${t.name}' has classes [${t.classes}] but '${dataset.name}' has [${dataset.classes}]`);
  }
  return { test: { cache: getDatasetFiles(db, t.id)!.cache, split: splitOf(t.name, t.sourcePath), datasetId: t.id } };
}

interface RunJobSpec {
  runId: string;
  modelId: string;
  trainCache: string;
  classes: string[];
  params: TrainJobInput['params'];
  featurizer: { kind: string; vocabSize?: number };
  test: TestSet | undefined;
  laterTest: string | undefined;
  title: string;
  datasetName: string;
  asha?: AshaTrialInput;
  resume?: boolean;
  initFromRunDir?: string;
  /** A resumed run's curve so far. */
  batchCurve?: BatchCurve | null;
}

/** How often, at most, the batch curve is written mid-epoch: a reload then loses at most this much of it. */
const BATCH_CURVE_WRITE_MS = 2000;

/** One run's training job: epochs into the run row as they end, the outcome (and test evaluation) stored at the end. */
function startRunJob(deps: TrainServiceDeps, spec: RunJobSpec) {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const { runId, featurizer, test, laterTest } = spec;
  const runDir = path.join(workspace.dir, 'runs', runId);
  const evalId = newId('ev');
  const input: TrainJobInput = {
    runId,
    modelId: spec.modelId,
    runDir,
    trainCache: spec.trainCache,
    classes: spec.classes,
    params: spec.params,
    datasetName: spec.datasetName,
    ...(spec.asha ? { asha: spec.asha } : {}),
    ...(featurizer.kind === 'charseq' && featurizer.vocabSize ? { vocabSize: featurizer.vocabSize } : {}),
    ...(test ? { test: { cachePath: test.cache, split: test.split, evalId } } : {}),
    ...(spec.resume ? { resume: true } : {}),
    ...(spec.initFromRunDir ? { initFromRunDir: spec.initFromRunDir } : {}),
  };
  let marked = false;
  let curve: BatchCurve | null = spec.batchCurve ? { ...spec.batchCurve, points: [...spec.batchCurve.points] } : null;
  let curveWritten = 0;
  return jobs.start('train', spec.title, input, {
    onProgress: (p) => {
      if (!marked) {
        marked = true;
        setRunStatus(db, runId, 'running');
        events.emit('runs.changed', {});
      }
      const m = p.metrics;
      if (m && m.epochEnd === 0 && m.batchesPerEpoch > 0 && Number.isFinite(m.loss) && Number.isFinite(m.acc)) {
        curve ??= { batchesPerEpoch: m.batchesPerEpoch, points: [] };
        pushBatchPoint(curve, { step: (m.epoch - 1) * m.batchesPerEpoch + m.batch, loss: m.loss, acc: m.acc });
        if (Date.now() - curveWritten > BATCH_CURVE_WRITE_MS) {
          curveWritten = Date.now();
          setBatchCurve(db, runId, curve);
        }
      }
      if (m?.epochEnd === 1) {
        if (curve) setBatchCurve(db, runId, curve);
        const e: EpochStats = {
          epoch: m.epoch,
          loss: m.loss ?? null,
          acc: m.acc ?? null,
          valLoss: m.valLoss ?? null,
          valAcc: m.valAcc ?? null,
          wallMs: 0,
        };
        appendEpoch(db, runId, e);
      }
    },
    onResult: (raw) => {
      const r = raw as TrainJobResult;
      db.transaction(() => {
        finishRun(db, runId, {
          status: r.cancelled ? 'cancelled' : 'done',
          params: r.params,
          history: r.history,
          bestEpoch: r.bestEpoch,
          stoppedEarly: r.stoppedEarly,
          backend: r.backend,
          wallMs: r.wallMs,
          weightsDir: runDir,
          trainRows: r.trainRows,
          valRows: r.valRows,
          validation: r.validation,
        });
        // The worker saw every batch; the main side only the throttled progress. A resumed run keeps its earlier steps.
        const full = r.batchCurve && curve ? { batchesPerEpoch: r.batchCurve.batchesPerEpoch, points: [...curve.points.filter((p) => p.step < (r.batchCurve!.points[0]?.step ?? Infinity)), ...r.batchCurve.points] } : (r.batchCurve ?? curve);
        if (full) setBatchCurve(db, runId, full);
        if (r.evaluation && test) {
          insertEvaluation(db, {
            id: r.evaluation.evalId,
            runId,
            datasetId: test.datasetId,
            splitKind: test.split.kind,
            splitDescription: test.split.description,
            rows: r.evaluation.result.rows,
            accuracy: r.evaluation.result.accuracy,
            result: r.evaluation.result,
            predictionsPath: r.evaluation.probaPath,
          });
        }
      })();
      events.emit('runs.changed', {});
      if (laterTest) {
        try {
          startEvaluation(deps, { runId, datasetId: laterTest });
        } catch {
          // The test set went away while training: the run stands, Compare's "Evaluate on…" remains.
        }
      }
      return { runId, accuracy: r.evaluation?.result.accuracy ?? null, bestEpoch: r.bestEpoch, cancelled: r.cancelled, ashaStoppedAt: r.ashaStoppedAt };
    },
    onAbandon: (job) => {
      if (spec.resume) {
        // A resume that stops before its first epoch ends leaves the run as it was: interrupted, checkpoint kept.
        setRunStatus(db, runId, 'interrupted', `resume ${job.status}${job.error ? `: ${job.error}` : ''}`);
      } else {
        setRunStatus(db, runId, job.status === 'cancelled' ? 'cancelled' : 'failed', job.error);
        fs.rmSync(runDir, { recursive: true, force: true });
      }
      events.emit('runs.changed', {});
    },
  });
}
