import { runHasModel } from '../../shared/run';
import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { EvalResult, EvalSplit } from '../../shared/eval';
import type { EvaluationInfo } from '../../shared/run';
import type { EventHub } from '../events';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { storeImportedDataset } from '../data/import-service';
import { getDatasetFiles } from '../store/datasets';
import { getEvaluation, insertEvaluation, listEvaluationInfos } from '../store/evaluations';
import { getRun } from '../store/runs';
import { resolveEncodedLike } from './encode-like';
import type { Workspace } from '../store/workspace';
import { splitOf } from './split-of';
import type { CompareJobInput } from './compare-job';
import type { EvalJobInput, EvalJobResult } from './eval-job';
import { evalRecords } from './eval-records';
import type { EvalRecordsPage } from '../../shared/run';

export interface EvalServiceDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

/** A weighted or stacked ensemble's combiner was fitted on its validation rows: figures there are optimistic. */
function fittedOn(run: { modelId: string; params: Record<string, unknown> }): string {
  return run.modelId === 'ensemble' && run.params.method !== 'mean' ? `; the ensemble's ${String(run.params.method)} combiner was fitted on these rows` : '';
}

/** Scores a run on any dataset encoded like its training set; its own training file means its validation rows. */
export function startEvaluation(deps: EvalServiceDeps, req: OpParsedRequest<'eval.start'>): { jobId: string; evalId: string } {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const run = getRun(db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (!runHasModel(run.status)) throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no model to evaluate yet`);
  const resolved = resolveEncodedLike(db, workspace.dir, req.datasetId, run.datasetId);
  const ds = resolved.kind === 'ready' ? resolved.dataset : resolved.source;
  if (resolved.kind === 'ready' && JSON.stringify(ds.classes) !== JSON.stringify(run.classes)) {
    throw new ContractError('BAD_INPUT', `dataset '${ds.name}' has classes [${ds.classes}] but run '${run.id}' predicts [${run.classes}]`);
  }
  const own = ds.id === run.datasetId;
  const fraction = Number(run.params.validationFraction ?? 0.1);
  if (own && !(fraction > 0)) throw new ContractError('BAD_INPUT', `run '${run.id}' was trained on all of '${ds.name}': there are no held-out rows to score`);
  const split: EvalSplit = own
    ? {
        kind: 'random-split',
        description: `random ${Math.round(fraction * 100)} % validation split (seed ${Number(run.params.seed ?? 42)}) of the training file ${ds.name} (not an official test set${fittedOn(run)})`,
      }
    : splitOf(ds.name, ds.sourcePath);
  const evalId = newId('ev');
  const runDir = path.join(workspace.dir, 'runs', run.id);
  const probaPath = path.join(runDir, `${evalId}.proba.f32`);
  const input: EvalJobInput = {
    runDir,
    classes: run.classes,
    cachePath: resolved.kind === 'ready' ? getDatasetFiles(db, ds.id)!.cache : '',
    split,
    probaPath,
    ...(resolved.kind === 'encode' ? { encode: resolved.importInput } : {}),
    ...(own ? { validation: { fraction, seed: Number(run.params.seed ?? 42) } } : {}),
  };
  const job = jobs.start('eval', `evaluate ${run.modelId} on ${ds.name}`, input, {
    onResult: (raw) => {
      const r = raw as EvalJobResult;
      let scoredId = ds.id;
      if (resolved.kind === 'encode' && r.imported) {
        const opts = resolved.importInput.options;
        storeImportedDataset(db, { id: resolved.datasetId, name: resolved.name, sourcePath: resolved.importInput.path, options: opts, result: r.imported });
        scoredId = resolved.datasetId;
        events.emit('datasets.changed', {});
      }
      insertEvaluation(db, {
        id: evalId,
        runId: run.id,
        datasetId: scoredId,
        splitKind: split.kind,
        splitDescription: split.description,
        rows: r.result.rows,
        accuracy: r.result.accuracy,
        result: r.result,
        predictionsPath: probaPath,
      });
      events.emit('runs.changed', {});
      return { evalId, accuracy: r.result.accuracy };
    },
    onAbandon: () => {
      if (resolved.kind === 'encode') fs.rmSync(resolved.importInput.outDir, { recursive: true, force: true });
      fs.rmSync(probaPath, { force: true });
      fs.rmSync(probaPath.replace(/\.proba\.f32$/, '.rows.i32'), { force: true });
    },
  });
  return { jobId: job.id, evalId };
}

export function listEvaluations(deps: EvalServiceDeps, runIds: string[] | undefined): EvaluationInfo[] {
  return listEvaluationInfos(deps.workspace.db, runIds);
}

export function getEvaluationResult(deps: EvalServiceDeps, evalId: string): { info: EvaluationInfo; result: EvalResult } {
  const e = getEvaluation(deps.workspace.db, evalId);
  if (!e) throw new ContractError('NOT_FOUND', `evaluation '${evalId}' does not exist`);
  return e;
}

/** Paired test of two evaluations of the same rows (same dataset, same split). */
export function startComparison(deps: EvalServiceDeps, req: OpParsedRequest<'compare.start'>): { jobId: string } {
  const db = deps.workspace.db;
  const a = getEvaluation(db, req.evalIdA);
  const b = getEvaluation(db, req.evalIdB);
  if (!a) throw new ContractError('NOT_FOUND', `evaluation '${req.evalIdA}' does not exist`);
  if (!b) throw new ContractError('NOT_FOUND', `evaluation '${req.evalIdB}' does not exist`);
  if (a.info.datasetId !== b.info.datasetId || a.info.split.description !== b.info.split.description || a.info.rows !== b.info.rows) {
    throw new ContractError('BAD_INPUT', `a paired test needs both runs scored on the same rows: ${a.info.split.description} vs ${b.info.split.description}`);
  }
  if (JSON.stringify(a.result.classes) !== JSON.stringify(b.result.classes)) {
    throw new ContractError('BAD_INPUT', 'the two runs predict different classes');
  }
  const files = a.info.datasetId ? getDatasetFiles(db, a.info.datasetId) : undefined;
  const pa = a.predictionsPath;
  const pb = b.predictionsPath;
  if (!files || !pa || !pb || !fs.existsSync(pa) || !fs.existsSync(pb)) {
    throw new ContractError('NOT_AVAILABLE', 'the stored predictions or the test dataset of these evaluations are gone');
  }
  const input: CompareJobInput = { cachePath: files.cache, classes: a.result.classes, probaA: pa, probaB: pb, seed: req.seed, resamples: req.resamples };
  const job = deps.jobs.start('compare', `compare ${a.info.modelId} vs ${b.info.modelId}`, input);
  return { jobId: job.id };
}

export async function listEvalRecords(deps: EvalServiceDeps, req: OpParsedRequest<'evals.records'>): Promise<EvalRecordsPage> {
  const db = deps.workspace.db;
  const e = getEvaluation(db, req.evalId);
  if (!e) throw new ContractError('NOT_FOUND', `evaluation '${req.evalId}' does not exist`);
  const files = e.info.datasetId ? getDatasetFiles(db, e.info.datasetId) : undefined;
  if (!files || !e.predictionsPath || !fs.existsSync(e.predictionsPath)) {
    throw new ContractError('NOT_AVAILABLE', 'the stored predictions or the dataset of this evaluation are gone');
  }
  const classes = e.result.classes;
  const index = (name: string | undefined, what: string) => {
    if (name === undefined) return undefined;
    const i = classes.indexOf(name);
    if (i < 0) throw new ContractError('BAD_INPUT', `${what} '${name}' is not one of [${classes.join(', ')}]`);
    return i;
  };
  return evalRecords(e.predictionsPath, files.cache, files.raw, classes, {
    trueClass: index(req.trueClass, 'true class'),
    predClass: index(req.predClass, 'predicted class'),
    offset: req.offset,
    limit: req.limit,
  });
}
