import { domainToASCII } from 'node:url';

/**
 * One domain as the workbench stores it: trimmed, lower-cased, without the root's trailing dot, and in
 * ASCII. A Unicode name becomes punycode (IDNA via node's url.domainToASCII); labels already in
 * punycode (`xn--…`) are kept exactly as written. Returns a reason string for a malformed name.
 */
export function normalizeDomain(input: string): string | { error: string } {
  let s = input.trim();
  // Only the root label's dot: `a.com..` still has an empty label and is reported.
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.length === 0) return { error: 'empty domain' };
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) {
    const ascii = domainToASCII(s);
    if (!ascii) return { error: `not a valid internationalised domain name: "${s.slice(0, 60)}"` };
    s = ascii;
  } else s = s.toLowerCase();
  if (!/^[\x21-\x7e]+$/.test(s) || s.includes('/')) return { error: `not a domain name: "${s.slice(0, 60)}"` };
  if (s.startsWith('.') || s.endsWith('.') || s.includes('..')) return { error: `empty label in "${s.slice(0, 60)}"` };
  if (s.length > 253) return { error: `domain longer than 253 characters (${s.length})` };
  return s;
}
