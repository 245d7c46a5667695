import type { Classifier } from '../../models/types';
import type { ExplainResult, ModelExplanation } from '../../shared/inspect';
import { readCache, readRawLine, rowId } from '../data/cache/cache-file';
import { CharSeqEncoder, type CharSeqJSON } from '../data/featurize/charseq';
import type { TabularFeaturizerJSON } from '../data/featurize/tabular';
import { normalIndexOf } from '../eval/run-eval';
import type { JobHandler } from '../jobs/context';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { TfClassifier } from '../train/tf-classifier';
import { EnsembleClassifier } from '../ensemble/ensemble-classifier';
import { memberShares } from '../ensemble/combine';
import { integratedGradients, occlusion } from './attribution';
import { columnGroups, decodeColumn } from './features';
import { nearestRows } from './knn';

export interface ExplainJobInput {
  runs: { runId: string; modelId: string; runDir: string; classes: string[] }[];
  featurizer: TabularFeaturizerJSON | CharSeqJSON;
  /** A stored record, or free text (a URL from a scan) for character models. */
  target: { cachePath: string; rawPath: string; row: number } | { text: string };
  train: { cachePath: string; rawPath: string } | null;
  neighbours: number;
}

/** What the model saw, back as characters (pad dropped, unknown shown as �). */
function decodeChars(ids: Int32Array): string {
  let s = '';
  for (const id of ids) {
    if (id === 0) break;
    s += id === 1 ? '\uFFFD' : String.fromCharCode(id + 30);
  }
  return s;
}

function argmax(p: ArrayLike<number>, from: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[from + c] > p[from + best]) best = c;
  return best;
}

/** Fills one model's attributions: integrated gradients for tf.js record models, occlusion otherwise. */
async function attribute(
  m: ModelExplanation,
  model: Classifier,
  featurizer: ExplainJobInput['featurizer'],
  x: Float32Array | Int32Array,
  baseline: Float32Array | Int32Array,
  predicted: number,
  k: number,
): Promise<void> {
  if (featurizer.kind === 'tabular') {
    const groups = columnGroups(featurizer);
    let perColumn: Float32Array;
    if (model instanceof TfClassifier) {
      const ig = integratedGradients(model.net, x as Float32Array, baseline as Float32Array, predicted);
      perColumn = Float32Array.from(groups, (g) => g.slots.reduce((s, slot) => s + ig.attributions[slot], 0));
      m.method = 'integrated-gradients';
      m.completeness = { sum: perColumn.reduce((a, b) => a + b, 0), expected: ig.fx - ig.fBaseline };
    } else {
      perColumn = (await occlusion((b, n) => model.predictProba(b, n), x, baseline, groups.map((g) => g.slots), predicted, k)).attributions;
    }
    m.features = groups
      .map((g, gi) => ({ feature: g.name, ...decodeColumn(featurizer, gi, x as Float32Array, g), attribution: perColumn[gi] }))
      .sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
  } else {
    const text = decodeChars(x as Int32Array);
    const positions = Array.from({ length: text.length }, (_, p) => [p]);
    const occ = await occlusion((b, n) => model.predictProba(b, n), x, new Int32Array(x.length), positions, predicted, k);
    m.chars = [...text].map((ch, p) => ({ char: ch, saliency: occ.attributions[p] }));
  }
}

/** Each member's probabilities on the record and its part in the ensemble's predicted class. */
async function ensembleParts(model: EnsembleClassifier, x: Float32Array | Int32Array, classes: string[], predicted: number): Promise<ModelExplanation['ensemble']> {
  const k = classes.length;
  const per = (await model.memberProba(x, 1)).map((p) => Array.from(p.subarray(0, k)));
  const shares = memberShares(model.combiner, per, predicted);
  return {
    method: model.combiner.method,
    members: model.members.map((mem, i) => ({
      runId: mem.runId,
      modelId: mem.modelId,
      weight: model.combiner.weights[i],
      proba: per[i],
      predicted: classes[argmax(per[i], 0, k)],
      share: shares[i],
    })),
  };
}

