import fs from 'node:fs';
import type { Classifier } from '../../models/types';
import { readCache } from '../data/cache/cache-file';
import { writeFileAtomic } from '../store/atomic';
import { evaluate } from './evaluate';
import type { EvalResult, EvalSplit } from '../../shared/eval';

const BENIGN = new Set(['normal', 'benign', 'legit', 'legitimate']);

/** The class the IDS rates (detection, false alarm) are measured against, when the labels have one. */
export function normalIndexOf(classes: readonly string[]): number | null {
  const i = classes.findIndex((c) => BENIGN.has(c.toLowerCase()));
  return i >= 0 ? i : null;
}

export interface LabelledRows {
  x: Float32Array | Int32Array;
  y: Int32Array;
  rows: number;
  cols: number;
  /** Rows of the cache that were kept (label known to the model's classes). */
  kept: Int32Array;
  /** Rows dropped because their label is not one of the model's classes. */
  unknown: number;
}

/** Reads an encoded dataset and keeps the rows whose label the model knows (-1 = unknown to the encoder). */
export async function readLabelledRows(cachePath: string): Promise<LabelledRows> {
  const d = await readCache(cachePath);
  if (!d.labels) throw new Error(`${cachePath}: the dataset has no labels`);
  const keep: number[] = [];
  for (let i = 0; i < d.rows; i++) if (d.labels[i] >= 0) keep.push(i);
  if (keep.length === d.rows) {
    return { x: d.features, y: d.labels, rows: d.rows, cols: d.cols, kept: Int32Array.from(keep), unknown: 0 };
  }
  const Ctor = d.features instanceof Float32Array ? Float32Array : Int32Array;
  const x = new Ctor(keep.length * d.cols);
  const y = new Int32Array(keep.length);
  keep.forEach((r, i) => {
    x.set(d.features.subarray(r * d.cols, (r + 1) * d.cols), i * d.cols);
    y[i] = d.labels![r];
  });
  return { x, y, rows: keep.length, cols: d.cols, kept: Int32Array.from(keep), unknown: d.rows - keep.length };
}

/** Scores a model on an encoded dataset, keeps the probabilities on disk for later comparison and inspection. */
export async function evaluateOnCache(
  model: Classifier,
  classes: readonly string[],
  cachePath: string,
  split: EvalSplit,
  probaPath: string,
): Promise<{ result: EvalResult; unknownRows: number }> {
  const data = await readLabelledRows(cachePath);
  const proba = await model.predictProba(data.x, data.rows);
  writeFileAtomic(probaPath, new Uint8Array(proba.buffer, proba.byteOffset, proba.byteLength));
  writeFileAtomic(rowsPathFor(probaPath), new Uint8Array(data.kept.buffer, data.kept.byteOffset, data.kept.byteLength));
  const result = evaluate({ yTrue: data.y, proba, classes, normalIndex: normalIndexOf(classes), split });
  return { result, unknownRows: data.unknown };
}

/** Which rows of the dataset cache the stored probabilities belong to, in order. */
export function rowsPathFor(probaPath: string): string {
  return probaPath.replace(/\.proba\.f32$/, '.rows.i32');
}

export function readRows(rowsPath: string): Int32Array {
  const buf = fs.readFileSync(rowsPath);
  return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function readProba(probaPath: string): Float32Array {
  const buf = fs.readFileSync(probaPath);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}
