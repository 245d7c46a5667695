import type { Classifier } from '../../models/types';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { TfClassifier } from '../train/tf-classifier';
import { EnsembleClassifier } from '../ensemble/ensemble-classifier';
import { ensembleToOnnx } from './from-ensemble';
import { layersToOnnx, OnnxExportError, type OnnxExport } from './from-layers';
import { OnnxClassifier } from './onnx-classifier';
import { loadOnnxRuntime } from './runtime';

/** Scores encoded rows of one run; `engine` says what computes them (shown to the analyst, printed by benches). */
export interface Scorer {
  engine: string;
  predict(x: Int32Array | Float32Array, rows: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** The run's deep model as ONNX: trimmed to each batch's lengths when the architecture allows, else fixed. */
function exportForInference(c: TfClassifier | EnsembleClassifier): OnnxExport {
  if (c instanceof EnsembleClassifier) return ensembleToOnnx(c);
  try {
    return layersToOnnx(c.net, { trimPadding: true });
  } catch (e) {
    if (!(e instanceof OnnxExportError)) throw e;
    return layersToOnnx(c.net);
  }
}

/** A run converted for onnxruntime, ready to hand to other threads (which then need no tf.js at all). */
export interface PreparedOnnx {
  exported: OnnxExport;
  numClasses: number;
}

/** The run's model as ONNX, or why it cannot be (onnxruntime missing, a layer without a mapping, a baseline). */
export async function prepareOnnx(model: Classifier): Promise<PreparedOnnx | { why: string }> {
  if (!(model instanceof TfClassifier) && !(model instanceof EnsembleClassifier)) return { why: 'not a tf.js model' };
  const rt = await loadOnnxRuntime();
  if ('error' in rt) return { why: rt.error };
  try {
    return { exported: exportForInference(model), numClasses: model.numClasses };
  } catch (e) {
    if (!(e instanceof OnnxExportError)) throw e;
    return { why: e.message };
  }
}

/** A scorer on an already converted model: onnxruntime only, no tf.js in this thread. */
export async function onnxScorer(p: PreparedOnnx): Promise<Scorer> {
  const rt = await loadOnnxRuntime();
  if ('error' in rt) throw new Error(rt.error);
  const onnx = await OnnxClassifier.create(p.exported, p.numClasses);
  return {
    engine: `onnxruntime ${rt.ort.env.versions.common} (cpu${p.exported.input.kind === 'trimmed' ? ", trimmed to each batch's lengths" : ''})`,
    predict: (x, rows) => onnx.predictProba(x, rows),
    dispose: () => onnx.dispose(),
  };
}

/**
 * onnxruntime when it loads and the architecture converts (faster than tf.js wasm on every model it covers);
 * otherwise the run's own classifier on the selected tf.js backend, with the reason in `engine`.
 */
export async function openScorer(runDir: string, tfBackend: string): Promise<Scorer> {
  const model: Classifier = await deserializeClassifier(readRunModel(runDir));
  const prepared = await prepareOnnx(model);
  if (!('why' in prepared)) {
    model.dispose();
    return onnxScorer(prepared);
  }
  const why = prepared.why;
  return {
    engine: `tf.js ${tfBackend} (${why})`,
    predict: (x, rows) => model.predictProba(x, rows),
    dispose: async () => model.dispose(),
  };
}
