import { runHasModel } from '../../shared/run';
import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest, OpResponse } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { RunDetail } from '../../shared/run';
import type { EventHub } from '../events';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { getDatasetFiles } from '../store/datasets';
import { finishRun, getRun, getRunEncoding, insertRun, setRunStatus } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { ENSEMBLE_MODEL_ID } from './ensemble-classifier';
import type { EnsembleJobInput, EnsembleJobResult } from './ensemble-job';

export interface EnsembleServiceDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

const label = (r: RunDetail) => `${r.modelId} run '${r.id}'`;

/** The keys where two encodings differ, for a message an analyst can act on. */
function encodingDifference(a: unknown, b: unknown): string {
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return 'one has no stored encoding';
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  if (ra.kind !== rb.kind) return `${String(ra.kind)} vs ${String(rb.kind)} input`;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => JSON.stringify(ra[k]) !== JSON.stringify(rb[k]));
  return keys.map((k) => (typeof ra[k] === 'object' || typeof rb[k] === 'object' ? `${k} differs` : `${k} ${JSON.stringify(ra[k])} vs ${JSON.stringify(rb[k])}`)).join(', ');
}

/**
 * Checks the runs can be one ensemble and queues the job that fits its combiner. Supported: members that read
 * the SAME encoded input (identical featurizer JSON) and predict the same classes — the ensemble then feeds
 * one encoded row to every member, in the engine and in its ONNX graph alike. Members encoded differently
 * (char models with different maximum lengths, truncation sides, scheme stripping) are refused: re-padding
 * one member's input from another's encoding is not equivalent once truncation keeps the end of a string.
 */
export function startEnsemble(deps: EnsembleServiceDeps, req: OpParsedRequest<'ensemble.create'>): OpResponse<'ensemble.create'> {
  const { workspace, jobs, events } = deps;
  const db = workspace.db;
  const ids = [...new Set(req.runIds)];
  if (ids.length < 2) throw new ContractError('BAD_INPUT', 'an ensemble needs at least two different runs');
  const runs = ids.map((id) => {
    const r = getRun(db, id);
    if (!r) throw new ContractError('NOT_FOUND', `run '${id}' does not exist`);
    if (!runHasModel(r.status)) throw new ContractError('BAD_INPUT', `${label(r)} is ${r.status}: it has no saved model yet`);
    if (r.modelId === ENSEMBLE_MODEL_ID) throw new ContractError('BAD_INPUT', `run '${r.id}' is itself an ensemble: pick its members directly`);
    return r;
  });
  const first = runs[0];
  const firstEnc = (getRunEncoding(db, first.id) as { featurizer?: unknown } | undefined)?.featurizer;
  for (const r of runs.slice(1)) {
    const enc = (getRunEncoding(db, r.id) as { featurizer?: unknown } | undefined)?.featurizer;
    if (JSON.stringify(enc) !== JSON.stringify(firstEnc)) {
      throw new ContractError(
        'BAD_INPUT',
        `${label(r)} reads input encoded differently from ${label(first)} (${encodingDifference(firstEnc, enc)}): an ensemble feeds one encoded row to every member, so its members must be trained on one dataset or on datasets imported "encode like" it`,
      );
    }
    if (JSON.stringify(r.classes) !== JSON.stringify(first.classes)) {
      throw new ContractError('BAD_INPUT', `${label(r)} predicts [${r.classes.join(', ')}] but ${label(first)} predicts [${first.classes.join(', ')}]`);
    }
  }

  // The shared validation split: rows none of the members trained on (same file, fraction and seed).
  const splitOf = (r: RunDetail) => ({ datasetId: r.datasetId, fraction: Number(r.params.validationFraction ?? 0.1), seed: Number(r.params.seed ?? 42) });
  const s0 = splitOf(first);
  const odd = runs.find((r) => {
    const s = splitOf(r);
    return s.datasetId !== s0.datasetId || s.fraction !== s0.fraction || s.seed !== s0.seed;
  });
  const files = s0.datasetId ? getDatasetFiles(db, s0.datasetId) : undefined;
  const shared = !odd && s0.datasetId !== null && s0.fraction > 0 && files !== undefined;
  if (req.method !== 'mean' && !shared) {
    const why = odd
      ? `${label(odd)} was trained on ${odd.datasetName ?? 'another dataset'} with validation fraction ${splitOf(odd).fraction} and seed ${splitOf(odd).seed}, ${label(first)} on ${first.datasetName ?? 'another dataset'} with ${s0.fraction} and seed ${s0.seed}`
      : s0.fraction > 0
        ? `their training dataset is gone`
        : `they were trained without a validation split`;
    throw new ContractError('BAD_INPUT', `'${req.method}' is fitted on validation rows that no member trained on, and these runs share none (${why}): use 'mean', or members trained on one dataset with one validation fraction and seed`);
  }

  const runId = newId('run');
  const runDir = path.join(workspace.dir, 'runs', runId);
  const input: EnsembleJobInput = {
    runDir,
    method: req.method,
    classes: first.classes,
    members: runs.map((r) => ({ runId: r.id, modelId: r.modelId, runDir: path.join(workspace.dir, 'runs', r.id) })),
    validation: shared ? { cachePath: files.cache, fraction: s0.fraction, seed: s0.seed } : null,
  };
  // Without a shared split the ensemble has no held-out rows of its own: validationFraction 0 makes
  // "evaluate on the training file" refuse, instead of scoring rows some member trained on.
  const params: Record<string, unknown> = {
    method: req.method,
    members: runs.map((r) => r.id).join(','),
    memberModels: runs.map((r) => r.modelId).join(','),
    validationFraction: shared ? s0.fraction : 0,
    seed: s0.seed,
    ...(req.name ? { name: req.name } : {}),
  };
  const title = req.name ?? `${req.method} ensemble of ${runs.map((r) => r.modelId).join(' + ')}`;
  const job = jobs.start('ensemble', title, input, {
    onResult: (raw) => {
      const r = raw as EnsembleJobResult;
      const c = r.combiner;
      finishRun(db, runId, {
        status: 'done',
        params: {
          ...params,
          weights: c.weights.map((w) => Number(w.toFixed(6))),
          ...(r.ensemble ? { valLoss: r.ensemble.loss, valAcc: r.ensemble.acc } : {}),
          ...(r.members.every((m) => m !== null) ? { memberValLoss: r.members.map((m) => Number(m!.loss.toFixed(6))) } : {}),
        },
        history: [],
        bestEpoch: null,
        stoppedEarly: false,
        backend: 'ensemble',
        wallMs: r.wallMs,
        weightsDir: runDir,
        trainRows: 0,
        valRows: r.valRows,
      });
      events.emit('runs.changed', {});
      return { runId, weights: c.weights, validation: r.ensemble };
    },
    onAbandon: (j) => {
      setRunStatus(db, runId, j.status === 'cancelled' ? 'cancelled' : 'failed', j.error);
      fs.rmSync(runDir, { recursive: true, force: true });
      events.emit('runs.changed', {});
    },
  });
  insertRun(db, {
    id: runId,
    // The first member's training set names the encoding new test files are imported like (all members share it).
    datasetId: s0.datasetId,
    modelId: ENSEMBLE_MODEL_ID,
    family: first.family,
    params,
    encoding: getRunEncoding(db, first.id),
    classes: first.classes,
    jobId: job.id,
    tags: ['ensemble'],
    name: req.name ?? `${req.method} ensemble of ${runs.map((r) => r.name).join(' + ')}`.slice(0, 120),
  });
  events.emit('runs.changed', {});
  return { runId, jobId: job.id };
}
