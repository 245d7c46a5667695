import fs from 'node:fs';
import path from 'node:path';
import type { SerializedModel } from '../../models/types';
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
