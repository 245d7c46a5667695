import { pairedBootstrap, type BootstrapOptions } from './bootstrap';
import { EvalError } from './errors';
import { discordantPairs, mcnemar, type McNemarOptions } from './mcnemar';
import { EVAL_RESULT_VERSION, type CompareResult } from '../../shared/eval';
import { checkLabels } from './validate';

export interface CompareInputs {
  yTrue: Int32Array;
  /** Arg-max predictions of model A and model B on the same rows, in the same order (see argmaxRows). */
  predA: Int32Array;
  predB: Int32Array;
  classes: readonly string[];
}

/** Paired comparison of two models on one test set: McNemar on the disagreements plus bootstrap intervals. */
export function compareModels(inp: CompareInputs, opts: { mcnemar?: McNemarOptions; bootstrap?: BootstrapOptions } = {}): CompareResult {
  const k = inp.classes.length;
  const n = inp.yTrue.length;
  if (k < 2) throw new EvalError('classes', undefined, `need at least 2 classes, got ${k}`);
  if (n === 0) throw new EvalError('yTrue', undefined, 'empty test set');
  for (const [name, p] of [['predA', inp.predA], ['predB', inp.predB]] as const) {
    if (p.length !== n) throw new EvalError(name, undefined, `has ${p.length} rows but yTrue has ${n}: not the same test set`);
    checkLabels(name, p, k);
  }
  checkLabels('yTrue', inp.yTrue, k);
  const { b, c } = discordantPairs(inp.yTrue, inp.predA, inp.predB);
  return {
    version: EVAL_RESULT_VERSION,
    rows: n,
    classes: [...inp.classes],
    mcnemar: mcnemar(b, c, opts.mcnemar),
    bootstrap: pairedBootstrap(inp.yTrue, inp.predA, inp.predB, k, opts.bootstrap),
  };
}
