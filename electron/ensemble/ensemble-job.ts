import type { Classifier, SerializedModel } from '../../models/types';
import { readLabelledRows } from '../eval/run-eval';
import type { JobHandler } from '../jobs/context';
import { prepareOnnx, onnxScorer } from '../onnx/scorer';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel, writeRunModel } from '../train/run-files';
import { stratifiedSplit } from '../train/split';
import type { EnsembleMethod } from './combine';
import { assembleEnsemble, fitCombiner, type EnsembleFitReport, type ValidationPredictions } from './fit';

export interface EnsembleJobInput {
  runDir: string;
  method: EnsembleMethod;
  classes: string[];
  members: { runId: string; modelId: string; runDir: string }[];
  /** The members' shared training file and split: its held-out rows fit the combiner. */
  validation: { cachePath: string; fraction: number; seed: number } | null;
}

export interface EnsembleJobResult extends EnsembleFitReport {
  wallMs: number;
}

/** Rows of the shared validation split: the same stratified, seeded split each member's training made. */
async function validationRows(v: NonNullable<EnsembleJobInput['validation']>): Promise<{ x: Float32Array | Int32Array; y: Int32Array }> {
  const data = await readLabelledRows(v.cachePath);
  const { picked } = stratifiedSplit(data.y, v.fraction, v.seed);
  const Ctor = data.x instanceof Float32Array ? Float32Array : Int32Array;
  const x = new Ctor(picked.length * data.cols);
  const y = new Int32Array(picked.length);
  picked.forEach((r, i) => {
    x.set(data.x.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols);
    y[i] = data.y[r];
  });
  return { x, y };
}

/** onnxruntime when the member converts (several times faster than tf.js wasm), else the member itself. */
async function predictMember(model: Classifier, x: Float32Array | Int32Array, rows: number): Promise<Float32Array> {
  const prepared = await prepareOnnx(model);
  if ('why' in prepared) return model.predictProba(x, rows);
  const scorer = await onnxScorer(prepared);
  try {
    return await scorer.predict(x, rows);
  } finally {
    await scorer.dispose();
  }
}

/** Loads the members, predicts the shared validation rows, fits the combiner and writes the ensemble's model. */
export const ensembleJob: JobHandler = async (raw, ctx) => {
  const input = raw as EnsembleJobInput;
  const t0 = Date.now();
  const loaded: { runId: string; modelId: string; model: Classifier; bytes: SerializedModel }[] = [];
  try {
    for (const m of input.members) {
      ctx.progress({ fraction: 0.05, message: `loading ${m.modelId} (${m.runId})` }, true);
      const bytes = readRunModel(m.runDir);
      loaded.push({ runId: m.runId, modelId: m.modelId, model: await deserializeClassifier(bytes), bytes });
    }
    let val: ValidationPredictions | null = null;
    if (input.validation) {
      const rows = await validationRows(input.validation);
      const proba: Float32Array[] = [];
      for (const [i, m] of loaded.entries()) {
        ctx.throwIfCancelled();
        ctx.progress({ fraction: 0.1 + (0.8 * i) / loaded.length, message: `scoring ${rows.y.length.toLocaleString('en-US')} validation rows with ${m.modelId}` }, true);
        proba.push(await predictMember(m.model, rows.x, rows.y.length));
      }
      val = { proba, y: rows.y };
    }
    ctx.throwIfCancelled();
    ctx.progress({ fraction: 0.9, message: `fitting the ${input.method} combiner` }, true);
    const report = fitCombiner(input.method, input.classes.length, loaded.length, val);
    const ensemble = assembleEnsemble(loaded.splice(0), report.combiner);
    try {
      writeRunModel(input.runDir, await ensemble.serialize());
    } finally {
      ensemble.dispose();
    }
    return { ...report, wallMs: Date.now() - t0 } satisfies EnsembleJobResult;
  } finally {
    for (const m of loaded) m.model.dispose();
  }
};
