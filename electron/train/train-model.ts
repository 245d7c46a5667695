import type {
  Classifier,
  Dataset,
  EpochEnd,
  EpochStats,
  FitOptions,
  FitReport,
  Hyperparams,
  ModelDef,
  ModelSpec,
  Progress,
  SerializedModel,
  TfModelDef,
} from '../../models/types';
import { loadLayersModel } from './io';
import { getModel } from '../../models/registry';
import { optionalInt, optionalNum, resolveParams } from './params';
import { splitDataset } from './split';
import { checkBalance, oversample } from './balance';
import { TfClassifier } from './tf-classifier';

export interface TrainModelOptions {
  modelId: string;
  /** rows × cols row-major: Float32Array features (records) or Int32Array char ids (sequences). */
  x: Float32Array | Int32Array;
  /** Class index per row, 0 … numClasses-1. */
  y: Int32Array;
  numClasses: number;
  /** Overrides of the model's defaults and of TRAIN_DEFAULTS. */
  params?: Partial<Hyperparams>;
  /** Sequences: size of the id space (ids are 0 … vocabSize-1). Default: largest id + 1. */
  vocabSize?: number;
  onProgress?: (p: Progress) => void;
  /** Polled after every batch; true → stop, keep the best checkpoint. */
  shouldStop?: () => boolean;
  /** After every completed epoch, with the model holding that epoch's weights (tf.js models only). */
  onCheckpoint?: (e: EpochEnd, model: Classifier) => Promise<void>;
  /** Continue an interrupted fit from its last checkpoint (tf.js models only). */
  resume?: { model: SerializedModel; history: EpochStats[] };
  /**
   * Start from another run's weights instead of a fresh initialisation (same architecture, encoding and
   * classes; tf.js models only), as a new fit from epoch 1: retraining with verdicts "from its weights".
   */
  initialWeights?: SerializedModel;
}

export interface TrainResult extends FitReport {
  /** Holds the best checkpoint's weights. TfClassifier (has .net) for tf.js models. */
  model: Classifier;
  /** The effective hyperparameters (defaults + overrides). */
  params: Hyperparams;
  trainRows: number;
  valRows: number;
  /** Deep models only: training stopped on a NaN / infinite loss. */
  diverged: boolean;
}

function checkInputs(o: TrainModelOptions, family: 'records' | 'sequences', who: string): Dataset {
  const rows = o.y.length;
  if (rows === 0) throw new Error(`${who}: y is empty`);
  if (o.x.length % rows !== 0) throw new Error(`${who}: x has ${o.x.length} values, not a whole number of ${rows} rows`);
  const cols = o.x.length / rows;
  if (family === 'sequences' && !(o.x instanceof Int32Array)) throw new Error(`${who}: '${o.modelId}' reads sequences; x must be an Int32Array of char ids`);
  if (family === 'records' && !(o.x instanceof Float32Array)) throw new Error(`${who}: '${o.modelId}' reads records; x must be a Float32Array`);
  if (!Number.isInteger(o.numClasses) || o.numClasses < 2) throw new Error(`${who}: numClasses must be an integer >= 2, got ${o.numClasses}`);
  for (let i = 0; i < rows; i++) {
    if (!(o.y[i] >= 0 && o.y[i] < o.numClasses)) throw new Error(`${who}: y[${i}] = ${o.y[i]} is outside 0…${o.numClasses - 1}`);
  }
  if (family === 'records') {
    for (let i = 0; i < o.x.length; i++) {
      if (!Number.isFinite(o.x[i])) throw new Error(`${who}: x row ${Math.floor(i / cols)}, column ${i % cols} is ${o.x[i]}`);
    }
  }
  return { x: o.x, y: o.y, rows, cols };
}

export interface PreparedTraining {
  def: ModelDef;
  params: Hyperparams;
  spec: ModelSpec;
  split: { train: Dataset; val: Dataset | null };
}

/**
 * What every training entry point does before fitting, so all of them accept and reject the same inputs:
 * checks, effective hyperparameters, the model spec, and the stratified seeded validation split.
 */
