import type { ModelDef, ParamValue } from '../../models/types';
import { mulberry32 } from '../../models/lib/random';
import type { SweepDimension, SweepSpace } from '../../shared/sweep';
import { TRAIN_DEFAULTS } from '../train/params';

/** Training-loop keys every gradient-trained architecture takes, whatever its own defaults list. */
const LOOP_KEYS = new Set(['epochs', 'batchSize', 'learningRate', 'optimizer', 'classWeight', 'patience', ...Object.keys(TRAIN_DEFAULTS)]);

/**
 * Whether `def` reads `key`: its own defaults (units, filters, dropout, embeddingDim, ...) or the training
 * loop's keys, minus those it declares unused (a forest has no learning rate). A key no chosen architecture
 * reads is refused up front, so a typo does not silently run the same trial N times.
 */
export function accepts(def: ModelDef, key: string): boolean {
  if ((def.unusedParams as readonly string[] | undefined)?.includes(key)) return false;
  return key in def.defaults || LOOP_KEYS.has(key);
}

export interface PlannedTrial {
  modelId: string;
  /** The searched values (only keys this architecture reads). */
  point: Record<string, ParamValue>;
}

/** A width for a layer list (dnnN's `units`) means every layer that wide, keeping the depth. */
function fitToDefault(def: ModelDef, key: string, v: ParamValue): ParamValue {
  const d = def.defaults[key];
  return Array.isArray(d) && typeof v === 'number' ? d.map(() => v) : v;
}

function sample(dim: SweepDimension, rand: () => number): ParamValue {
  if ('values' in dim) return dim.values[Math.floor(rand() * dim.values.length)];
  const u = rand();
  const x = dim.scale === 'log' ? Math.exp(Math.log(dim.min) + u * (Math.log(dim.max) - Math.log(dim.min))) : dim.min + u * (dim.max - dim.min);
  // Four significant digits: a learning rate of 0.003127 reads better than 0.0031269874 and loses nothing.
  return dim.integer ? Math.round(x) : Number(x.toPrecision(4));
}

export function checkSpace(space: SweepSpace, defs: readonly ModelDef[], search: 'grid' | 'random'): void {
  const keys = Object.keys(space);
  if (keys.length === 0) throw new Error('the search space is empty: give at least one hyperparameter to vary');
  for (const k of keys) {
    const dim = space[k];
    if (!defs.some((d) => accepts(d, k))) throw new Error(`no chosen architecture reads '${k}' (${defs.map((d) => d.id).join(', ')})`);
    if ('values' in dim) continue;
    if (search === 'grid') throw new Error(`'${k}' is a range: a grid needs a list of values (or use random search)`);
    if (!(dim.max >= dim.min)) throw new Error(`'${k}': max ${dim.max} is below min ${dim.min}`);
    if (dim.scale === 'log' && !(dim.min > 0)) throw new Error(`'${k}': a log range needs min > 0, got ${dim.min}`);
  }
}

function gridOf(def: ModelDef, space: SweepSpace): PlannedTrial[] {
  const keys = Object.keys(space).filter((k) => accepts(def, k));
  let points: Record<string, ParamValue>[] = [{}];
  for (const k of keys) {
    const values = (space[k] as { values: ParamValue[] }).values;
    points = points.flatMap((p) => values.map((v) => ({ ...p, [k]: fitToDefault(def, k, v) })));
  }
  return points.map((point) => ({ modelId: def.id, point }));
}

/**
 * The trials to run, in order. Grid: every combination per architecture, taken round-robin over the
 * architectures up to the budget (so a cut grid still covers each one). Random: seeded draws, architecture
 * by turn, repeats skipped — the same seed plans the same sweep.
 */
export function planTrials(space: SweepSpace, defs: readonly ModelDef[], search: 'grid' | 'random', budget: number, seed: number): PlannedTrial[] {
  checkSpace(space, defs, search);
  const out: PlannedTrial[] = [];
  if (search === 'grid') {
    const grids = defs.map((d) => gridOf(d, space));
    for (let i = 0; out.length < budget && grids.some((g) => i < g.length); i++) {
      for (const g of grids) if (i < g.length && out.length < budget) out.push(g[i]);
    }
    return out;
  }
  const rand = mulberry32(seed);
  const seen = new Set<string>();
  for (let attempt = 0; out.length < budget && attempt < budget * 20; attempt++) {
    const def = defs[out.length % defs.length];
    const point: Record<string, ParamValue> = {};
    for (const k of Object.keys(space)) if (accepts(def, k)) point[k] = fitToDefault(def, k, sample(space[k], rand));
    const key = `${def.id} ${JSON.stringify(point)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ modelId: def.id, point });
  }
  return out;
}
