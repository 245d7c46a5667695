import type { Classifier, FitReport, SerializedModel } from '../../models/types';
import { combine, type Combiner, type EnsembleMethod, type Stacker } from './combine';

export const ENSEMBLE_FORMAT = 'deeptriage-ensemble-v1';
export const ENSEMBLE_MODEL_ID = 'ensemble';

export interface EnsembleMember {
  runId: string;
  modelId: string;
  model: Classifier;
}

/** model.json of an ensemble run: the combiner and each member's own model.json, weights concatenated in weights.bin. */
interface EnsembleJson {
  format: typeof ENSEMBLE_FORMAT;
  modelId: typeof ENSEMBLE_MODEL_ID;
  method: EnsembleMethod;
  numClasses: number;
  weights: number[];
  stacker?: Stacker;
  members: { runId: string; modelId: string; modelJson: string; weightsBytes: number }[];
}

/**
 * Several stored runs behind one Classifier face: every place that loads a run's model (eval, scan, explain,
 * ONNX export) loads an ensemble through the same deserializeClassifier. The members' models are copied into
 * the ensemble's own files, so deleting a member run leaves the ensemble usable (as a run keeps its encoding).
 */
export class EnsembleClassifier implements Classifier {
  readonly modelId = ENSEMBLE_MODEL_ID;
  readonly numClasses: number;

  constructor(
    readonly members: readonly EnsembleMember[],
    readonly combiner: Combiner,
    /** The members' serialized forms, kept so serialize() writes them back byte for byte. */
    private readonly memberBytes: readonly SerializedModel[],
  ) {
    if (members.length < 2) throw new Error('an ensemble needs at least two members');
    if (combiner.weights.length !== members.length) throw new Error(`ensemble: ${combiner.weights.length} weights for ${members.length} members`);
    for (const m of members) {
      if (m.model.numClasses !== combiner.numClasses) throw new Error(`ensemble member ${m.runId} predicts ${m.model.numClasses} classes, the ensemble ${combiner.numClasses}`);
    }
    this.numClasses = combiner.numClasses;
  }

  fit(): Promise<FitReport> {
    return Promise.reject(new Error('an ensemble is not trained: it is combined from trained runs (deeptriage ensemble)'));
  }

  /** Each member's rows × K probabilities, in member order. */
  async memberProba(x: Float32Array | Int32Array, rows: number, opts?: { batchSize?: number }): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const m of this.members) out.push(await m.model.predictProba(x, rows, opts));
    return out;
  }

  async predictProba(x: Float32Array | Int32Array, rows: number, opts?: { batchSize?: number }): Promise<Float32Array> {
    return combine(this.combiner, await this.memberProba(x, rows, opts), rows);
  }

  serialize(): Promise<SerializedModel> {
    const json: EnsembleJson = {
      format: ENSEMBLE_FORMAT,
      modelId: ENSEMBLE_MODEL_ID,
      method: this.combiner.method,
      numClasses: this.numClasses,
      weights: this.combiner.weights,
      ...(this.combiner.stacker ? { stacker: this.combiner.stacker } : {}),
      members: this.members.map((m, i) => ({ runId: m.runId, modelId: m.modelId, modelJson: this.memberBytes[i].modelJson, weightsBytes: this.memberBytes[i].weights.byteLength })),
    };
    const total = this.memberBytes.reduce((a, s) => a + s.weights.byteLength, 0);
    const weights = new Uint8Array(total);
    let at = 0;
    for (const s of this.memberBytes) {
      weights.set(s.weights, at);
      at += s.weights.byteLength;
    }
    return Promise.resolve({ modelJson: JSON.stringify(json), weights });
  }

  dispose(): void {
    for (const m of this.members) m.model.dispose();
  }
}

export function isEnsembleJson(head: { format?: unknown }): boolean {
  return head.format === ENSEMBLE_FORMAT;
}

/**
 * Inverse of EnsembleClassifier.serialize(). `loadMember` is deserializeClassifier, passed in rather than
 * imported so the loader and the ensemble do not import each other.
 */
export async function loadEnsemble(s: SerializedModel, loadMember: (m: SerializedModel) => Promise<Classifier>): Promise<EnsembleClassifier> {
  const json = JSON.parse(s.modelJson) as EnsembleJson;
  if (!Array.isArray(json.members) || !Array.isArray(json.weights)) throw new Error('ensemble model.json: members or weights missing');
  const parts: SerializedModel[] = [];
  let at = 0;
  for (const m of json.members) {
    if (at + m.weightsBytes > s.weights.byteLength) throw new Error(`ensemble weights.bin is shorter than its members need (member ${m.runId})`);
    parts.push({ modelJson: m.modelJson, weights: s.weights.slice(at, at + m.weightsBytes) });
    at += m.weightsBytes;
  }
  const members: EnsembleMember[] = [];
  try {
    for (const [i, m] of json.members.entries()) members.push({ runId: m.runId, modelId: m.modelId, model: await loadMember(parts[i]) });
    const combiner: Combiner = { method: json.method, numClasses: json.numClasses, weights: json.weights, ...(json.stacker ? { stacker: json.stacker } : {}) };
    return new EnsembleClassifier(members, combiner, parts);
  } catch (e) {
    for (const m of members) m.model.dispose();
    throw e;
  }
}