export function prepareTraining(o: TrainModelOptions, who: string): PreparedTraining {
  const def = getModel(o.modelId);
  const params = resolveParams(def, o.params);
  const data = checkInputs(o, def.family, who);
  const seed = optionalInt(params, 'seed', 42);
  const spec: ModelSpec = { numClasses: o.numClasses, params, seed };
  if (def.family === 'records') {
    spec.numFeatures = data.cols;
  } else {
    let maxId = 0;
    for (let i = 0; i < data.x.length; i++) if (data.x[i] > maxId) maxId = data.x[i];
    const vocabSize = o.vocabSize ?? maxId + 1;
    if (maxId >= vocabSize) throw new Error(`${who}: char id ${maxId} is outside vocabSize ${vocabSize}`);
    spec.vocabSize = Math.max(vocabSize, 2);
    spec.maxLen = data.cols;
  }
  const split = splitDataset(data, optionalNum(params, 'validationFraction', 0.1), seed);
  if (checkBalance(params.balance) === 'oversample') split.train = oversample(split.train, seed);
  return { def, params, spec, split };
}

/**
 * The epoch hooks of a fit: checkpoints see the classifier, and a resumed fit starts from the checkpoint's
 * weights (the optimiser's moments are not stored, so Adam restarts its running averages).
 */
export async function epochHooks(o: TrainModelOptions, model: TfClassifier): Promise<Pick<FitOptions, 'onEpochEnd' | 'resume'>> {
  const start = o.resume?.model ?? o.initialWeights;
  if (start) {
    const saved = await loadLayersModel(start);
    try {
      const from = saved.getWeights();
      const to = model.net.getWeights();
      // A different architecture or encoding would load silently wrong or throw deep in tf.js: say which.
      const bad = from.length !== to.length ? -1 : from.findIndex((w, i) => w.shape.join('x') !== to[i].shape.join('x'));
      if (from.length !== to.length || bad >= 0) {
        const what = bad < 0 ? `${from.length} weight tensors, the new model ${to.length}` : `weight ${bad} is [${from[bad].shape}], the new model's [${to[bad].shape}]`;
        throw new Error(`the saved weights do not fit this model (${what}): same architecture, encoding and classes needed`);
      }
      model.net.setWeights(from);
    } finally {
      saved.dispose();
    }
  }
  const onCheckpoint = o.onCheckpoint;
  return {
    ...(onCheckpoint ? { onEpochEnd: (e: EpochEnd) => onCheckpoint(e, model) } : {}),
    ...(o.resume ? { resume: { history: o.resume.history } } : {}),
  };
}

/** `def` separately from `prepared`: the caller has narrowed it to a tf.js model. */
export function newTfClassifier(def: TfModelDef, prepared: PreparedTraining, numClasses: number): TfClassifier {
  const { spec, params } = prepared;
  return new TfClassifier(def.build(spec), {
    modelId: def.id,
    family: def.family,
    numClasses,
    numFeatures: spec.numFeatures,
    vocabSize: spec.vocabSize,
    maxLen: spec.maxLen,
    params: { ...params },
  });
}

/** Fits `model` and wraps the report into a TrainResult; the model is disposed if fitting throws. */
export async function fitToResult(
  t0: number,
  model: Classifier,
  prepared: PreparedTraining,
  fit: () => Promise<FitReport & { diverged?: boolean }>,
): Promise<TrainResult> {
  const { params, split } = prepared;
  try {
    const report = await fit();
    return {
      ...report,
      diverged: 'diverged' in report ? Boolean(report.diverged) : false,
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

/** Builds the registry model, splits (stratified, seeded), trains, and returns the best checkpoint. */
export async function trainModel(o: TrainModelOptions): Promise<TrainResult> {
  const t0 = Date.now();
  const prepared = prepareTraining(o, 'trainModel');
  const { def, params, spec, split } = prepared;
  if (def.engine !== 'tfjs') {
    if (o.resume) throw new Error(`trainModel: '${def.id}' has no epochs to resume`);
    if (o.initialWeights) throw new Error(`trainModel: '${def.id}' is not a tf.js model: it cannot start from saved weights`);
    const model = def.build(spec);
    return fitToResult(t0, model, prepared, () => model.fit(split, { params, onProgress: o.onProgress, shouldStop: o.shouldStop }));
  }
  const model = newTfClassifier(def, prepared, o.numClasses);
  return fitToResult(t0, model, prepared, async () =>
    model.fit(split, { params, onProgress: o.onProgress, shouldStop: o.shouldStop, ...(await epochHooks(o, model)) }),
  );
}
