import type { RunRow } from '../../../shared/domain';

/** What a run's headline accuracy is: a random validation split of the training file is not a test set. */
export function accuracyLabel(r: Pick<RunRow, 'accuracySplit'>): string {
  return r.accuracySplit === 'random-split' ? 'validation accuracy' : 'test accuracy';
}
