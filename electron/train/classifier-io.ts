import type { Classifier, SerializedModel } from '../../models/types';
import { getModel } from '../../models/registry';
import { loadLayersModel, readModelJson } from './io';
import { META_KEY, TfClassifier, type DeepTriageMeta } from './tf-classifier';
import { isEnsembleJson, loadEnsemble } from '../ensemble/ensemble-classifier';

/** Rebuilds whatever Classifier.serialize() produced (deep model or baseline). */
export async function deserializeClassifier(s: SerializedModel): Promise<Classifier> {
  let head: { format?: unknown; modelId?: unknown };
  try {
    head = JSON.parse(s.modelJson) as typeof head;
  } catch (e) {
    throw new Error(`model.json is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (isEnsembleJson(head)) return loadEnsemble(s, deserializeClassifier);
  if (typeof head.format === 'string' && head.format.startsWith('deeptriage-ml-json') && typeof head.modelId === 'string') {
    const def = getModel(head.modelId);
    if (def.engine !== 'js') throw new Error(`model.json: '${head.modelId}' is not a JSON-serialised baseline`);
    return def.load(s);
  }
  const json = readModelJson(s.modelJson);
  const meta = (json.userDefinedMetadata as Record<string, unknown> | undefined)?.[META_KEY] as DeepTriageMeta | undefined;
  if (!meta || typeof meta.modelId !== 'string' || !(meta.numClasses >= 2)) {
    throw new Error(`model.json: userDefinedMetadata.${META_KEY} (modelId, numClasses) missing`);
  }
  return new TfClassifier(await loadLayersModel(s), meta);
}
