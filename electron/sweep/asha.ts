import type { SweepMetric } from '../../shared/sweep';

/**
 * Asynchronous successive halving (Li et al. 2018, "A System for Massively Parallel Hyperparameter Tuning"),
 * the stopping variant Ray Tune ships as ASHAScheduler (ray/tune/schedulers/async_hyperband.py, _Bracket),
 * with one bracket: rungs at grace·η^k epochs; a trial reaching a rung is stopped when its metric there is
 * below the (1 − 1/η) quantile of what earlier trials recorded at that rung, so only the top 1/η go on.
 * Every trial records its value at each rung it reaches, stopped or not. The metric is a reward (higher is
 * better): a loss is negated. Written out rather than imported: Ray is Python, and the rule is a few lines.
 */

/** Rung epochs, ascending: grace·η^k for k < ⌊log_η(maxEpochs / grace)⌋ + 1 (Ray's MAX_RUNGS). */
export function rungEpochs(graceEpochs: number, reductionFactor: number, maxEpochs: number): number[] {
  if (maxEpochs < graceEpochs) return [];
  const count = Math.floor(Math.log(maxEpochs / graceEpochs) / Math.log(reductionFactor) + 1e-9) + 1;
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(Math.round(graceEpochs * reductionFactor ** k));
  return out;
}

/** numpy.percentile's default (linear interpolation between closest ranks), as Ray's cutoff uses. */
export function percentile(values: readonly number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const pos = (q / 100) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** The value a trial must reach at a rung to go on; null while nothing is recorded there (nobody is stopped). */
export function rungCutoff(recorded: readonly number[], reductionFactor: number): number | null {
  const finite = recorded.filter(Number.isFinite);
  if (finite.length === 0) return null;
  return percentile(finite, (1 - 1 / reductionFactor) * 100);
}

export function reward(metric: SweepMetric, v: { valAcc: number | null; valLoss: number | null }): number | null {
  const x = metric === 'valAcc' ? v.valAcc : v.valLoss === null ? null : -v.valLoss;
  return x === null || !Number.isFinite(x) ? null : x;
}

/** What a trial's worker needs to apply the rule: each rung's cut as it stood when the trial started. */
export interface AshaTrialInput {
  metric: SweepMetric;
  rungs: { epoch: number; cutoff: number | null }[];
}

/** 'stop' when this epoch is a rung and the trial's reward there is below the rung's cut (a NaN loss stops too). */
export function ashaVerdict(a: AshaTrialInput, epoch: number, v: { valAcc: number | null; valLoss: number | null }): 'continue' | 'stop' {
  const rung = a.rungs.find((r) => r.epoch === epoch);
  if (!rung || rung.cutoff === null) return 'continue';
  const r = reward(a.metric, v);
  return r === null || r < rung.cutoff ? 'stop' : 'continue';
}

/** Rung records of a sweep, kept on the main side as trials finish. */
export class AshaRungs {
  private readonly recorded = new Map<number, number[]>();

  constructor(
    readonly metric: SweepMetric,
    readonly epochs: readonly number[],
    readonly reductionFactor: number,
  ) {}

  /** Records a finished trial's value at every rung its history reached. */
  record(history: readonly { epoch: number; valAcc: number | null; valLoss: number | null }[]): void {
    for (const e of this.epochs) {
      const h = history.find((x) => x.epoch === e);
      const r = h ? reward(this.metric, h) : null;
      if (r === null) continue;
      const list = this.recorded.get(e) ?? [];
      list.push(r);
      this.recorded.set(e, list);
    }
  }

  /** The cuts a trial of `epochs` epochs meets (rungs at or past its last epoch cannot stop it). */
  forTrial(epochs: number): AshaTrialInput {
    return {
      metric: this.metric,
      rungs: this.epochs.filter((e) => e < epochs).map((epoch) => ({ epoch, cutoff: rungCutoff(this.recorded.get(epoch) ?? [], this.reductionFactor) })),
    };
  }
}
