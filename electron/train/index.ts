/**
 * Training engine used inside the worker thread (no Electron, no SQLite).
 *
 * Reproducibility (same seed, same backend, same data → same result):
 *  - seeded: the stratified split, the per-epoch shuffles, every weight initialiser (glorot, orthogonal,
 *    embedding) and every dropout mask (SeededDropout draws seed, seed+1, … per batch);
 *  - so on the 'cpu' backend two runs give bit-identical weights and history; on 'wasm' results are
 *    deterministic for one machine/thread-count but may differ in the last bits across builds (SIMD /
 *    multi-threaded reductions); webgl is not bit-reproducible;
 *  - random-forest: ml-random-forest seeds its bootstrap / feature bagging from the seed.
 * The loop yields to the event loop after every batch so a worker's 'stop' message can flip shouldStop().
 */
export { trainModel, type TrainModelOptions, type TrainResult } from './train-model';
export { fitLayersModel, type LayersFitReport } from './loop';
export { predictProba } from './predict';
export { saveLayersModel, loadLayersModel } from './io';
export { deserializeClassifier } from './classifier-io';
export { TfClassifier, type DeepTriageMeta } from './tf-classifier';
export { splitDataset, stratifiedSplit } from './split';
export { classWeights } from './class-weights';
export { TRAIN_DEFAULTS, resolveParams } from './params';
export { trainParallel, type TrainParallelOptions } from './parallel';
