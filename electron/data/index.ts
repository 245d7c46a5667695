/** DeepTriage data layer: readers, labels, featurizers, cache, summaries. Pure Node. */
export { importFile, importToCache, type ImportResult, type CacheImportResult } from './import';
export { importManyToCache, type ManyInput, type ManyOptions, type ManyImportResult, type FileReport } from './importmany';
export { behaviourString, behaviourTokens, DEFAULT_THRESHOLDS as BEHAVIOUR_THRESHOLDS, type BehaviourFlow } from './behaviour';
export { normalizeDomain } from './domain';
export { stripPublicSuffix, PUBLIC_SUFFIXES } from './publicsuffix';
export { openDataset, readRecords, detectFormat, type DatasetReader, type MalformedLine } from './reader';
export { readCache, readCacheHeader, readRawLine, writeCache, rowId, CacheWriter, type EncodedData, type CacheHeader } from './cache';
export { readCacheIndex, indexRowId, type CacheIndex } from './cache-index';
export * from './featurize';
export { LabelEncoder, DEFAULT_ATTACK_MAP, KDD_CATEGORIES, type LabelEncoderJSON, type LabelMode } from './labels';
export { KDD_FEATURES, KDD_CATEGORICAL } from './kdd';
export { type DatasetSummary } from './summary';
export { auc, separability } from './auc';
export { DataError, DataAbortError } from './errors';
export type * from './types';
