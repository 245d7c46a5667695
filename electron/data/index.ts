/** DeepTriage data layer: readers, labels, featurizers, cache, summaries. Pure Node. */
export { importFile, importToCache } from './pipeline/import-file';
export type { ImportResult, CacheImportResult } from './pipeline/import-result';
export { importManyToCache, type ManyInput, type ManyOptions, type ManyImportResult, type FileReport } from './pipeline/import-many';
export { behaviourString, behaviourTokens, DEFAULT_THRESHOLDS as BEHAVIOUR_THRESHOLDS, type BehaviourFlow } from './readers/behaviour-letters';
export { normalizeDomain } from './domains/normalize-domain';
export { stripPublicSuffix, PUBLIC_SUFFIXES } from './domains/public-suffix';
export { openDataset, readRecords, detectFormat } from './readers/open-dataset';
export type { DatasetReader, FormatReader } from './readers/reader';
export type { MalformedLine } from './readers/malformed-lines';
export { readCache, readCacheHeader, readRawLine, writeCache, rowId, CacheWriter, type EncodedData, type CacheHeader } from './cache/cache-file';
export { readCacheIndex, indexRowId, type CacheIndex } from './cache/cache-index';
export * from './featurize';
export { LabelEncoder, DEFAULT_ATTACK_MAP, KDD_CATEGORIES, type LabelEncoderJSON, type LabelMode } from './labels/label-encoder';
export { KDD_FEATURES, KDD_CATEGORICAL } from './readers/kdd-columns';
export { type DatasetSummary } from './summary/dataset-summary';
export { auc, separability } from './summary/separability';
export { DataError, DataAbortError } from './errors';
export type * from './types';
