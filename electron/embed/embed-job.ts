import type { EmbeddingMap, EmbedMethod, EmbedPoint } from '../../shared/embed';
import { readCache, rowId } from '../data/cache/cache-file';
import type { JobContext, JobHandler } from '../jobs/context';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { TfClassifier } from '../train/tf-classifier';
import { charEmbeddings, lastHiddenActivations, type LayerVectors } from './activations';
import { CHAR_KINDS, charKind, charOf } from './chars';
import { project } from './project';
import { neighbourAgreement } from './quality';
import { readRawPrefixes } from './raw-text';
import { stratifiedSample } from './sample';

export interface EmbedJobInput {
  mapId: string;
  runId: string;
  modelId: string;
  runDir: string;
  /** What the run predicts. */
  classes: string[];
  method: EmbedMethod;
  seed: number;
  sampleSize: number;
  source: { kind: 'chars' } | { kind: 'dataset'; datasetId: string; datasetName: string; cachePath: string; rawPath: string };
}

const TEXT_CHARS = 160;
const METHOD_NAME: Record<EmbedMethod, [string, string]> = { umap: ['UMAP', 'epoch'], tsne: ['t-SNE', 'iteration'] };

function argmax(p: Float32Array, from: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[from + c] > p[from + best]) best = c;
  return best;
}

/** Projection progress fills [from, 1]; the neighbour search and PCA before it only check for cancellation. */
function projectWithProgress(ctx: JobContext, v: LayerVectors, n: number, input: EmbedJobInput, from: number): Float32Array {
  const [name, unit] = METHOD_NAME[input.method];
  ctx.progress({ fraction: from, message: `${name}: neighbour search over ${n.toLocaleString('en-US')} points` }, true);
  return project(v.vectors, n, v.dims, input.method, input.seed, {
    tick: () => ctx.throwIfCancelled(),
    onStep: (done, total) =>
      ctx.progress(
        { fraction: from + ((1 - from) * done) / total, message: `${name} ${unit} ${done}/${total}`, metrics: { step: done, steps: total } },
        done === total,
      ),
  });
}

/** Loads the run's model, takes the vectors to map (character embeddings or last-hidden activations), projects them. */
export const embedJob: JobHandler = async (raw, ctx) => {
  const input = raw as EmbedJobInput;
  ctx.progress({ fraction: 0, message: 'loading the model' }, true);
  const model = await deserializeClassifier(readRunModel(input.runDir));
  try {
    const base = {
      mapId: input.mapId,
      runId: input.runId,
      modelId: input.modelId,
      method: input.method,
      seed: input.seed,
      createdAt: Date.now(),
    };
    if (input.source.kind === 'chars') {
      if (!(model instanceof TfClassifier)) throw new Error(`run '${input.runId}' (${input.modelId}) is not a neural network: it has no character embeddings`);
      const v = charEmbeddings(model.net);
      const n = v.vectors.length / v.dims;
      const xy = projectWithProgress(ctx, v, n, input, 0.05);
      const kinds = Int32Array.from({ length: n }, (_, id) => CHAR_KINDS.indexOf(charKind(id)));
      const points: EmbedPoint[] = Array.from({ length: n }, (_, id) => ({
        x: xy[2 * id],
        y: xy[2 * id + 1],
        trueLabel: charKind(id),
        predicted: null,
        confidence: null,
        row: id,
        id: null,
        char: charOf(id),
        text: id === 0 ? 'padding' : id === 1 ? 'unknown character' : `'${charOf(id)}' (ASCII ${id + 30})`,
      }));
      const map: EmbeddingMap = {
        ...base,
        sampleSize: n,
        count: n,
        source: { kind: 'chars', datasetId: null, datasetName: null },
        layer: v.layer,
        dims: v.dims,
        neighbourAgreement: neighbourAgreement(xy, kinds, 5),
        classes: [...CHAR_KINDS],
        points,
      };
      return map;
    }

    const src = input.source;
    const data = await readCache(src.cachePath);
    if (data.rows === 0) throw new Error(`dataset '${src.datasetName}' has no rows`);
    ctx.throwIfCancelled();
    const rows = stratifiedSample(data.labels, data.rows, input.sampleSize, input.seed);
    const n = rows.length;
    const cols = data.cols;
    const x = data.dtype === 'int32' ? new Int32Array(n * cols) : new Float32Array(n * cols);
    rows.forEach((r, i) => x.set(data.features.subarray(r * cols, (r + 1) * cols), i * cols));

    let v: LayerVectors;
    if (model instanceof TfClassifier) {
      v = await lastHiddenActivations(model.net, x, n, (done) => {
        ctx.throwIfCancelled();
        ctx.progress({ fraction: 0.05 + (0.2 * done) / n, message: `activations ${done.toLocaleString('en-US')}/${n.toLocaleString('en-US')}` });
      });
    } else {
      v = { vectors: Float32Array.from(x), dims: cols, layer: `input features (${cols} columns: a ${input.modelId} baseline has no hidden layer)` };
    }
    ctx.progress({ fraction: 0.25, message: 'predictions' }, true);
    const k = input.classes.length;
    const proba = await model.predictProba(x, n);
    ctx.throwIfCancelled();
    const texts = data.rawOffsets ? await readRawPrefixes(src.rawPath, Array.from(rows, (r) => data.rawOffsets![r]), TEXT_CHARS) : null;
    const xy = projectWithProgress(ctx, v, n, input, 0.3);

    const trueIdx = Int32Array.from(rows, (r) => (data.labels ? data.labels[r] : -1));
    const points: EmbedPoint[] = Array.from(rows, (r, i) => {
      const p = argmax(proba, i * k, k);
      const t = trueIdx[i];
      const id = rowId(data, r);
      return {
        x: xy[2 * i],
        y: xy[2 * i + 1],
        trueLabel: t >= 0 ? (data.classes[t] ?? null) : null,
        predicted: input.classes[p] ?? null,
        confidence: proba[i * k + p],
        row: r,
        id,
        char: null,
        text: texts?.[i] ?? id,
      };
    });
    const map: EmbeddingMap = {
      ...base,
      sampleSize: input.sampleSize,
      count: n,
      source: { kind: 'dataset', datasetId: src.datasetId, datasetName: src.datasetName },
      layer: v.layer,
      dims: v.dims,
      neighbourAgreement: neighbourAgreement(xy, trueIdx, 5),
      classes: [...new Set([...data.classes, ...input.classes])],
      points,
    };
    return map;
  } finally {
    model.dispose();
  }
};
