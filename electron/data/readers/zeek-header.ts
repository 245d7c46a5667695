import type { Layout } from './layout';

function zeekUnescape(s: string): string {
  return s.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The layout of a Zeek log from its `#separator`, `#fields` and `#types` lines; undefined without `#fields`. */
export function readZeekHeader(lines: string[]): Layout | undefined {
  if (!lines.length || !lines[0].startsWith('#')) return undefined;
  let separator = '\t';
  let names: string[] | undefined;
  let types: string[] | undefined;
  for (const l of lines) {
    if (!l.startsWith('#')) break;
    if (l.startsWith('#separator')) separator = zeekUnescape(l.slice('#separator'.length).trim()) || '\t';
    else if (l.startsWith('#fields')) names = l.split(separator).slice(1);
    else if (l.startsWith('#types')) types = l.split(separator).slice(1);
  }
  if (!names) return undefined;
  const sample = lines.filter((l) => !l.startsWith('#')).slice(0, 20).map((l) => l.split(separator));
  return { format: 'zeek', names, hasHeader: true, textColumn: -1, labelColumn: -1, separator, types, sample };
}
