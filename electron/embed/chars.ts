/** What each vocabulary id stands for (see electron/data/featurize/charseq.ts): 0 pad, 1 unknown, 2..96 = ASCII 32..126. */
export function charOf(id: number): string {
  if (id === 0) return '␀';
  if (id === 1) return '\uFFFD';
  return String.fromCharCode(id + 30);
}

export const CHAR_KINDS = ['a–z', 'A–Z', 'digit', 'URL delimiter', 'other symbol', 'space', 'padding / unknown'] as const;

/** A colouring for character maps: do letters, digits and URL delimiters form their own regions? */
export function charKind(id: number): (typeof CHAR_KINDS)[number] {
  if (id < 2) return 'padding / unknown';
  const c = String.fromCharCode(id + 30);
  if (c >= 'a' && c <= 'z') return 'a–z';
  if (c >= 'A' && c <= 'Z') return 'A–Z';
  if (c >= '0' && c <= '9') return 'digit';
  if (c === ' ') return 'space';
  if ('./:?=&#%-_~+@'.includes(c)) return 'URL delimiter';
  return 'other symbol';
}
