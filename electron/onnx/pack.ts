import type { OnnxInputLayout } from './from-layers';

/** One run's worth of rows, packed for a trimmed graph; `rows[i]` is the caller's row that packed row i holds. */
export interface PackedChunk {
  data: Int32Array;
  rows: Int32Array;
  cols: number;
}

/** Characters before the right padding (id 0 only pads; unknown characters are 1). */
export function rowLength(x: Int32Array, offset: number, steps: number): number {
  let n = steps;
  while (n > 0 && x[offset + n - 1] === 0) n--;
  return n;
}

/**
 * Sorts rows by length and cuts them into chunks, each packed with only the columns its longest row needs:
 * `left` outside ids, the computed positions (its longest row + `left`, at most the full length), then the
 * trailing window (`right`): the padding id inside the sequence, the outside id past its end.
 */
export function packTrimmed(x: Int32Array, rows: number, layout: Extract<OnnxInputLayout, { kind: 'trimmed' }>, chunkRows: number): PackedChunk[] {
  const { steps, left, right, outsideId } = layout;
  const lengths = new Int32Array(rows);
  for (let r = 0; r < rows; r++) lengths[r] = rowLength(x, r * steps, steps);
  const order = Int32Array.from({ length: rows }, (_, i) => i).sort((a, b) => lengths[a] - lengths[b]);
  const chunks: PackedChunk[] = [];
  for (let start = 0; start < rows; start += chunkRows) {
    const ids = order.subarray(start, Math.min(rows, start + chunkRows));
    const longest = lengths[ids[ids.length - 1]];
    const computed = Math.min(steps, longest + left);
    const cols = left + computed + right;
    const data = new Int32Array(ids.length * cols);
    for (let i = 0; i < ids.length; i++) {
      const base = i * cols;
      const src = ids[i] * steps;
      for (let c = 0; c < cols; c++) {
        const u = c - left;
        data[base + c] = u < 0 || u >= steps ? outsideId : x[src + u];
      }
    }
    chunks.push({ data, rows: Int32Array.from(ids), cols });
  }
  return chunks;
}
