import { DataError } from '../errors';
import type { FormatName } from '../types';
import { READERS } from './all-readers';
import { describeLine, fieldsOf, type Layout } from './layout';
import type { FormatReader } from './reader';

/**
 * The reader and layout for a file, from its first non-blank lines: the readers are asked in turn
 * (all-readers.ts). `override` (options.format) asks only the reader of that format, which then
 * reads the header information or says why the file is not of that format.
 */
export function detectLayout(file: string, lines: string[], override?: FormatName): { reader: FormatReader; layout: Layout } {
  if (!lines.length) throw new DataError(file, undefined, 'file is empty');
  for (const reader of READERS) {
    if (override && !reader.formats.includes(override)) continue;
    const layout = reader.detect(file, lines, override);
    if (layout) return { reader, layout };
  }
  const first = lines[0];
  const data = lines.slice(0, 20);
  const counts = [...new Set(data.map((l) => fieldsOf(l).length))].join('/');
  throw new DataError(
    file,
    undefined,
    `could not detect format of ${file}: ${describeLine(first)}; the first ${data.length} lines have ${counts} fields; ` +
      'expected KDD (42/43 fields, tcp/udp/icmp in field 2), NSL-KDD, a zeek log (#fields), a CSV with a header row, or a URL/domain list',
  );
}
