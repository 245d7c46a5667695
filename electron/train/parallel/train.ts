import { getModel } from '../../../models/registry';
import { epochHooks, fitToResult, newTfClassifier, prepareTraining, trainModel, type TrainModelOptions, type TrainResult } from '../train-model';
import { defaultReplicas, fitParallel } from './fit';

export interface TrainParallelOptions extends TrainModelOptions {
  /** Worker threads, each holding a replica. Default min(2, cores). 1 (or a non-tf.js model) → plain trainModel. */
  replicas?: number;
  /** Backend inside the replicas. Default 'wasm' with the kernel fixes. */
  backend?: string;
  /** Tests: throw unless every replica ends with bit-identical weights. */
  verifySync?: boolean;
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
  const prepared = prepareTraining(o, 'trainParallel');
  const { params, spec, split } = prepared;
  const model = newTfClassifier(def, prepared, o.numClasses);
  return fitToResult(t0, model, prepared, async () =>
    fitParallel(model.net, o.numClasses, split, {
      ...(await epochHooks(o, model)),
      params,
      onProgress: o.onProgress,
      shouldStop: o.shouldStop,
      modelId: def.id,
      spec,
      replicas,
      backend: o.backend,
      verifySync: o.verifySync,
    }),
  );
}
