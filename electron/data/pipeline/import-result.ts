import type { EncodedData } from '../cache/cache-file';
import type { FeaturizerJSON } from '../featurize';
import type { LabelEncoderJSON } from '../labels/label-encoder';
import type { DatasetSummary } from '../summary/dataset-summary';

/** What an import returns: in memory (importFile) or as files in a folder (importToCache, importManyToCache). */

export interface ImportResult {
  summary: DatasetSummary;
  featurizer: FeaturizerJSON;
  /** null for an unlabelled file. */
  labelEncoder: LabelEncoderJSON | null;
  encoded: EncodedData;
  /** Set when options.rawLinesPath was given: encoded.rawOffsets index into this file. */
  rawLinesPath?: string;
}

export interface CacheImportResult {
  summary: DatasetSummary;
  featurizer: FeaturizerJSON;
  labelEncoder: LabelEncoderJSON | null;
  rows: number;
  cols: number;
  /** outDir/encoded.dtc, outDir/raw.txt (decompressed copy of the input), outDir/summary.json, outDir/featurizer.json */
  cachePath: string;
  rawLinesPath: string;
  summaryPath: string;
  featurizerPath: string;
}
