import { openLineReader } from './line-reader';
import type { FormatReader } from './reader';
import { detectTextList, textListParser } from './text-list';

/**
 * 'domains': a domain list (one per line; `rank,domain` as Alexa ships; `domain,family` as DGA feeds do)
 * or a CSV with a domain/host/query column. Names are normalised to lower-case ASCII (punycode).
 */
export const domainsReader: FormatReader = {
  formats: ['domains'],
  detect(file, lines, forced) {
    const layout = detectTextList(file, lines, forced === 'domains' ? 'domains' : undefined);
    return layout?.format === 'domains' ? layout : undefined;
  },
  open: (req) => openLineReader(req, textListParser(req.source.file, req.layout, req.options)),
};
