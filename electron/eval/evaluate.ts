import { classificationReport } from './classification';
import { confusionCounts, normalizeRows } from './confusion';
import { DISPLAY_POINTS, macroOf, missingReason, prCurve, rocCurve, type CurveLabel } from './curves';
import { EvalError } from './errors';
import { idsRates } from './ids';
import { argmaxRows } from './predict';
import { EVAL_RESULT_VERSION, type EvalResult, type EvalSplit } from '../../shared/eval';
import { thresholdSteps, type Steps } from './steps';
import { tprAtFpr } from './tpr-at-fpr';
import { validateInputs, type EvalInputs } from './validate';

export const DEFAULT_FPR_TARGETS: readonly number[] = [0.001, 0.01];

export interface EvaluateOptions {
  /** FPR budgets for tprAtFpr; default 0.1 % and 1 %. */
  fprTargets?: readonly number[];
  /** Display points per curve; AUC / AP / operating points always use the full curve. */
  maxCurvePoints?: number;
}

/**
 * Scores one model on one test set. Predictions are the arg-max of each row (ties → lower index).
 *
 * Ranking metrics:
 *  - K = 2: one binary curve. The positive class is the non-normal one when normalIndex is given, else
 *    class 1; its score is proba[:, positive].
 *  - K > 2: one-vs-rest per class (score proba[:, c]) with macro AUC / AP over the classes where they exist,
 *    plus, when a normal class is given, "any attack" ranked by 1 − p(normal), which is the curve the
 *    operating points (TPR at FPR) are read from.
 * Sorting: each curve sorts its n scores once (see steps.ts); nothing else is super-linear.
 */
export function evaluate(inp: EvalInputs & { split: EvalSplit }, opts: EvaluateOptions = {}): EvalResult {
  const { rows, k } = validateInputs(inp);
  const { yTrue, proba, classes, normalIndex } = inp;
  const targets = opts.fprTargets ?? DEFAULT_FPR_TARGETS;
  for (const t of targets) if (!(t >= 0 && t <= 1)) throw new EvalError('fprTargets', undefined, `${t} is not a rate in [0, 1]`);
  const maxPoints = opts.maxCurvePoints ?? DISPLAY_POINTS;
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new EvalError('maxCurvePoints', undefined, `must be an integer ≥ 2, got ${maxPoints}`);

  const yPred = argmaxRows(proba, k);
  const counts = confusionCounts(yTrue, yPred, k);
  const report = classificationReport(counts, classes);
  const ids = idsRates(counts, normalIndex);

  const classSteps = (c: number): Steps =>
    thresholdSteps(rows, (i) => proba[i * k + c], (i) => yTrue[i] === c);
  const classLabel = (c: number): CurveLabel => ({ basis: 'class', positive: classes[c] });

  let roc: EvalResult['roc'];
  let pr: EvalResult['pr'];
  let operating: { steps: Steps; label: CurveLabel; basis: 'binary' | 'attack-vs-normal' } | null = null;

  if (k === 2) {
    const pos = normalIndex === null ? 1 : 1 - normalIndex;
    const steps = classSteps(pos);
    const rc = rocCurve(steps, classLabel(pos), maxPoints);
    const pc = prCurve(steps, classLabel(pos), maxPoints);
    roc = { mode: 'binary', auc: rc.auc, reason: rc.reason, curves: [rc], attackVsNormal: null };
    pr = { mode: 'binary', averagePrecision: pc.averagePrecision, reason: pc.reason, curves: [pc], attackVsNormal: null };
    operating = { steps, label: classLabel(pos), basis: 'binary' };
  } else {
    const rocCurves = [];
    const prCurves = [];
    for (let c = 0; c < k; c++) {
      const steps = classSteps(c);
      rocCurves.push(rocCurve(steps, classLabel(c), maxPoints));
      prCurves.push(prCurve(steps, classLabel(c), maxPoints));
    }
    let attackRoc = null;
    let attackPr = null;
    if (normalIndex !== null) {
      const steps = thresholdSteps(rows, (i) => 1 - proba[i * k + normalIndex], (i) => yTrue[i] !== normalIndex);
      const label: CurveLabel = { basis: 'attack-vs-normal', positive: 'attack' };
      attackRoc = rocCurve(steps, label, maxPoints);
      attackPr = prCurve(steps, label, maxPoints);
      operating = { steps, label, basis: 'attack-vs-normal' };
    }
    const macroAuc = macroOf(rocCurves.map((c) => c.auc), classes, 'AUC');
    const macroAp = macroOf(prCurves.map((c) => c.averagePrecision), classes, 'average precision');
    roc = { mode: 'one-vs-rest', auc: macroAuc.value, reason: macroAuc.reason, curves: rocCurves, attackVsNormal: attackRoc };
    pr = { mode: 'one-vs-rest', averagePrecision: macroAp.value, reason: macroAp.reason, curves: prCurves, attackVsNormal: attackPr };
  }

  const nullPoints = targets.map((targetFpr) => ({ targetFpr, tpr: null, fpr: null, threshold: null, truePositives: null, falsePositives: null }));
  const tpr: EvalResult['tprAtFpr'] =
    operating === null
      ? { basis: null, reason: 'multi-class without a normal class: no single attack-vs-normal curve to read operating points from', points: nullPoints }
      : { basis: operating.basis, reason: missingReason(operating.steps, operating.label, true), points: tprAtFpr(operating.steps, targets) };

  return {
    version: EVAL_RESULT_VERSION,
    split: { kind: inp.split.kind, description: inp.split.description },
    rows,
    classes: [...classes],
    normalClass: normalIndex === null ? null : classes[normalIndex],
    accuracy: report.accuracy,
    perClass: report.perClass,
    macro: report.macro,
    weighted: report.weighted,
    confusion: { counts, normalized: normalizeRows(counts) },
    detectionRate: ids.detectionRate,
    falseAlarmRate: ids.falseAlarmRate,
    roc,
    pr,
    tprAtFpr: tpr,
  };
}
