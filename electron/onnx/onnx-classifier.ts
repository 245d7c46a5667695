import type * as Ort from 'onnxruntime-node';
import type { OnnxExport } from './from-layers';
import { packTrimmed } from './pack';
import { loadOnnxRuntime, SINGLE_THREAD_SESSION } from './runtime';

/** Rows per run of a trimmed graph: small enough that a chunk's rows have similar lengths. */
const TRIM_CHUNK_ROWS = 64;
/** Rows per run of a fixed graph: bounds the activations held at once (an evaluation may score 300k rows). */
const FIXED_CHUNK_ROWS = 2048;

/**
 * Scores rows with an exported graph in onnxruntime, one intra-op thread per session: callers parallelise
 * across worker threads (a run blocks the thread that calls it), and one thread per session keeps a loaded
 * machine from being oversubscribed. Output matches predictProba: rows × classes, [1 − p, p] for binary.
 */
export class OnnxClassifier {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly exported: OnnxExport,
    readonly numClasses: number,
  ) {}

  static async create(exported: OnnxExport, numClasses: number): Promise<OnnxClassifier> {
    const rt = await loadOnnxRuntime();
    if ('error' in rt) throw new Error(rt.error);
    const session = await rt.ort.InferenceSession.create(exported.bytes, SINGLE_THREAD_SESSION);
    return new OnnxClassifier(rt.ort, session, exported, numClasses);
  }

  async predictProba(x: Int32Array | Float32Array, rows: number): Promise<Float32Array> {
    const k = this.numClasses;
    const out = new Float32Array(rows * k);
    if (rows === 0) return out;
    const layout = this.exported.input;
    if (layout.kind === 'fixed') {
      const type = x instanceof Int32Array ? 'int32' : 'float32';
      const cols = x.length / rows;
      for (let start = 0; start < rows; start += FIXED_CHUNK_ROWS) {
        const m = Math.min(FIXED_CHUNK_ROWS, rows - start);
        const res = await this.session.run({ input: new this.ort.Tensor(type, x.subarray(start * cols, (start + m) * cols), [m, cols]) });
        out.set(res.probabilities.data as Float32Array, start * k);
      }
      return out;
    }
    if (!(x instanceof Int32Array)) throw new Error('a trimmed graph takes character ids');
    for (const chunk of packTrimmed(x, rows, layout, TRIM_CHUNK_ROWS)) {
      const res = await this.session.run({ input: new this.ort.Tensor('int32', chunk.data, [chunk.rows.length, chunk.cols]) });
      const p = res.probabilities.data as Float32Array;
      for (let i = 0; i < chunk.rows.length; i++) out.set(p.subarray(i * k, (i + 1) * k), chunk.rows[i] * k);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
