import { getModel } from '../../models/registry';
import { ContractError } from '../../shared/errors';
import { trialRunName } from '../../shared/run';
import type { SweepDetail, SweepInfo, SweepSpec, TrialState } from '../../shared/sweep';
import { newId } from '../ids';
import type { HostedJobContext } from '../jobs/manager';
import { getDataset } from '../store/datasets';
import { getRun } from '../store/runs';
import { finishSweep, getSweepRow, insertSweep, listSweepIds, listTrials, setSweepJob, sweepInfo, updateTrial } from '../store/sweeps';
import { checkTrainParams, resolveParams } from '../train/params';
import { requireModel, startTraining, type TrainServiceDeps } from '../train/train-service';
import { AshaRungs, rungEpochs } from './asha';
import { planTrials, type PlannedTrial } from './space';

/** A sweep needs what a training needs: it starts ordinary training runs. */
export type SweepServiceDeps = TrainServiceDeps;

export function startSweep(deps: SweepServiceDeps, spec: SweepSpec): { sweepId: string; jobId: string } {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const dataset = getDataset(db, spec.datasetId);
  if (!dataset) throw new ContractError('NOT_FOUND', `dataset '${spec.datasetId}' does not exist`);
  if (spec.testDatasetId && !getDataset(db, spec.testDatasetId)) throw new ContractError('NOT_FOUND', `test dataset '${spec.testDatasetId}' does not exist`);
  const defs = spec.modelIds.map(requireModel);
  for (const def of defs) {
    if (dataset.kind !== (def.family === 'records' ? 'tabular' : 'text')) {
      throw new ContractError('BAD_INPUT', `'${def.id}' reads ${def.family}, but '${dataset.name}' holds ${dataset.kind === 'text' ? 'character sequences' : 'records'}`);
    }
  }
  const vf = spec.params.validationFraction ?? 0.1;
  if (!(typeof vf === 'number' && vf > 0)) {
    throw new ContractError('BAD_INPUT', 'a sweep chooses its trials on a validation split of the training data: validationFraction must be > 0');
  }
  let planned: PlannedTrial[];
  try {
    planned = planTrials(spec.space, defs, spec.search, spec.trials, spec.seed);
  } catch (e) {
    throw new ContractError('BAD_INPUT', (e as Error).message);
  }
  for (const t of planned) {
    const def = getModel(t.modelId);
    try {
      checkTrainParams(resolveParams(def, { ...spec.params, ...t.point } as never), def);
    } catch (e) {
      throw new ContractError('BAD_INPUT', `${def.id} with ${JSON.stringify(t.point)}: ${(e as Error).message}`);
    }
  }
  const sweepId = newId('sweep');
  const name = spec.name ?? `${spec.modelIds.join('+')} on ${dataset.name}`.slice(0, 100);
  insertSweep(db, { id: sweepId, name, datasetId: dataset.id, spec, trials: planned });
  const job = jobs.startHosted('sweep', `sweep ${name} (${planned.length} trials)`, (ctx) => runSweep(deps, sweepId, spec, name, planned, ctx));
  setSweepJob(db, sweepId, job.id);
  events.emit('sweeps.changed', {});
  return { sweepId, jobId: job.id };
}

async function runSweep(deps: SweepServiceDeps, sweepId: string, spec: SweepSpec, name: string, planned: PlannedTrial[], ctx: HostedJobContext) {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const epochsOf = (t: PlannedTrial) => resolveParams(getModel(t.modelId), { ...spec.params, ...t.point } as never).epochs;
  const maxEpochs = Math.max(...planned.map(epochsOf));
  const rungs = new AshaRungs(spec.metric, spec.asha.enabled ? rungEpochs(spec.asha.graceEpochs, spec.asha.reductionFactor, maxEpochs) : [], spec.asha.reductionFactor);
  const tag = `sweep:${name}`.replace(/,/g, ' ').slice(0, 40);
  const changed = () => events.emit('sweeps.changed', {});
  try {
    for (let i = 0; i < planned.length && !ctx.signal.aborted; i++) {
      const t = planned[i];
      ctx.progress({ fraction: i / planned.length, message: `trial ${i + 1}/${planned.length}: ${t.modelId} ${describe(t.point)}`, metrics: { trial: i + 1, trials: planned.length } });
      let started: { runId: string; jobId: string };
      try {
        [started] = startTraining(
          deps,
          { datasetId: spec.datasetId, modelIds: [t.modelId], params: { ...spec.params, ...t.point }, tags: [tag], ...(spec.testDatasetId ? { testDatasetId: spec.testDatasetId } : {}) },
          { name: trialRunName(name, i, t.point, spec.modelIds.length > 1 ? t.modelId : undefined), ...(rungs.epochs.length ? { asha: rungs.forTrial(epochsOf(t)) } : {}) },
        );
      } catch (e) {
        // A refused trial (e.g. a test set not encoded like the training set) would refuse every trial.
        updateTrial(db, sweepId, i, { state: 'failed' });
        throw e;
      }
      updateTrial(db, sweepId, i, { state: 'running', runId: started.runId });
      changed();
      const onAbort = () => jobs.cancel(started.jobId);
      ctx.signal.addEventListener('abort', onAbort);
      const job = await jobs.wait(started.jobId);
      ctx.signal.removeEventListener('abort', onAbort);
      const run = getRun(db, started.runId);
      const best = run?.history.find((h) => h.epoch === run.bestEpoch);
      const value = best ? best[spec.metric] : null;
      const stoppedAt = (job.result as { ashaStoppedAt?: number | null } | undefined)?.ashaStoppedAt ?? null;
      let state: TrialState = job.status === 'done' ? (stoppedAt !== null ? 'stopped' : 'done') : job.status === 'cancelled' ? 'cancelled' : 'failed';
      if (state === 'done' && value === null) state = 'failed';
      if (job.status === 'done' && run) rungs.record(run.history);
      updateTrial(db, sweepId, i, { state, metric: value, epochs: run?.history.length ?? null, stoppedAt });
      changed();
    }
    finishSweep(db, sweepId, ctx.signal.aborted ? 'cancelled' : 'done');
  } catch (e) {
    finishSweep(db, sweepId, 'failed', (e as Error).message);
    changed();
    throw e;
  }
  changed();
  const info = sweepInfo(db, sweepId, () => true)!;
  return { sweepId, bestRunId: info.bestRunId, bestMetric: info.bestMetric, finished: info.finished, stopped: info.stopped };
}

function describe(point: Record<string, unknown>): string {
  return Object.entries(point)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('-') : String(v)}`)
    .join(' ');
}

export function listSweeps(deps: SweepServiceDeps): SweepInfo[] {
  const alive = (jobId: string) => deps.jobs.get(jobId)?.status === 'running';
  return listSweepIds(deps.workspace.db).map((id) => sweepInfo(deps.workspace.db, id, alive)!);
}

export function getSweep(deps: SweepServiceDeps, sweepId: string): SweepDetail {
  const db = deps.workspace.db;
  const info = sweepInfo(db, sweepId, (jobId) => deps.jobs.get(jobId)?.status === 'running');
  if (!info) throw new ContractError('NOT_FOUND', `sweep '${sweepId}' does not exist`);
  const spec = JSON.parse(getSweepRow(db, sweepId)!.spec_json) as SweepSpec;
  return { info, spec, dimensions: Object.keys(spec.space), trials: listTrials(db, sweepId) };
}
