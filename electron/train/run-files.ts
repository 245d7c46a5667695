import fs from 'node:fs';
import path from 'node:path';
import type { EpochStats, SerializedModel } from '../../models/types';
import { writeFileAtomic } from '../store/atomic';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * Weights first, then model.json: model.json is the file a loader opens, so it only appears (atomically)
 * once the weights it names are complete on disk.
 */
export function writeRunModel(dir: string, m: SerializedModel): void {
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, WEIGHTS_BIN), m.weights);
  writeFileAtomic(path.join(dir, MODEL_JSON), m.modelJson);
}

export function readRunModel(dir: string): SerializedModel {
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!fs.existsSync(jsonPath)) throw new Error(`${jsonPath}: the run has no saved model`);
  const weightsPath = path.join(dir, WEIGHTS_BIN);
  const weights = fs.existsSync(weightsPath) ? new Uint8Array(fs.readFileSync(weightsPath)) : new Uint8Array(0);
  return { modelJson: fs.readFileSync(jsonPath, 'utf8'), weights };
}

const CHECKPOINT_JSON = 'checkpoint.json';

/** What an epoch-end checkpoint records beside the weights: enough to mark, evaluate and resume the run. */
export interface CheckpointInfo {
  /** The epoch whose weights model.json / weights.bin hold. */
  epoch: number;
  history: EpochStats[];
  bestEpoch: number | null;
}

/**
 * The run's model files as they are after this epoch, then checkpoint.json naming the epoch: each file is
 * replaced atomically, and checkpoint.json last, so a crash at any point leaves a loadable model whose
 * epoch is at least the one checkpoint.json names (same architecture, so the weights always fit).
 */
export function writeCheckpoint(dir: string, m: SerializedModel, info: CheckpointInfo): void {
  writeRunModel(dir, m);
  writeFileAtomic(path.join(dir, CHECKPOINT_JSON), JSON.stringify(info));
}

export function readCheckpoint(dir: string): CheckpointInfo | undefined {
  const file = path.join(dir, CHECKPOINT_JSON);
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, MODEL_JSON))) return undefined;
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as CheckpointInfo;
    return Number.isInteger(info.epoch) && Array.isArray(info.history) ? info : undefined;
  } catch {
    return undefined;
  }
}