/** Why each model called this record what it did: probabilities, attributions, and the nearest training records. */
export const explainJob: JobHandler = async (raw, ctx) => {
  const input = raw as ExplainJobInput;
  const tabular = input.featurizer.kind === 'tabular';
  let x: Float32Array | Int32Array;
  let record: ExplainResult['record'];
  if ('text' in input.target) {
    const enc = new CharSeqEncoder(input.featurizer as CharSeqJSON);
    x = enc.encode(input.target.text);
    record = { id: null, raw: input.target.text, trueLabel: null };
  } else {
    const data = await readCache(input.target.cachePath);
    const r = input.target.row;
    if (!(r >= 0 && r < data.rows)) throw new Error(`row ${r} is outside the dataset (0…${data.rows - 1})`);
    x = data.features.slice(r * data.cols, (r + 1) * data.cols);
    const label = data.labels ? data.labels[r] : -1;
    record = {
      id: rowId(data, r),
      raw: data.rawOffsets ? await readRawLine(input.target.rawPath, data.rawOffsets[r]) : '',
      trueLabel: label >= 0 ? data.classes[label] ?? null : null,
    };
  }
  ctx.throwIfCancelled();

  // Baseline: the average normal training record (IG's reference point), or padding for characters.
  let baseline: Float32Array | Int32Array = new Int32Array(x.length);
  let train: Awaited<ReturnType<typeof readCache>> | null = null;
  if (tabular && input.train) {
    train = await readCache(input.train.cachePath);
    const normal = normalIndexOf(train.classes);
    const sum = new Float64Array(train.cols);
    let n = 0;
    for (let r = 0; r < train.rows; r++) {
      if (normal !== null && train.labels && train.labels[r] !== normal) continue;
      for (let c = 0; c < train.cols; c++) sum[c] += train.features[r * train.cols + c];
      n++;
    }
    baseline = Float32Array.from(sum, (v) => (n ? v / n : 0));
  }

  const models: ModelExplanation[] = [];
  for (const [i, run] of input.runs.entries()) {
    ctx.throwIfCancelled();
    ctx.progress({ fraction: i / (input.runs.length + 1), message: `explaining ${run.modelId}` }, true);
    const model: Classifier = await deserializeClassifier(readRunModel(run.runDir));
    try {
      const k = run.classes.length;
      const proba = await model.predictProba(x, 1);
      const predicted = argmax(proba, 0, k);
      const m: ModelExplanation = {
        runId: run.runId,
        modelId: run.modelId,
        classes: run.classes,
        proba: Array.from(proba),
        predicted: run.classes[predicted],
        method: 'occlusion',
        features: [],
        chars: [],
        completeness: null,
      };
      if (model instanceof EnsembleClassifier) m.ensemble = await ensembleParts(model, x, run.classes, predicted);
      try {
        await attribute(m, model, input.featurizer, x, baseline, predicted, k);
      } catch (err) {
        // One model's failure must not hide the others' explanations: say why beside its probabilities.
        m.error = err instanceof Error ? err.message : String(err);
        m.features = [];
        m.chars = [];
        m.completeness = null;
      }
      models.push(m);
    } finally {
      model.dispose();
    }
  }

  const neighbours: ExplainResult['neighbours'] = [];
  if (train && input.train && input.neighbours > 0) {
    for (const nb of nearestRows(train.features, train.cols, x, input.neighbours)) {
      const label = train.labels ? train.labels[nb.row] : -1;
      neighbours.push({
        row: nb.row,
        id: rowId(train, nb.row),
        label: label >= 0 ? train.classes[label] ?? null : null,
        distance: nb.distance,
        raw: train.rawOffsets ? (await readRawLine(input.train.rawPath, train.rawOffsets[nb.row])).slice(0, 2000) : '',
      });
    }
  }
  const text = tabular ? null : decodeChars(x as Int32Array);
  const result: ExplainResult = { record, modelInput: text, models, neighbours };
  return result;
};
