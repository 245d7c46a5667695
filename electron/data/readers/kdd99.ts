import { looksLikeKdd, openKddReader } from './kdd-lines';
import { tabularLayout } from './layout';
import type { FormatReader } from './reader';

/** KDD Cup '99 (kddcup.data*, corrected): 41 features and the label with a trailing dot, no header. */
export const kdd99Reader: FormatReader = {
  formats: ['kdd99'],
  detect: (_file, lines, forced) => (forced || looksLikeKdd(lines, 42) ? tabularLayout('kdd99', [], false, lines.slice(0, 20)) : undefined),
  open: (req) => openKddReader(req, 'kdd99'),
};
