import { RandomForestClassifier } from 'ml-random-forest';
import type { Classifier, Dataset, EpochStats, FitOptions, FitReport, Hyperparams, JsModelDef, ModelSpec, SerializedModel } from './types';
import { int, mergeParams, num } from './lib/build';
import { probaMetrics } from './lib/metrics';
import { mulberry32 } from './lib/random';
import { stratifiedSplit, takeLabels, takeRows } from './lib/sampling';

const ID = 'random-forest';
const FORMAT = 'deeptriage-ml-json/1';

/** epochs / batchSize / learningRate / optimizer are not used by a forest (declared in unusedParams below, so
 * they are not validated); they exist to keep one params shape. */
const defaults: Hyperparams = {
  epochs: 1,
  batchSize: 4096,
  learningRate: 0,
  optimizer: 'adam',
  nEstimators: 50,
  maxFeatures: 0.7,
  maxDepth: 20,
  minNumSamples: 3,
  // ml-cart's split search is pure JS and about quadratic in the rows: 5 trees on 2,000 NSL-KDD rows take
  // ~45 s on one core, on 20,000 rows more than 8 min. Raise it for small feature sets or patient users.
  maxTrainRows: 2000,
  treesPerChunk: 5,
};

interface ForestJson {
  format: typeof FORMAT;
  modelId: typeof ID;
  numClasses: number;
  numFeatures: number;
  params: Hyperparams;
  forests: unknown[];
}

