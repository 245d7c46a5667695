import { looksLikeKdd, mostLines, openKddReader } from './kdd-lines';
import { tabularLayout } from './layout';
import type { FormatReader } from './reader';

/** NSL-KDD (KDDTrain+, KDDTest+): the 41 KDD features, the label, and a difficulty 0–21. */
export const nslKddReader: FormatReader = {
  formats: ['nsl-kdd'],
  detect: (_file, lines, forced) =>
    forced || (looksLikeKdd(lines, 43) && mostLines(lines, (l) => /^\d+$/.test(l.slice(l.lastIndexOf(',') + 1))))
      ? tabularLayout('nsl-kdd', [], false, lines.slice(0, 20))
      : undefined,
  open: (req) => openKddReader(req, 'nsl-kdd'),
};
