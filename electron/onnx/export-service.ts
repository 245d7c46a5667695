import { runHasModel } from '../../shared/run';
import path from 'node:path';
import type { OpParsedRequest, OpResponse } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { JobManager } from '../jobs/manager';
import { getRun, getRunEncoding } from '../store/runs';
import type { Workspace } from '../store/workspace';
import type { ExportJobInput } from './export-job';

/** Queues an ONNX export of a finished (or cancelled, best-checkpoint) run into <workspace>/exports/. */
export function startOnnxExport(deps: { workspace: Workspace; jobs: JobManager }, req: OpParsedRequest<'runs.exportOnnx'>): OpResponse<'runs.exportOnnx'> {
  const { workspace, jobs } = deps;
  const run = getRun(workspace.db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (!runHasModel(run.status)) throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no saved model to export`);
  const enc = getRunEncoding(workspace.db, run.id) as { featurizer?: unknown } | undefined;
  const outPath = path.join(workspace.dir, 'exports', `${run.modelId}-${run.id}.onnx`);
  const input: ExportJobInput = {
    runDir: path.join(workspace.dir, 'runs', run.id),
    outPath,
    modelId: run.modelId,
    metadata: {
      'deeptriage.runId': run.id,
      'deeptriage.runName': run.name,
      'deeptriage.modelId': run.modelId,
      // The settings it was trained with: epochs, batch size, learning rate, optimiser, seed, ...
      'deeptriage.hyperparameters': JSON.stringify(run.params),
      'deeptriage.dataset': run.datasetName ?? run.datasetId ?? '',
      // Column order of `probabilities`.
      'deeptriage.classes': JSON.stringify(run.classes),
      // How rows were encoded (char ids with their padding and truncation, or record feature scaling).
      'deeptriage.encoding': JSON.stringify(enc?.featurizer ?? null),
    },
  };
  const job = jobs.start('export', `ONNX export of ${run.modelId}`, input);
  return { jobId: job.id, path: outPath };
}
