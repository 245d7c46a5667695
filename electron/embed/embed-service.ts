import { runHasModel } from '../../shared/run';
import fs from 'node:fs';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import { EmbeddingSummarySchema, TSNE_MAX_POINTS, type EmbeddingMap, type EmbeddingSummary } from '../../shared/embed';
import { ContractError } from '../../shared/errors';
import { newId } from '../ids';
import type { JobManager } from '../jobs/manager';
import { getDataset, getDatasetFiles, getEncoding } from '../store/datasets';
import { writeFileAtomic } from '../store/atomic';
import { getRun, getRunEncoding } from '../store/runs';
import type { Workspace } from '../store/workspace';
import type { EmbedJobInput } from './embed-job';

export interface EmbedDeps {
  workspace: Workspace;
  jobs: JobManager;
}

const SAFE_ID = /^[A-Za-z0-9_-]+$/;
const mapsDir = (ws: Workspace) => path.join(ws.dir, 'embeddings');
const mapPath = (ws: Workspace, id: string) => path.join(mapsDir(ws), `${id}.json`);
const summaryPath = (ws: Workspace, id: string) => path.join(mapsDir(ws), `${id}.summary.json`);

function summaryOf(m: EmbeddingMap): EmbeddingSummary {
  return EmbeddingSummarySchema.parse({ ...m, points: undefined });
}

/**
 * Starts a map job after checking what the worker cannot: the run has a model, a dataset is encoded like its
 * training set, character maps are asked of character models. The finished map is kept in the workspace.
 */
export function startEmbedding(deps: EmbedDeps, req: OpParsedRequest<'embed.start'>): { jobId: string; mapId: string } {
  const { workspace, jobs } = deps;
  const db = workspace.db;
  const run = getRun(db, req.runId);
  if (!run) throw new ContractError('NOT_FOUND', `run '${req.runId}' does not exist`);
  if (!runHasModel(run.status)) throw new ContractError('BAD_INPUT', `run '${run.id}' is ${run.status}: it has no model to map yet`);
  const enc = getRunEncoding(db, run.id) as { featurizer?: { kind?: string } } | undefined;
  let source: EmbedJobInput['source'];
  if (req.source.kind === 'chars') {
    if (enc?.featurizer?.kind !== 'charseq') throw new ContractError('BAD_INPUT', `run '${run.id}' (${run.modelId}) reads records, not characters: it has no character embeddings; map a dataset instead`);
    source = { kind: 'chars' };
  } else {
    const ds = getDataset(db, req.source.datasetId);
    if (!ds) throw new ContractError('NOT_FOUND', `dataset '${req.source.datasetId}' does not exist`);
    if (!enc || JSON.stringify(enc.featurizer) !== JSON.stringify(getEncoding(db, ds.id)?.featurizer)) {
      throw new ContractError('BAD_INPUT', `dataset '${ds.name}' is not encoded like the training set of run '${run.id}': import it with "encode like ${run.datasetName ?? run.datasetId}"`);
    }
    if (req.method === 'tsne' && Math.min(req.sampleSize, ds.rows) > TSNE_MAX_POINTS) {
      throw new ContractError('BAD_INPUT', `t-SNE is limited to ${TSNE_MAX_POINTS.toLocaleString('en-US')} points here (its neighbour search is quadratic); use UMAP or a smaller sample`);
    }
    const files = getDatasetFiles(db, ds.id)!;
    source = { kind: 'dataset', datasetId: ds.id, datasetName: ds.name, cachePath: files.cache, rawPath: files.raw };
  }
  const mapId = newId('map');
  const input: EmbedJobInput = {
    mapId,
    runId: run.id,
    modelId: run.modelId,
    runDir: path.join(workspace.dir, 'runs', run.id),
    classes: run.classes,
    method: req.method,
    seed: req.seed,
    sampleSize: req.sampleSize,
    source,
  };
  const what = source.kind === 'chars' ? 'characters' : source.datasetName;
  const job = jobs.start('embed', `${req.method === 'umap' ? 'UMAP' : 't-SNE'} map of ${run.modelId} on ${what}`, input, {
    onResult: (raw) => {
      const map = raw as EmbeddingMap;
      // Map first, summary second: the summary is what lists the map, so it never names a missing file.
      writeFileAtomic(mapPath(workspace, mapId), JSON.stringify(map));
      const summary = summaryOf(map);
      writeFileAtomic(summaryPath(workspace, mapId), JSON.stringify(summary));
      return summary;
    },
  });
  return { jobId: job.id, mapId };
}

export function getEmbedding(deps: EmbedDeps, mapId: string): EmbeddingMap {
  const file = mapPath(deps.workspace, mapId);
  if (!SAFE_ID.test(mapId) || !fs.existsSync(file)) throw new ContractError('NOT_FOUND', `map '${mapId}' does not exist (it may still be computing)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as EmbeddingMap;
}

/** Stored maps, newest first; optionally only one run's. */
export function listEmbeddings(deps: EmbedDeps, runId?: string): EmbeddingSummary[] {
  const dir = mapsDir(deps.workspace);
  if (!fs.existsSync(dir)) return [];
  const out: EmbeddingSummary[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.summary.json')) continue;
    try {
      const s = EmbeddingSummarySchema.parse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
      if (!runId || s.runId === runId) out.push(s);
    } catch {
      // A summary from another version is skipped rather than breaking the list.
    }
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

export function deleteEmbedding(deps: EmbedDeps, mapId: string): boolean {
  if (!SAFE_ID.test(mapId) || !fs.existsSync(summaryPath(deps.workspace, mapId))) return false;
  fs.rmSync(summaryPath(deps.workspace, mapId), { force: true });
  fs.rmSync(mapPath(deps.workspace, mapId), { force: true });
  return true;
}
