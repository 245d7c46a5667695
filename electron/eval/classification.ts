import type { ClassScores } from '../../shared/eval';

/**
 * Classification report from a confusion matrix (rows = true, columns = predicted).
 *
 * Zero-division rule (sklearn's zero_division=0): precision of a class never predicted, recall of a class
 * with no rows, and F1 when precision + recall = 0 are all 0.
 *
 * Macro averages are the unweighted mean over the classes that occur in y_true or y_pred (sklearn's default
 * label set): a class absent from both would otherwise add a meaningless 0 and drag the mean down. Macro F1
 * is the mean of per-class F1, not the F1 of macro precision and recall. Weighted averages weight each
 * class by its support, so absent classes weigh nothing anyway.
 */

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  accuracy: number;
  perClass: ClassScores[];
  macro: Averages & { classesAveraged: number };
  weighted: Averages;
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function classificationReport(counts: number[][], classes: readonly string[]): ClassificationReport {
  const k = counts.length;
  let total = 0;
  let correct = 0;
  const predicted = new Array<number>(k).fill(0);
  const support = new Array<number>(k).fill(0);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const v = counts[r][c];
      total += v;
      support[r] += v;
      predicted[c] += v;
      if (r === c) correct += v;
    }
  }
  const perClass: ClassScores[] = [];
  const macro = { precision: 0, recall: 0, f1: 0, classesAveraged: 0 };
  const weighted = { precision: 0, recall: 0, f1: 0 };
  for (let c = 0; c < k; c++) {
    const tp = counts[c][c];
    const precision = div(tp, predicted[c]);
    const recall = div(tp, support[c]);
    const f1 = div(2 * precision * recall, precision + recall);
    perClass.push({ label: classes[c], precision, recall, f1, support: support[c], predicted: predicted[c] });
    if (support[c] > 0 || predicted[c] > 0) {
      macro.precision += precision;
      macro.recall += recall;
      macro.f1 += f1;
      macro.classesAveraged++;
    }
    weighted.precision += precision * support[c];
    weighted.recall += recall * support[c];
    weighted.f1 += f1 * support[c];
  }
  const m = macro.classesAveraged;
  return {
    accuracy: div(correct, total),
    perClass,
    macro: { precision: div(macro.precision, m), recall: div(macro.recall, m), f1: div(macro.f1, m), classesAveraged: m },
    weighted: { precision: div(weighted.precision, total), recall: div(weighted.recall, total), f1: div(weighted.f1, total) },
  };
}

/** Macro F1 alone, allocation-free, for the bootstrap's inner loop. Same rules as classificationReport. */
export function macroF1Flat(flat: ArrayLike<number>, k: number): number {
  let sum = 0;
  let m = 0;
  for (let c = 0; c < k; c++) {
    let sup = 0;
    let pred = 0;
    for (let j = 0; j < k; j++) {
      sup += flat[c * k + j];
      pred += flat[j * k + c];
    }
    if (sup === 0 && pred === 0) continue;
    m++;
    const tp = flat[c * k + c];
    // F1 = 2TP / (support + predicted), identical to 2PR/(P+R) and 0 when TP = 0.
    sum += div(2 * tp, sup + pred);
  }
  return div(sum, m);
}
