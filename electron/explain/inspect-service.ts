import { runHasModel } from '../../shared/run';
import path from 'node:path';
import type { OpParsedRequest } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { ExplainResult, InspectRow } from '../../shared/inspect';
import type { CharSeqJSON } from '../data/featurize/charseq';
import type { TabularFeaturizerJSON } from '../data/featurize/tabular';
import type { JobManager } from '../jobs/manager';
import { getDataset, getDatasetFiles, getEncoding } from '../store/datasets';
import { getEvaluation } from '../store/evaluations';
import { getRun, getRunEncoding } from '../store/runs';
import type { Workspace } from '../store/workspace';
import type { ExplainJobInput } from './explain-job';
import { buildInspectIndex, queryRows, searchRaw, toInspectRows, type InspectIndex } from './inspect-index';

export interface InspectDeps {
  workspace: Workspace;
  jobs: JobManager;
}

/** The last few indexes and searches, so scrolling and re-sorting a 300k-row table does not re-read files. */
class InspectCache {
  private readonly indexes = new Map<string, Promise<InspectIndex>>();
  private readonly searches = new Map<string, Promise<Uint8Array>>();
  private readonly results = new Map<string, Promise<Int32Array>>();

  index(key: string, build: () => Promise<InspectIndex>): Promise<InspectIndex> {
    return remember(this.indexes, key, build, 3);
  }
  search(key: string, run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    return remember(this.searches, key, run, 8);
  }
  /** Filtered, sorted row lists: paging through one query must not re-filter and re-sort 300k rows per page. */
  rows(key: string, run: () => Promise<Int32Array>): Promise<Int32Array> {
    return remember(this.results, key, run, 8);
  }
}

function remember<T>(m: Map<string, Promise<T>>, key: string, make: () => Promise<T>, max: number): Promise<T> {
  let p = m.get(key);
  if (!p) {
    p = make();
    p.catch(() => m.delete(key));
    m.set(key, p);
    if (m.size > max) m.delete(m.keys().next().value as string);
  }
  return p;
}

const cache = new InspectCache();

export async function inspectQuery(deps: InspectDeps, q: OpParsedRequest<'inspect.query'>): Promise<{ total: number; rows: InspectRow[]; classes: string[] }> {
  const db = deps.workspace.db;
  const ds = getDataset(db, q.datasetId);
  if (!ds) throw new ContractError('NOT_FOUND', `dataset '${q.datasetId}' does not exist`);
  const files = getDatasetFiles(db, ds.id)!;
  const evals = q.evalIds.map((id) => {
    const e = getEvaluation(db, id);
    if (!e) throw new ContractError('NOT_FOUND', `evaluation '${id}' does not exist`);
    if (e.info.datasetId !== ds.id || !e.predictionsPath) throw new ContractError('BAD_INPUT', `evaluation '${id}' did not score dataset '${ds.name}'`);
    return e;
  });
  if (q.by >= evals.length) throw new ContractError('BAD_INPUT', `by=${q.by} but only ${evals.length} evaluations were given`);
  const classes = evals[0].result.classes;
  const key = `${ds.id}|${q.evalIds.join(',')}`;
  const idx = await cache.index(key, () => buildInspectIndex(files.cache, files.raw, classes, evals.map((e) => e.predictionsPath!)));
  const cls = (name: string | undefined, what: string) => {
    if (name === undefined) return undefined;
    const i = classes.indexOf(name);
    if (i < 0) throw new ContractError('BAD_INPUT', `${what} '${name}' is not one of [${classes.join(', ')}]`);
    return i;
  };
  const { offset, limit, ...filterKey } = q;
  const rows = await cache.rows(JSON.stringify(filterKey), async () => {
    const search = q.search ? await cache.search(`${ds.id}|${q.search}`, () => searchRaw(idx, q.search!)) : undefined;
    return queryRows(idx, {
      trueClass: cls(q.trueClass, 'true class'),
      predClass: cls(q.predClass, 'predicted class'),
      by: q.by,
      misclassified: q.misclassified,
      disagree: q.disagree,
      minConfidence: q.minConfidence,
      maxConfidence: q.maxConfidence,
      ...(search ? { search } : {}),
      ...(q.rows ? { only: new Set(q.rows) } : {}),
      sort: q.sort,
      descending: q.descending,
    });
  });
  return { total: rows.length, rows: toInspectRows(idx, rows.subarray(offset, offset + limit)), classes };
}

/** Runs the explanation in a worker (gradients and nearest neighbours are compute) and returns its result. */
export async function inspectExplain(deps: InspectDeps, q: OpParsedRequest<'inspect.explain'>): Promise<ExplainResult> {
  const db = deps.workspace.db;
  const runs = q.runIds.map((id) => {
    const r = getRun(db, id);
    if (!r) throw new ContractError('NOT_FOUND', `run '${id}' does not exist`);
    if (!runHasModel(r.status)) throw new ContractError('BAD_INPUT', `run '${id}' has no model yet (${r.status})`);
    return r;
  });
  const enc = getRunEncoding(db, runs[0].id) as { featurizer: TabularFeaturizerJSON | CharSeqJSON };
  for (const r of runs.slice(1)) {
    if (JSON.stringify((getRunEncoding(db, r.id) as { featurizer: unknown }).featurizer) !== JSON.stringify(enc.featurizer)) {
      throw new ContractError('BAD_INPUT', `runs ${runs[0].id} and ${r.id} encode their input differently: inspect them separately`);
    }
  }
  let target: ExplainJobInput['target'];
  if (q.text !== undefined) {
    if (enc.featurizer.kind !== 'charseq') throw new ContractError('BAD_INPUT', 'free text can only be explained by character models');
    target = { text: q.text };
  } else {
    if (!q.datasetId || q.row === undefined) throw new ContractError('INVALID_PAYLOAD', 'give either text, or datasetId and row');
    const files = getDatasetFiles(db, q.datasetId);
    if (!files) throw new ContractError('NOT_FOUND', `dataset '${q.datasetId}' does not exist`);
    const dsEncoding = getEncoding(db, q.datasetId) as { featurizer: unknown } | undefined;
    if (JSON.stringify(dsEncoding?.featurizer) !== JSON.stringify(enc.featurizer)) {
      const ds = getDataset(db, q.datasetId);
      throw new ContractError('BAD_INPUT', `dataset '${ds?.name ?? q.datasetId}' is not encoded like the training set of run '${runs[0].id}': evaluate the run on it first (it is then encoded like the training set)`);
    }
    const rows = getDataset(db, q.datasetId)?.rows ?? 0;
    if (q.row >= rows) throw new ContractError('BAD_INPUT', `row ${q.row} is outside the dataset (0…${rows - 1})`);
    target = { cachePath: files.cache, rawPath: files.raw, row: q.row };
  }
  const trainFiles = runs[0].datasetId ? getDatasetFiles(db, runs[0].datasetId) : undefined;
  const input: ExplainJobInput = {
    runs: runs.map((r) => ({ runId: r.id, modelId: r.modelId, runDir: path.join(deps.workspace.dir, 'runs', r.id), classes: r.classes })),
    featurizer: enc.featurizer,
    target,
    train: trainFiles ? { cachePath: trainFiles.cache, rawPath: trainFiles.raw } : null,
    neighbours: q.neighbours,
  };
  return (await deps.jobs.run('explain', `explain ${q.text ? 'URL' : `row ${q.row}`}`, input)) as ExplainResult;
}