function toRows(x: Float32Array | Int32Array, rows: number, cols: number): number[][] {
  const out = new Array<number[]>(rows);
  for (let r = 0; r < rows; r++) out[r] = Array.from(x.subarray(r * cols, r * cols + cols));
  return out;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * ml-random-forest, grown in chunks of `treesPerChunk` trees (each chunk its own seeded forest) so progress
 * and cancel work between chunks; the chunks' trees vote together. ml-cart is pure JS and slow on big
 * tables, so training uses a seeded stratified subsample of at most `maxTrainRows` rows.
 */
class ForestClassifier implements Classifier {
  readonly modelId = ID;
  private forests: RandomForestClassifier[] = [];

  constructor(
    readonly numClasses: number,
    readonly numFeatures: number,
    private params: Hyperparams,
  ) {}

  async fit(data: { train: Dataset; val: Dataset | null }, opts: FitOptions): Promise<FitReport> {
    const t0 = Date.now();
    const p = mergeParams(this.params, opts.params);
    this.params = p;
    const { train } = data;
    if (train.cols !== this.numFeatures) throw new Error(`random-forest: built for ${this.numFeatures} features, got ${train.cols}`);
    const seed = typeof p.seed === 'number' ? p.seed : 42;
    const maxRows = int(p, 'maxTrainRows');
    let x = train.x;
    let y = train.y;
    if (train.rows > maxRows) {
      const keep = stratifiedSplit(train.y, maxRows / train.rows, seed).picked;
      x = takeRows(train.x, train.cols, keep);
      y = takeLabels(train.y, keep);
    }
    const X = toRows(x, y.length, train.cols);
    const Y = Array.from(y);
    const nTrees = int(p, 'nEstimators');
    const perChunk = Math.min(int(p, 'treesPerChunk'), nTrees);
    const chunks = Math.ceil(nTrees / perChunk);
    const maxFeatures = num(p, 'maxFeatures');
    const rand = mulberry32(seed);
    this.forests = [];
    let cancelled = false;
    for (let c = 0; c < chunks; c++) {
      const forest = new RandomForestClassifier({
        nEstimators: Math.min(perChunk, nTrees - c * perChunk),
        maxFeatures,
        replacement: false,
        useSampleBagging: true,
        noOOB: true,
        seed: Math.floor(rand() * 0x7fffffff),
        treeOptions: { maxDepth: int(p, 'maxDepth'), minNumSamples: int(p, 'minNumSamples') },
      });
      forest.train(X, Y);
      this.forests.push(forest);
      const elapsed = (Date.now() - t0) / 1000;
      const done = c + 1;
      opts.onProgress?.({
        phase: 'batch', epoch: 1, batch: done, batchesPerEpoch: chunks, epochs: 1, loss: NaN, acc: NaN, valLoss: null, valAcc: null,
        samplesPerSec: (done * perChunk * Y.length) / Math.max(elapsed, 1e-3),
        etaSeconds: (elapsed / done) * (chunks - done),
      });
      await tick();
      if (done < chunks && opts.shouldStop?.()) {
        cancelled = true;
        break;
      }
    }
    const trainM = probaMetrics(await this.predictProba(x, y.length), y, this.numClasses);
    const valM = data.val ? probaMetrics(await this.predictProba(data.val.x, data.val.rows), data.val.y, this.numClasses) : null;
    const stats: EpochStats = { epoch: 1, loss: trainM.loss, acc: trainM.acc, valLoss: valM?.loss ?? null, valAcc: valM?.acc ?? null, wallMs: Date.now() - t0 };
    opts.onProgress?.({
      phase: 'epoch', epoch: 1, batch: chunks, batchesPerEpoch: chunks, epochs: 1, loss: stats.loss, acc: stats.acc,
      valLoss: stats.valLoss, valAcc: stats.valAcc, samplesPerSec: (nTrees * Y.length) / Math.max((Date.now() - t0) / 1000, 1e-3), etaSeconds: 0,
    });
    return { history: [stats], stoppedEarly: false, cancelled, bestEpoch: 1, wallMs: Date.now() - t0 };
  }

  /** Vote shares of all trees (ml-random-forest's own predictProbability miscounts the first tree). */
  async predictProba(x: Float32Array | Int32Array, rows: number): Promise<Float32Array> {
    if (this.forests.length === 0) throw new Error('random-forest: predictProba before fit');
    if (x.length !== rows * this.numFeatures) throw new Error(`random-forest: expected ${rows}×${this.numFeatures} values, got ${x.length}`);
    const k = this.numClasses;
    const out = new Float32Array(rows * k);
    const X = toRows(x, rows, this.numFeatures);
    let trees = 0;
    for (const forest of this.forests) {
      const votes = forest.predictionValues(X);
      for (let r = 0; r < rows; r++) for (let t = 0; t < votes.columns; t++) out[r * k + votes.get(r, t)] += 1;
      trees += votes.columns;
    }
    for (let i = 0; i < out.length; i++) out[i] /= trees;
    return out;
  }

  async serialize(): Promise<SerializedModel> {
    const json: ForestJson = {
      format: FORMAT,
      modelId: ID,
      numClasses: this.numClasses,
      numFeatures: this.numFeatures,
      params: this.params,
      forests: this.forests.map((f) => f.toJSON()),
    };
    return { modelJson: JSON.stringify(json), weights: new Uint8Array(0) };
  }

  static load(s: SerializedModel): ForestClassifier {
    const json = JSON.parse(s.modelJson) as ForestJson;
    if (json.format !== FORMAT || json.modelId !== ID) throw new Error(`random-forest: not a serialized forest (format ${String(json.format)})`);
    const c = new ForestClassifier(json.numClasses, json.numFeatures, json.params);
    c.forests = json.forests.map((f) => RandomForestClassifier.load(f as Parameters<typeof RandomForestClassifier.load>[0]));
    return c;
  }

  dispose(): void {
    this.forests = [];
  }
}

export default {
  id: ID,
  family: 'records',
  kind: 'baseline',
  engine: 'js',
  unusedParams: ['epochs', 'batchSize', 'learningRate', 'optimizer', 'patience'],
  description: 'Random forest (ml-random-forest): 50 CART gini trees, 70% features per tree, max depth 20, bootstrap, trained on a seeded stratified sample of ≤2 000 rows (maxTrainRows)',
  defaults,
  build(spec: ModelSpec) {
    if (!Number.isInteger(spec.numClasses) || spec.numClasses < 2) throw new Error(`numClasses must be an integer >= 2, got ${spec.numClasses}`);
    if (!Number.isInteger(spec.numFeatures) || (spec.numFeatures as number) < 1) throw new Error(`random-forest needs numFeatures >= 1, got ${spec.numFeatures}`);
    return new ForestClassifier(spec.numClasses, spec.numFeatures as number, mergeParams(defaults, spec.params));
  },
  load: (s: SerializedModel) => ForestClassifier.load(s),
} satisfies JsModelDef;
