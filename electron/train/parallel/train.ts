import type { Dataset, ModelSpec } from '../../../models/types';
import { getModel } from '../../../models/registry';
import { optionalInt, optionalNum, resolveParams } from '../params';
import { splitDataset } from '../split';
import { TfClassifier } from '../tf-classifier';
import { trainModel, type TrainModelOptions, type TrainResult } from '../train-model';
import { defaultReplicas, fitParallel } from './fit';

export interface TrainParallelOptions extends TrainModelOptions {
  /** Worker threads, each holding a replica. Default min(2, cores). 1 (or a non-tf.js model) → plain trainModel. */
  replicas?: number;
  /** Backend inside the replicas. Default 'wasm' with the kernel fixes. */
  backend?: string;
  /** Tests: throw unless every replica ends with bit-identical weights. */
  verifySync?: boolean;
}

// Same checks as train-model.ts's (unexported) checkInputs, so both entry points reject the same inputs.
function checkInputs(o: TrainModelOptions, family: 'records' | 'sequences'): Dataset {
  const rows = o.y.length;
  if (rows === 0) throw new Error('trainParallel: y is empty');
  if (o.x.length % rows !== 0) throw new Error(`trainParallel: x has ${o.x.length} values, not a whole number of ${rows} rows`);
  const cols = o.x.length / rows;
  if (family === 'sequences' && !(o.x instanceof Int32Array)) throw new Error(`trainParallel: '${o.modelId}' reads sequences; x must be an Int32Array of char ids`);
  if (family === 'records' && !(o.x instanceof Float32Array)) throw new Error(`trainParallel: '${o.modelId}' reads records; x must be a Float32Array`);
  if (!Number.isInteger(o.numClasses) || o.numClasses < 2) throw new Error(`trainParallel: numClasses must be an integer >= 2, got ${o.numClasses}`);
  for (let i = 0; i < rows; i++) {
    if (!(o.y[i] >= 0 && o.y[i] < o.numClasses)) throw new Error(`trainParallel: y[${i}] = ${o.y[i]} is outside 0…${o.numClasses - 1}`);
  }
  if (family === 'records') {
    for (let i = 0; i < o.x.length; i++) {
      if (!Number.isFinite(o.x[i])) throw new Error(`trainParallel: x row ${Math.floor(i / cols)}, column ${i % cols} is ${o.x[i]}`);
    }
  }
  return { x: o.x, y: o.y, rows, cols };
}

/**
 * trainModel with each batch split across worker-thread replicas (data parallelism; the wasm backend is
 * single-threaded, so this is how training uses more than one core). Same inputs, same result shape, same
 * split / shuffles / early stopping / best checkpoint / cancel-within-a-batch as trainModel. The returned
 * model lives on the caller's thread and backend. Weights match single-replica training up to float
 * summation order (gradients are summed per shard); with dropout the masks differ (one per shard).
 */
export async function trainParallel(o: TrainParallelOptions): Promise<TrainResult> {
  const replicas = o.replicas ?? defaultReplicas();
  const def = getModel(o.modelId);
  if (replicas <= 1 || def.engine !== 'tfjs') return trainModel(o);
  const t0 = Date.now();
  const params = resolveParams(def, o.params);
  const data = checkInputs(o, def.family);
  const seed = optionalInt(params, 'seed', 42);
  const spec: ModelSpec = { numClasses: o.numClasses, params, seed };
  if (def.family === 'records') {
    spec.numFeatures = data.cols;
  } else {
    let maxId = 0;
    for (let i = 0; i < data.x.length; i++) if (data.x[i] > maxId) maxId = data.x[i];
    const vocabSize = o.vocabSize ?? maxId + 1;
    if (maxId >= vocabSize) throw new Error(`trainParallel: char id ${maxId} is outside vocabSize ${vocabSize}`);
    spec.vocabSize = Math.max(vocabSize, 2);
    spec.maxLen = data.cols;
  }
  const split = splitDataset(data, optionalNum(params, 'validationFraction', 0.1), seed);
  const model = new TfClassifier(def.build(spec), {
    modelId: def.id,
    family: def.family,
    numClasses: o.numClasses,
    numFeatures: spec.numFeatures,
    vocabSize: spec.vocabSize,
    maxLen: spec.maxLen,
    params: { ...params },
  });
  try {
    const report = await fitParallel(model.net, o.numClasses, split, {
      params,
      onProgress: o.onProgress,
      shouldStop: o.shouldStop,
      modelId: def.id,
      spec,
      replicas,
      backend: o.backend,
      verifySync: o.verifySync,
    });
    return {
      ...report,
      wallMs: Date.now() - t0,
      model,
      params,
      trainRows: split.train.rows,
      valRows: split.val?.rows ?? 0,
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
