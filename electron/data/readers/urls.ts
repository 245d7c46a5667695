import { openLineReader } from './line-reader';
import type { FormatReader } from './reader';
import { detectTextList, textListParser } from './text-list';

/** 'urls': a URL list, one per line, or a CSV with a url/uri column (and optionally a label column). */
export const urlsReader: FormatReader = {
  formats: ['urls'],
  detect(file, lines, forced) {
    const layout = detectTextList(file, lines, forced === 'urls' ? 'urls' : undefined);
    return layout?.format === 'urls' ? layout : undefined;
  },
  open: (req) => openLineReader(req, textListParser(req.source.file, req.layout, req.options)),
};
