import type { JobHandler } from '../jobs/context';
import { writeFileAtomic } from '../store/atomic';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { TfClassifier } from '../train/tf-classifier';
import { EnsembleClassifier } from '../ensemble/ensemble-classifier';
import { ensembleToOnnx } from './from-ensemble';
import { layersToOnnx, type OnnxInputLayout } from './from-layers';

export interface ExportJobInput {
  runDir: string;
  outPath: string;
  modelId: string;
  /** Strings for the file's metadata_props: what another tool needs to feed and read the graph. */
  metadata: Record<string, string>;
}

export interface ExportJobResult {
  path: string;
  bytes: number;
  input: OnnxInputLayout;
}

/** The interchange form: fixed-length input, so any ONNX runtime can use it without DeepTriage's packing. */
export const exportJob: JobHandler = async (raw, ctx) => {
  const input = raw as ExportJobInput;
  ctx.progress({ fraction: 0, message: `loading ${input.modelId}` });
  const model = await deserializeClassifier(readRunModel(input.runDir));
  try {
    let exported;
    if (model instanceof EnsembleClassifier) {
      exported = ensembleToOnnx(model, { metadata: input.metadata });
    } else if (model instanceof TfClassifier) {
      exported = layersToOnnx(model.net, { metadata: input.metadata, docString: `DeepTriage ${input.modelId}` });
    } else {
      throw new Error(`${input.modelId} is not a neural network (a JavaScript baseline): ONNX export covers the tf.js models`);
    }
    writeFileAtomic(input.outPath, exported.bytes);
    ctx.progress({ fraction: 1, message: `wrote ${exported.bytes.byteLength.toLocaleString('en-US')} bytes` });
    return { path: input.outPath, bytes: exported.bytes.byteLength, input: exported.input } satisfies ExportJobResult;
  } finally {
    model.dispose();
  }
};
