import { runHasModel } from '../../shared/run';
import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest, OpResponse } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { FeaturizerJSON } from '../data/featurize';
import type { FormatName } from '../data/types';
import { normalIndexOf } from '../eval/run-eval';
import type { JobManager } from '../jobs/manager';
import { getDataset } from '../store/datasets';
import { getRun, getRunEncoding } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { APP_VERSION } from '../version';
import type { BundleJobInput } from './bundle-job';
import { bundleEncoding } from './manifest';

/**
 * Queues a scoring-bundle export of a finished (or cancelled, best-checkpoint) run. Without `dir` it goes to
 * <workspace>/exports/<model>-<run>-bundle. A folder that exists must be empty or an earlier bundle: an
 * export never writes into a folder holding anything else.
 */
export function startBundleExport(deps: { workspace: Workspace; jobs: JobManager }, req: OpParsedRequest<'runs.exportBundle'>): OpResponse<'runs.exportBundle'> {
  const { workspace, jobs } = deps;
  const run = getRun(workspace.db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (!runHasModel(run.status)) throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no saved model to export`);
  const enc = getRunEncoding(workspace.db, run.id) as { featurizer?: FeaturizerJSON; options?: Record<string, unknown> } | undefined;
  if (!enc?.featurizer) throw new ContractError('BAD_INPUT', `run '${run.id}' has no stored encoding`);
  const dir = path.resolve(req.dir ?? path.join(workspace.dir, 'exports', `${run.modelId}-${run.id}-bundle`));
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new ContractError('BAD_INPUT', `${dir}: exists and is not a folder`);
  if (st && fs.readdirSync(dir).length > 0 && !fs.existsSync(path.join(dir, 'bundle.json'))) {
    throw new ContractError('BAD_INPUT', `${dir}: the folder is not empty and holds no earlier bundle; choose an empty or new folder`);
  }
  const format = run.datasetId ? ((getDataset(workspace.db, run.datasetId)?.format as FormatName | undefined) ?? null) : null;
  const input: BundleJobInput = {
    runDir: path.join(workspace.dir, 'runs', run.id),
    dir,
    manifest: {
      deeptriageVersion: APP_VERSION,
      runId: run.id,
      runName: run.name,
      modelId: run.modelId,
      hyperparameters: run.params,
      dataset: run.datasetName ?? run.datasetId ?? '',
      createdAt: new Date().toISOString(),
      classes: run.classes,
      normalClassIndex: normalIndexOf(run.classes),
    },
    encoding: bundleEncoding(enc.featurizer, format, enc.options),
  };
  const job = jobs.start('bundle', `scoring bundle of ${run.modelId}`, input);
  return { jobId: job.id, dir };
}
