import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import type { DatasetSummary, ImportInput } from '../../shared/dataset';
import { ContractError } from '../../shared/errors';
import type { EventHub } from '../events';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { getEncoding, insertDataset } from '../store/datasets';
import type { Db } from '../store/db';
import type { Workspace } from '../store/workspace';
import { IMPORT_OWNER_FILE } from '../store/recover';
import type { ImportJobInput, ImportJobResult } from './import-job';

export interface ImportServiceDeps {
  workspace: Workspace;
  jobs: JobManager;
  events: EventHub;
}

function requireFile(file: string): string {
  const abs = path.resolve(file);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new ContractError('BAD_INPUT', `${abs}: no such file`);
  if (!stat.isFile()) throw new ContractError('BAD_INPUT', `${abs}: not a regular file`);
  return abs;
}

/**
 * Queues an import: one file, or several files into one dataset (a DGA set from family files), parsed,
 * fitted (or encoded like another dataset), summarised and cached in a worker. Nothing is stored unless
 * the whole import succeeds.
 */
export function startImport(deps: ImportServiceDeps, req: OpParsedRequest<'datasets.import'>): { jobId: string } {
  const { workspace, jobs, events } = deps;
  const { name, options } = req;
  const abs = requireFile(req.path);
  const inputs: ImportInput[] | undefined = req.inputs?.map((i) => ({ ...i, path: requireFile(i.path) }));
  let encodeLike: ImportJobInput['encodeLike'];
  if (options.encodeLike) {
    const enc = getEncoding(workspace.db, options.encodeLike);
    if (!enc) throw new ContractError('NOT_FOUND', `dataset '${options.encodeLike}' does not exist`);
    encodeLike = { featurizer: enc.featurizer, labelEncoder: enc.labelEncoder } as ImportJobInput['encodeLike'];
  }
  const id = newId('ds');
  const outDir = path.join(workspace.dir, 'datasets', id);
  // Marks the folder as this process's work in progress: if the process dies, opening the workspace removes it.
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, IMPORT_OWNER_FILE), String(process.pid));
  const input: ImportJobInput = { path: abs, outDir, options, ...(inputs?.length ? { inputs } : {}), ...(encodeLike ? { encodeLike } : {}) };
  const display = inputs && inputs.length > 1 ? `${path.basename(inputs[0].path)} + ${inputs.length - 1} more` : path.basename(abs);
  const job = jobs.start('import', `import ${display}`, input, {
    onResult: (raw) => {
      const r = raw as ImportJobResult;
      const summary = storeImportedDataset(workspace.db, { id, name: name ?? display, sourcePath: abs, options, result: r });
      fs.rmSync(path.join(outDir, IMPORT_OWNER_FILE), { force: true });
      events.emit('datasets.changed', {});
      return { datasetId: id, rows: r.rows, malformed: summary.malformed.count };
    },
    // A failed or cancelled import leaves nothing behind; what the workspace held before is untouched.
    onAbandon: () => fs.rmSync(outDir, { recursive: true, force: true }),
  });
  return { jobId: job.id };
}

/** Stores what an import job made as a dataset row (the import op, and evaluations that encode a file first). */
export function storeImportedDataset(
  db: Db,
  d: { id: string; name: string; sourcePath: string; options: ImportJobInput['options']; result: ImportJobResult },
): DatasetSummary {
  const r = d.result;
  const summary = r.summary as unknown as DatasetSummary;
  insertDataset(db, {
    id: d.id,
    name: d.name,
    format: summary.format,
    sourcePath: d.sourcePath,
    rows: r.rows,
    summary,
    encoding: { featurizer: r.featurizer, labelEncoder: r.labelEncoder, options: { ...d.options }, encodedLike: d.options.encodeLike ?? null, cols: r.cols },
    files: { cache: r.cachePath, raw: r.rawLinesPath, sample: r.samplePath },
  });
  return summary;
}
