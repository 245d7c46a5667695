import { formatShort } from '../../../../shared/format';
import type { SweepTrial } from '../../../../shared/sweep';

/** One vertical axis of the parallel-coordinates plot: where a trial's value sits on it, 0 (bottom) … 1 (top). */
export interface Axis {
  key: string;
  label: string;
  kind: 'numeric' | 'categorical';
  log: boolean;
  /** Tick labels with their 0…1 positions. */
  ticks: { at: number; label: string }[];
  position(t: SweepTrial): number | null;
}

const show = (v: unknown) => (Array.isArray(v) ? v.join('-') : String(v));

/** Lists (dnn's layer widths) are compared by their first width: the sweep sets them all alike. */
function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  return null;
}

function axisFor(key: string, label: string, values: (unknown | undefined)[], read: (t: SweepTrial) => unknown, higherIsBetter?: boolean): Axis {
  const present = values.filter((v) => v !== undefined && v !== null);
  const nums = present.map(numberOf);
  if (present.length > 0 && nums.every((n) => n !== null)) {
    const ns = nums as number[];
    let lo = Math.min(...ns);
    let hi = Math.max(...ns);
    // Learning rates and the like span decades: a log axis keeps 1e-4 and 1e-3 apart.
    const log = lo > 0 && hi / lo >= 30;
    const f = (x: number) => (log ? Math.log10(x) : x);
    if (lo === hi) {
      lo = lo - (lo === 0 ? 1 : Math.abs(lo) * 0.5);
      hi = hi + (hi === 0 ? 1 : Math.abs(hi) * 0.5);
    }
    const span = f(hi) - f(lo);
    // Losses: lower is better, so the axis runs upside down and "up" always means better.
    const flip = higherIsBetter === false;
    const at = (x: number) => {
      const p = (f(x) - f(lo)) / span;
      return flip ? 1 - p : p;
    };
    const distinct = [...new Set(ns)].sort((a, b) => a - b);
    const tickValues = distinct.length <= 6 ? distinct : [0, 0.25, 0.5, 0.75, 1].map((q) => (log ? 10 ** (f(lo) + q * span) : lo + q * (hi - lo)));
    // Ticks closer than a label's height would print over each other: keep the first of each cluster.
    const ticks: { at: number; label: string }[] = [];
    for (const v of tickValues) if (ticks.every((t) => Math.abs(t.at - at(v)) >= 0.07)) ticks.push({ at: at(v), label: formatShort(v) });
    return {
      key,
      label,
      kind: 'numeric',
      log,
      ticks,
      position: (t) => {
        const n = numberOf(read(t));
        return n === null ? null : at(n);
      },
    };
  }
  const cats = [...new Set(present.map(show))].sort();
  const at = (c: string) => (cats.length === 1 ? 0.5 : cats.indexOf(c) / (cats.length - 1));
  return {
    key,
    label,
    kind: 'categorical',
    log: false,
    ticks: cats.map((c) => ({ at: at(c), label: c })),
    position: (t) => {
      const v = read(t);
      return v === undefined || v === null ? null : at(show(v));
    },
  };
}

/** Architecture, each searched hyperparameter, then the validation metric — the HParams layout. */
export function buildAxes(trials: readonly SweepTrial[], dimensions: readonly string[], metric: 'valAcc' | 'valLoss'): Axis[] {
  const axes: Axis[] = [];
  if (new Set(trials.map((t) => t.modelId)).size > 1) axes.push(axisFor('model', 'architecture', trials.map((t) => t.modelId), (t) => t.modelId));
  for (const d of dimensions) axes.push(axisFor(d, d, trials.map((t) => t.point[d]), (t) => t.point[d]));
  axes.push(axisFor('metric', metric === 'valAcc' ? 'validation accuracy' : 'validation loss', trials.map((t) => t.metric ?? undefined), (t) => t.metric, metric === 'valAcc'));
  return axes;
}
