import { importJob, type ImportJobResult, type ImportJobInput } from '../data/import-job';
import { openScorer } from '../onnx/scorer';
import { stratifiedSplit } from '../train/split';
import type { EvalResult, EvalSplit } from '../../shared/eval';
import type { JobHandler } from '../jobs/context';
import { writeFileAtomic } from '../store/atomic';
import { evaluate } from './evaluate';
import { normalIndexOf, readLabelledRows, rowsPathFor } from './run-eval';

export interface EvalJobInput {
  runDir: string;
  classes: string[];
  cachePath: string;
  split: EvalSplit;
  probaPath: string;
  /** Set when scoring on the run's own training file: only its held-out validation rows count. */
  validation?: { fraction: number; seed: number };
  /** The dataset has another encoding: encode its source file like the run's training set first (into a new dataset). */
  encode?: ImportJobInput;
}

export interface EvalJobResult {
  result: EvalResult;
  /** Row indices of the dataset cache that were scored, in order (needed to line predictions up with rows). */
  rowsPath: string | null;
  unknownRows: number;
  /** What `encode` imported, for the main side to store as a dataset. */
  imported?: ImportJobResult;
}

/** Scores a stored run on an encoded dataset in a worker; the probabilities go to disk for Compare and Inspect. */
export const evalJob: JobHandler = async (raw, ctx) => {
  const input = raw as EvalJobInput;
  let imported: ImportJobResult | undefined;
  if (input.encode) {
    ctx.progress({ fraction: 0, message: 'encoding the file like the training set' }, true);
    imported = (await importJob(input.encode, ctx)) as ImportJobResult;
  }
  const cachePath = imported?.cachePath ?? input.cachePath;
  ctx.progress({ fraction: 0.05, message: 'loading model and data' }, true);
  // onnxruntime when it takes the model (several times faster than tf.js wasm on large test files).
  const model = await openScorer(input.runDir, ctx.backend?.name ?? 'wasm');
  try {
    const data = await readLabelledRows(cachePath);
    let x = data.x;
    let y = data.y;
    let kept = data.kept;
    if (input.validation) {
      // The same stratified, seeded split the training loop made: these rows were never trained on.
      const { picked } = stratifiedSplit(data.y, input.validation.fraction, input.validation.seed);
      const Ctor = data.x instanceof Float32Array ? Float32Array : Int32Array;
      const vx = new Ctor(picked.length * data.cols);
      const vy = new Int32Array(picked.length);
      const vk = new Int32Array(picked.length);
      picked.forEach((r, i) => {
        vx.set(data.x.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols);
        vy[i] = data.y[r];
        vk[i] = data.kept[r];
      });
      x = vx;
      y = vy;
      kept = vk;
    }
    ctx.throwIfCancelled();
    ctx.progress({ fraction: 0.2, message: `scoring ${y.length.toLocaleString('en-US')} rows (${model.engine})` }, true);
    const proba = await model.predict(x, y.length);
    ctx.throwIfCancelled();
    writeFileAtomic(input.probaPath, new Uint8Array(proba.buffer, proba.byteOffset, proba.byteLength));
    const rowsPath = rowsPathFor(input.probaPath);
    writeFileAtomic(rowsPath, new Uint8Array(kept.buffer, kept.byteOffset, kept.byteLength));
    ctx.progress({ fraction: 0.9, message: 'computing metrics' }, true);
    const result = evaluate({ yTrue: y, proba, classes: input.classes, normalIndex: normalIndexOf(input.classes), split: input.split });
    const out: EvalJobResult = { result, rowsPath, unknownRows: data.unknown, ...(imported ? { imported } : {}) };
    return out;
  } finally {
    await model.dispose();
  }
};
