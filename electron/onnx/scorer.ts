import type { Classifier } from '../../models/types';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { TfClassifier } from '../train/tf-classifier';
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
export function exportForInference(c: TfClassifier): OnnxExport {
  try {
    return layersToOnnx(c.net, { trimPadding: true });
  } catch (e) {
    if (!(e instanceof OnnxExportError)) throw e;
    return layersToOnnx(c.net);
  }
}

/**
 * onnxruntime when it loads and the architecture converts (faster than tf.js wasm on every model it covers);
 * otherwise the run's own classifier on the selected tf.js backend, with the reason in `engine`.
 */
export async function openScorer(runDir: string, tfBackend: string): Promise<Scorer> {
  const model: Classifier = await deserializeClassifier(readRunModel(runDir));
  let why: string;
  if (model instanceof TfClassifier) {
    const rt = await loadOnnxRuntime();
    if ('error' in rt) why = rt.error;
    else {
      try {
        const exported = exportForInference(model);
        const onnx = await OnnxClassifier.create(exported, model.numClasses);
        model.dispose();
        return {
          engine: `onnxruntime ${rt.ort.env.versions.common} (cpu${exported.input.kind === 'trimmed' ? ', trimmed to each batch\'s lengths' : ''})`,
          predict: (x, rows) => onnx.predictProba(x, rows),
          dispose: () => onnx.dispose(),
        };
      } catch (e) {
        if (!(e instanceof OnnxExportError)) throw e;
        why = e.message;
      }
    }
  } else {
    why = 'not a tf.js model';
  }
  return {
    engine: `tf.js ${tfBackend} (${why})`,
    predict: (x, rows) => model.predictProba(x, rows),
    dispose: async () => model.dispose(),
  };
}
