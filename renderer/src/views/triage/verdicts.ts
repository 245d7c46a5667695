import type { ItemKind, Verdict } from '../../../../shared/triage';

export const VERDICT_KEYS: Record<string, Verdict> = { m: 'malicious', b: 'benign', u: 'unsure' };

/**
 * A scanned item as a verdict stores it: a conn 4-tuple (`src dst dport proto`), a record (its feature text,
 * comma- or tab-separated), text with a path or scheme a URL, a bare name a domain.
 */
export function itemKind(item: string): ItemKind {
  if (/^\S+ \S+ \d+ [a-z]+$/i.test(item)) return 'conn';
  if (/[,\t]/.test(item) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(item)) return 'record';
  return /[/:?#]/.test(item) ? 'url' : 'domain';
}

/** Keys typed into a field are text, not shortcuts. */
export function typingInField(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

/** Suggested suppression patterns for one item, per rule kind. */
export function suggestPattern(item: string, kind: 'exact' | 'registered' | 'prefix' | 'regex' | 'conn'): string {
  // A conn rule: the same destination and service from any source.
  if (kind === 'conn') {
    const f = item.split(' ');
    return f.length === 4 ? `* ${f[1]} ${f[2]} ${f[3]}` : item;
  }
  const bare = item.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = bare.replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  if (kind === 'registered') {
    // A first guess (the engine cuts at its public-suffix list when the rule is stored): two labels, three under a ccTLD's co./com./org.
    const labels = host.split('.');
    const keep = labels.length > 2 && /^(co|com|org|net|ac|gov|edu)$/.test(labels[labels.length - 2]) && labels[labels.length - 1].length === 2 ? 3 : 2;
    return labels.slice(-keep).join('.');
  }
  if (kind === 'prefix') return bare.includes('/') ? bare.replace(/[^/]*$/, '') : bare;
  if (kind === 'regex') return `^${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  return item;
}
