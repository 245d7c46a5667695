import { parse } from 'csv-parse/sync';

/** Fields of one CSV record; unquoted lines take a fast split, quoted ones go through csv-parse (RFC 4180). */
export function splitCsv(line: string, delimiter = ','): string[] | { error: string } {
  if (line.indexOf('"') < 0) return line.split(delimiter);
  try {
    const rows = parse(line, { delimiter, relax_column_count: true, bom: false }) as string[][];
    if (rows.length !== 1) return { error: `CSV quoting error: ${rows.length} records on one line` };
    return rows[0];
  } catch (e) {
    return { error: `CSV quoting error: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** An odd number of quotes means a quoted field runs onto the next physical line. */
export function quoteOpen(line: string): boolean {
  let n = 0;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) n++;
  return (n & 1) === 1;
}

export function isNumberToken(s: string): boolean {
  return s.length > 0 && s.trim() !== '' && Number.isFinite(+s);
}
