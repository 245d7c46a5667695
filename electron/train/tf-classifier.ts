import type * as tf from '@tensorflow/tfjs';
import type { Classifier, Dataset, FitOptions, ModelFamily, SerializedModel } from '../../models/types';
import { fitLayersModel, type LayersFitReport } from './loop';
import { predictProba } from './predict';
import { saveLayersModel } from './io';

/** What a saved deep model needs to be rebuilt and interpreted; stored in model.json's userDefinedMetadata. */
export interface DeepTriageMeta {
  modelId: string;
  family: ModelFamily;
  numClasses: number;
  numFeatures?: number;
  vocabSize?: number;
  maxLen?: number;
  params?: Record<string, unknown>;
}

export const META_KEY = 'deepTriage';

/** A tf.js LayersModel behind the common Classifier face. `net` stays available for explain / inspect code. */
export class TfClassifier implements Classifier {
  readonly modelId: string;
  readonly numClasses: number;

  constructor(
    readonly net: tf.LayersModel,
    readonly meta: DeepTriageMeta,
  ) {
    this.modelId = meta.modelId;
    this.numClasses = meta.numClasses;
  }

  fit(data: { train: Dataset; val: Dataset | null }, opts: FitOptions): Promise<LayersFitReport> {
    this.meta.params = { ...opts.params };
    return fitLayersModel(this.net, this.numClasses, data, opts);
  }

  predictProba(x: Float32Array | Int32Array, rows: number, opts?: { batchSize?: number }): Promise<Float32Array> {
    return predictProba(this.net, x, rows, opts);
  }

  serialize(): Promise<SerializedModel> {
    return saveLayersModel(this.net, { [META_KEY]: this.meta });
  }

  dispose(): void {
    this.net.dispose();
  }
}
