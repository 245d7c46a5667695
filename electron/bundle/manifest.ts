import { createHash } from 'node:crypto';
import { KDD_FEATURES, PUBLIC_SUFFIXES, type FeaturizerJSON } from '../data';
import { thresholds } from '../data/readers/behaviour-letters';
import type { BehaviourThresholds, FormatName } from '../data/types';

/** What bundle.json says it is; the Python scorer refuses anything else. */
export const BUNDLE_FORMAT = 'deeptriage-scoring-bundle';
/** Raised when the layout of bundle.json / encoding.json changes in a way an older scorer would misread. */
export const BUNDLE_FORMAT_VERSION = 1;

/**
 * encoding.json: everything the scorer needs to turn an input line into the model's input, as data. The
 * public-suffix list and the KDD column names are written out so the Python side never keeps its own copy.
 */
export type BundleEncoding =
  | { kind: 'text'; textKind: 'url' | 'domain'; featurizer: FeaturizerJSON; publicSuffixes?: string[] }
  | { kind: 'behaviour'; textKind: 'behaviour'; featurizer: FeaturizerJSON; behaviourThresholds: BehaviourThresholds }
  | { kind: 'records'; recordFormat: 'kdd99' | 'nsl-kdd' | 'csv' | 'zeek'; featurizer: FeaturizerJSON; kddFeatures?: string[] };

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  deeptriageVersion: string;
  runId: string;
  /** The run's name as the workbench lists it. */
  runName: string;
  modelId: string;
  dataset: string;
  /** The settings the run was trained with (epochs, batch size, learning rate, ...), for whoever scores with it later. */
  hyperparameters: Record<string, unknown>;
  createdAt: string;
  classes: string[];
  /** Column of the benign class in `probabilities`; the scan score is 1 − that column (or column 1 without one). */
  normalClassIndex: number | null;
  input: { name: 'input'; dtype: 'int32' | 'float32'; width: number };
  output: 'probabilities';
  files: { model: 'model.onnx'; encoding: 'encoding.json' };
  /** sha256 of encoding.json's bytes: two bundles with the same hash encode every line the same way. */
  encodingHash: string;
  modelHash: string;
}

export const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The run's encoding for a bundle. `format` is the training dataset's format; when that dataset was deleted
 * it is inferred from the featurizer (a domain encoder keeps the end of the text; 41 KDD columns are KDD).
 */
export function bundleEncoding(featurizer: FeaturizerJSON, format: FormatName | null, options: Record<string, unknown> = {}): BundleEncoding {
  if (featurizer.kind === 'charseq') {
    if (format === 'zeek-behaviour') {
      const over = (options.behaviourThresholds ?? (options.behaviour as { thresholds?: unknown } | undefined)?.thresholds ?? {}) as Partial<BehaviourThresholds>;
      return { kind: 'behaviour', textKind: 'behaviour', featurizer, behaviourThresholds: thresholds(over) };
    }
    const domain = format === 'domains' || (format === null && (featurizer.truncate === 'left' || featurizer.stripPublicSuffix === true));
    return {
      kind: 'text',
      textKind: domain ? 'domain' : 'url',
      featurizer,
      ...(featurizer.stripPublicSuffix ? { publicSuffixes: [...PUBLIC_SUFFIXES].sort() } : {}),
    };
  }
  const names = featurizer.columns.map((c) => c.name);
  const kdd = names.length === KDD_FEATURES.length && names.every((n, i) => n === KDD_FEATURES[i]);
  const recordFormat = format === 'kdd99' || format === 'nsl-kdd' ? format : format === 'zeek' ? 'zeek' : kdd && format === null ? 'nsl-kdd' : 'csv';
  return { kind: 'records', recordFormat, featurizer, ...(recordFormat === 'kdd99' || recordFormat === 'nsl-kdd' ? { kddFeatures: [...KDD_FEATURES] } : {}) };
}
