import type * as tf from '@tensorflow/tfjs';

export type ModelFamily = 'records' | 'sequences';
export type ModelKind = 'deep' | 'baseline';
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';
export type ParamValue = number | string | boolean | number[];

/**
 * Hyperparameters of one run. The four training keys are always present after merging with a model's
 * defaults; every other key is architecture-specific (dropout, units, filters, ...) or a training-loop
 * option (seed, patience, validationFraction, classWeight — see electron/train/params).
 */
export interface Hyperparams {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  [name: string]: ParamValue;
}

/** What a builder needs to know about the data. Records need numFeatures; sequences need vocabSize and maxLen. */
export interface ModelSpec {
  numClasses: number;
  numFeatures?: number;
  vocabSize?: number;
  maxLen?: number;
  /** Overrides merged over the model's defaults. */
  params?: Partial<Hyperparams>;
  /** Seeds the weight initialisers (and dropout masks) so two builds with one seed are identical. */
  seed?: number;
}

/** Rows are row-major: x[r * cols + c]. Records: Float32Array features; sequences: Int32Array char ids. */
export interface Dataset {
  x: Float32Array | Int32Array;
  y: Int32Array;
  rows: number;
  cols: number;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
  wallMs: number;
}

export interface Progress {
  /** 'batch' after every optimiser step, 'epoch' once per epoch after validation. */
  phase: 'batch' | 'epoch';
  /** 1-based. */
  epoch: number;
  /** 1-based batch within the epoch; equals batchesPerEpoch on 'epoch' events. */
  batch: number;
  batchesPerEpoch: number;
  epochs: number;
  /** Running mean over the current epoch. */
  loss: number;
  acc: number;
  /** Latest completed validation (null before the first epoch ends or without a validation split). */
  valLoss: number | null;
  valAcc: number | null;
  samplesPerSec: number;
  /** Remaining time if every epoch runs (early stopping can only shorten it). */
  etaSeconds: number;
}

/** The state after a completed epoch, with the caller's model holding that epoch's weights. */
export interface EpochEnd {
  epoch: number;
  history: EpochStats[];
  bestEpoch: number | null;
}

export interface FitOptions {
  params: Hyperparams;
  onProgress?: (p: Progress) => void;
  shouldStop?: () => boolean;
  /** After every completed epoch (a checkpoint's moment); the fit waits for it. */
  onEpochEnd?: (e: EpochEnd) => Promise<void>;
  /** Continue after these epochs (the model already holds the last one's weights) instead of from epoch 1. */
  resume?: { history: EpochStats[] };
}

export interface FitReport {
  history: EpochStats[];
  stoppedEarly: boolean;
  cancelled: boolean;
  /** 1-based epoch whose weights the model now holds; null if cancelled before any epoch completed. */
  bestEpoch: number | null;
  wallMs: number;
}

/** Bytes the workspace stores for a trained model. All metadata lives inside modelJson. */
export interface SerializedModel {
  modelJson: string;
  /** Concatenated tf.js weight data (empty for JSON-only baselines). */
  weights: Uint8Array;
}

/** Common face of deep models and baselines: train, score, persist. */
export interface Classifier {
  readonly modelId: string;
  readonly numClasses: number;
  fit(data: { train: Dataset; val: Dataset | null }, opts: FitOptions): Promise<FitReport>;
  /** rows × numClasses probabilities, row-major (binary models return [1 - p, p]). */
  predictProba(x: Float32Array | Int32Array, rows: number, opts?: { batchSize?: number }): Promise<Float32Array>;
  serialize(): Promise<SerializedModel>;
  dispose(): void;
}

interface ModelDefBase {
  id: string;
  family: ModelFamily;
  kind: ModelKind;
  /** One line, shown in the model picker; names the papers and the defaults. */
  description: string;
  defaults: Hyperparams;
  /**
   * Training-loop keys this architecture ignores (a forest has no epochs, batches, learning rate or
   * optimizer). Its defaults still carry them, to keep one params shape, but they are not validated.
   */
  unusedParams?: readonly GradientParam[];
  /**
   * False where one replica trains faster than several: a step that is almost all fixed per-kernel cost
   * (the one-time-step recurrent records models: 2 replicas measured at half the speed of 1 on 2 idle cores,
   * docs/benchmarks.md) gains nothing from smaller shards. Absent means data-parallel helps.
   */
  dataParallel?: boolean;
}

/** The gradient-training keys electron/train/params checks; an architecture that ignores some declares them unused. */
export type GradientParam = 'epochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'patience';

/** A tf.js graph trained by electron/train's loop (all deep models, and logistic regression). */
export interface TfModelDef extends ModelDefBase {
  engine: 'tfjs';
  build(spec: ModelSpec): tf.LayersModel;
}

/** A non-tf.js learner (random forest): it brings its own fit / predict / persistence. */
export interface JsModelDef extends ModelDefBase {
  engine: 'js';
  build(spec: ModelSpec): Classifier;
  /** Inverse of Classifier.serialize() for this model. */
  load(serialized: SerializedModel): Classifier;
}

export type ModelDef = TfModelDef | JsModelDef;
