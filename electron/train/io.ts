import * as tf from '@tensorflow/tfjs';
import type { SerializedModel } from '../../models/types';
// Custom layers / initialisers must be registered before any model.json naming them is deserialised.
import '../../models/lib/layers';
// LSTM / GRU / SimpleRNN load as the one-step-fast classes registered in tf.js' place.
import '../../models/lib/one-step-rnn';
import '../../models/lib/orthogonal';

const WEIGHTS_PATH = 'weights.bin';

/**
 * A tf.LayersModel as a standard model.json string (topology + weightsManifest + userDefinedMetadata)
 * and the weight bytes that weights.bin would hold — ready to be written to disk as they are.
 */
export async function saveLayersModel(model: tf.LayersModel, metadata?: Record<string, unknown>): Promise<SerializedModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts) throw new Error('saveLayersModel: tf.js produced no artifacts');
  const data = artifacts.weightData;
  const bytes = data === undefined ? new Uint8Array(0) : new Uint8Array(new tf.io.CompositeArrayBuffer(data).slice());
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_PATH], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), ...(metadata ?? {}) } as Record<string, object>,
  };
  return { modelJson: JSON.stringify(json), weights: bytes };
}

export function readModelJson(modelJson: string): tf.io.ModelJSON {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(modelJson) as tf.io.ModelJSON;
  } catch (e) {
    throw new Error(`model.json is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error('model.json lacks modelTopology / weightsManifest (not a tf.js layers model)');
  }
  return json;
}

/** Inverse of saveLayersModel. The bytes are copied, so the caller may reuse its buffer. */
export async function loadLayersModel(s: SerializedModel): Promise<tf.LayersModel> {
  const json = readModelJson(s.modelJson);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const expected = weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1), 0);
  if (weightSpecs.every((w) => !w.quantization) && expected !== s.weights.byteLength) {
    throw new Error(`weights: expected ${expected} bytes for the manifest, got ${s.weights.byteLength}`);
  }
  const weightData = s.weights.slice().buffer as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, userDefinedMetadata: json.userDefinedMetadata }),
  );
}
