import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { EpochStats } from '../../shared/run';
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
import { appendEpoch, finishRun, insertRun, setRunStatus } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { checkTrainParams, resolveParams } from './params';
import type { TrainJobInput, TrainJobResult } from './train-job';
import type { AshaTrialInput } from '../sweep/asha';

export interface TrainServiceDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

function requireModel(id: string): ModelDef {
  try {
    return getModel(id);
  } catch (e) {
    throw new ContractError('BAD_INPUT', (e as Error).message);
  }
}

/** Queues one run per architecture; each is a job in a worker, stored as it progresses. `asha`: a sweep trial's rungs. */
export function startTraining(
  deps: TrainServiceDeps,
  req: OpParsedRequest<'train.start'>,
  extra: { asha?: AshaTrialInput } = {},
): { runId: string; jobId: string }[] {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const dataset = getDataset(db, req.datasetId);
  if (!dataset) throw new ContractError('NOT_FOUND', `dataset '${req.datasetId}' does not exist`);
  if (dataset.classes.length < 2) {
    throw new ContractError('BAD_INPUT', `dataset '${dataset.name}' has ${dataset.classes.length} label class(es); training needs at least 2`);
  }
  const encoding = getEncoding(db, dataset.id)!;
  const files = getDatasetFiles(db, dataset.id)!;
  const featurizer = encoding.featurizer as { kind: string; vocabSize?: number };

  let test: { cache: string; split: EvalSplit; datasetId: string } | undefined;
  /** A test dataset with its own encoding is encoded like this training set after each run (as eval.start does). */
  let laterTest: string | undefined;
  if (req.testDatasetId) {
    const resolved = resolveEncodedLike(db, workspace.dir, req.testDatasetId, dataset.id);
    if (resolved.kind === 'ready') {
      const t = resolved.dataset;
      if (JSON.stringify(t.classes) !== JSON.stringify(dataset.classes)) {
        throw new ContractError('BAD_INPUT', `test dataset '${t.name}' has classes [${t.classes}] but '${dataset.name}' has [${dataset.classes}]`);
      }
      test = { cache: getDatasetFiles(db, t.id)!.cache, split: splitOf(t.name, t.sourcePath), datasetId: t.id };
    } else {
      laterTest = resolved.source.id;
    }
  }

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
    const runDir = path.join(workspace.dir, 'runs', runId);
    const evalId = newId('ev');
    const input: TrainJobInput = {
      runId,
      modelId: def.id,
      runDir,
      trainCache: files.cache,
      classes: dataset.classes,
      params: req.params as TrainJobInput['params'],
      datasetName: dataset.name,
      ...(extra.asha ? { asha: extra.asha } : {}),
      ...(featurizer.kind === 'charseq' && featurizer.vocabSize ? { vocabSize: featurizer.vocabSize } : {}),
      ...(test ? { test: { cachePath: test.cache, split: test.split, evalId } } : {}),
    };
    let marked = false;
    const job = jobs.start('train', `${def.id} on ${dataset.name}`, input, {
      onProgress: (p) => {
        if (!marked) {
          marked = true;
          setRunStatus(db, runId, 'running');
          events.emit('runs.changed', {});
        }
        const m = p.metrics;
        if (m?.epochEnd === 1) {
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
        setRunStatus(db, runId, job.status === 'cancelled' ? 'cancelled' : 'failed', job.error);
        fs.rmSync(runDir, { recursive: true, force: true });
        events.emit('runs.changed', {});
      },
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
    });
    return { runId, jobId: job.id };
  });
  events.emit('runs.changed', {});
  return started;
}
