import * as tf from '@tensorflow/tfjs';
import type { Hyperparams, ModelSpec, ParamValue } from '../types';
import { makeSeeder, type Seeder } from './random';
import { SeededDropout } from './layers';
import { SeededOrthogonal } from './orthogonal';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** A spec's overrides over a model's defaults. */
export function mergeParams(defaults: Hyperparams, overrides?: Partial<Hyperparams>): Hyperparams {
  const out: Hyperparams = { ...defaults };
  for (const [k, v] of Object.entries(overrides ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

export function num(p: Hyperparams, key: string): number {
  const v: ParamValue | undefined = p[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`hyperparameter '${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function int(p: Hyperparams, key: string, min = 1): number {
  const v = num(p, key);
  if (!Number.isInteger(v) || v < min) throw new Error(`hyperparameter '${key}' must be an integer >= ${min}, got ${v}`);
  return v;
}

export function intList(p: Hyperparams, key: string): number[] {
  const v = p[key];
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((u) => Number.isInteger(u) && u > 0)) {
    throw new Error(`hyperparameter '${key}' must be a non-empty list of positive integers, got ${JSON.stringify(v)}`);
  }
  return list;
}

export function rate(p: Hyperparams, key: string): number {
  const v = num(p, key);
  if (v < 0 || v >= 1) throw new Error(`hyperparameter '${key}' must be in [0, 1), got ${v}`);
  return v;
}

/** Everything a builder needs, checked once. */
export interface BuildContext {
  p: Hyperparams;
  seeds: Seeder;
  numClasses: number;
}

export function context(spec: ModelSpec, defaults: Hyperparams): BuildContext {
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 2) {
    throw new Error(`numClasses must be an integer >= 2, got ${spec.numClasses}`);
  }
  return { p: mergeParams(defaults, spec.params), seeds: makeSeeder(spec.seed), numClasses: spec.numClasses };
}

export function recordsInput(spec: ModelSpec): tf.SymbolicTensor {
  const n = spec.numFeatures;
  if (!Number.isInteger(n) || (n as number) < 1) throw new Error(`records models need numFeatures >= 1, got ${n}`);
  return tf.input({ shape: [n as number], name: 'features' });
}

export function sequencesInput(spec: ModelSpec): { input: tf.SymbolicTensor; vocabSize: number; maxLen: number } {
  const { vocabSize, maxLen } = spec;
  if (!Number.isInteger(vocabSize) || (vocabSize as number) < 2) throw new Error(`sequence models need vocabSize >= 2, got ${vocabSize}`);
  if (!Number.isInteger(maxLen) || (maxLen as number) < 1) throw new Error(`sequence models need maxLen >= 1, got ${maxLen}`);
  return { input: tf.input({ shape: [maxLen as number], dtype: 'int32', name: 'chars' }), vocabSize: vocabSize as number, maxLen: maxLen as number };
}

export function glorot(seeds: Seeder): Initializer {
  return tf.initializers.glorotUniform({ seed: seeds.next() });
}

export function orthogonal(seeds: Seeder): Initializer {
  return new SeededOrthogonal({ gain: 1, seed: seeds.next() }) as unknown as Initializer;
}

export function dense(ctx: BuildContext, units: number, activation: 'relu' | 'elu' | 'linear', name?: string): tf.layers.Layer {
  return tf.layers.dense({ units, activation, kernelInitializer: glorot(ctx.seeds), name });
}

export function dropout(ctx: BuildContext, r: number): tf.layers.Layer {
  return new SeededDropout({ rate: r, seed: ctx.seeds.next() ?? null });
}

/** Binary → one sigmoid unit (p of class 1); multi-class → softmax over numClasses. */
export function outputHead(ctx: BuildContext, x: tf.SymbolicTensor): tf.SymbolicTensor {
  const binary = ctx.numClasses === 2;
  return tf.layers
    .dense({
      units: binary ? 1 : ctx.numClasses,
      activation: binary ? 'sigmoid' : 'softmax',
      kernelInitializer: glorot(ctx.seeds),
      name: 'output',
    })
    .apply(x) as tf.SymbolicTensor;
}

export function finish(input: tf.SymbolicTensor, output: tf.SymbolicTensor, id: string): tf.LayersModel {
  return tf.model({ inputs: input, outputs: output, name: id.replace(/[^A-Za-z0-9_]/g, '_') });
}

export function apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}
