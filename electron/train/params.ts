import type { GradientParam, Hyperparams, ModelDef, ParamValue } from '../../models/types';
import { mergeParams } from '../../models/lib/build';
import { checkBalance } from './balance';
import { lossSettings } from './loss';

/**
 * Training-loop options every model accepts on top of its architecture defaults.
 * - seed: split, shuffles, initialisers and dropout masks (see README in index.ts for what is reproducible)
 * - validationFraction: stratified hold-out for validation metrics / early stopping (0 = none; then early
 *   stopping watches the training loss)
 * - patience: epochs without a validation-loss improvement > minDelta before stopping; 0 disables
 * - classWeight: 'none' | 'balanced' (n / (k · n_c), as scikit-learn) | explicit per-class list
 * - balance: 'none' | 'oversample' (random oversampling of the training split's minority classes; balance.ts)
 * - loss: 'crossentropy' | 'focal' with focalGamma (loss.ts); class weights apply to either
 * - predictBatchSize: rows per forward pass when validating / predicting
 * - stepsPerEpoch: batches per epoch (0 = one pass over the training split); on a large file shorter epochs
 *   validate, checkpoint and stop early more often, so a time-capped run still has a model (epochs.ts)
 */
export const TRAIN_DEFAULTS = {
  seed: 42,
  validationFraction: 0.1,
  patience: 5,
  minDelta: 0,
  classWeight: 'none',
  balance: 'none',
  loss: 'crossentropy',
  predictBatchSize: 1024,
} satisfies Record<string, ParamValue>;

export function resolveParams(def: ModelDef, overrides?: Partial<Hyperparams>): Hyperparams {
  return mergeParams({ ...TRAIN_DEFAULTS, ...def.defaults }, overrides);
}

export function optionalInt(p: Hyperparams, key: string, fallback: number, min = 0): number {
  const v = p[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`parameter '${key}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

export function optionalNum(p: Hyperparams, key: string, fallback: number): number {
  const v = p[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`parameter '${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The loop's own knobs, checked before a run is queued so a typo fails at once, not minutes later in a worker.
 * Keys the architecture declares unused (`def.unusedParams`, e.g. the forest's learningRate placeholder of 0)
 * are not required to be valid; seed and validationFraction apply to every model.
 */
export function checkTrainParams(p: Hyperparams, def?: Pick<ModelDef, 'unusedParams'>): void {
  const unused = new Set<string>(def?.unusedParams ?? []);
  const uses = (k: GradientParam) => !unused.has(k);
  if (uses('epochs')) optionalInt(p, 'epochs', 1, 1);
  if (uses('batchSize')) optionalInt(p, 'batchSize', 1, 1);
  optionalInt(p, 'seed', 42);
  if (uses('patience')) optionalInt(p, 'patience', 0);
  if (uses('epochs')) optionalInt(p, 'stepsPerEpoch', 0);
  if (uses('learningRate')) {
    const lr = optionalNum(p, 'learningRate', 1e-3);
    if (!(lr > 0)) throw new Error(`parameter 'learningRate' must be > 0, got ${lr}`);
  }
  checkBalance(p.balance);
  if (uses('learningRate')) lossSettings(p);
  const vf = optionalNum(p, 'validationFraction', 0.1);
  if (!(vf >= 0 && vf <= 0.5)) throw new Error(`parameter 'validationFraction' must be in [0, 0.5], got ${vf}`);
  if (uses('optimizer') && !['adam', 'sgd', 'rmsprop'].includes(String(p.optimizer))) {
    throw new Error(`parameter 'optimizer' must be adam, sgd or rmsprop, got ${JSON.stringify(p.optimizer)}`);
  }
}
