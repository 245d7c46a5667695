import type { Rule, RuleKind } from '../../shared/triage';
import { PUBLIC_SUFFIXES } from '../data/domains/public-suffix';
import { hostOf } from '../scan/host';

/** Longest public suffix in PUBLIC_SUFFIXES is a few labels; four covers every entry with room. */
const MAX_SUFFIX_LABELS = 4;

/**
 * The registered domain (public suffix + one label) of a host: `a.b.example.co.uk` → `example.co.uk`.
 * The suffix list is the workbench's own short one (publicsuffix.ts), so a rare suffix counts as one label.
 */
export function registeredDomain(host: string): string {
  const labels = host.split('.');
  let suffix = 1;
  for (let k = Math.min(MAX_SUFFIX_LABELS, labels.length - 1); k >= 2; k--) {
    if (PUBLIC_SUFFIXES.has(labels.slice(labels.length - k).join('.'))) {
      suffix = k;
      break;
    }
  }
  return labels.slice(Math.max(0, labels.length - suffix - 1)).join('.');
}

/** URL or domain text as rules compare it: no scheme, no leading `www.`, host lower-cased. */
function canonical(item: string): string {
  const rest = item.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '');
  const cut = rest.search(/[/?#]/);
  return cut < 0 ? rest.toLowerCase() : rest.slice(0, cut).toLowerCase() + rest.slice(cut);
}

/** A conn 4-tuple as items and rules write it: `src dst dport proto`, `*` matching anything in a field. */
function connFields(s: string): string[] {
  return s.trim().split(/[\s,]+/);
}

export const MAX_REGEX_CHARS = 500;

/** Checks a rule's pattern before it is stored; returns the reason it cannot be used, or null. */
export function ruleProblem(kind: RuleKind, pattern: string): string | null {
  if (pattern.trim() === '') return 'the pattern is empty';
  if (kind === 'regex') {
    if (pattern.length > MAX_REGEX_CHARS) return `a regular expression longer than ${MAX_REGEX_CHARS} characters`;
    try {
      new RegExp(pattern, 'i');
    } catch (e) {
      return `not a regular expression: ${(e as Error).message}`;
    }
  }
  if (kind === 'registered' && !hostOf(pattern)) return `not a domain name: "${pattern.slice(0, 60)}"`;
  if (kind === 'conn' && connFields(pattern).length !== 4) return 'a conn pattern has four fields: source, destination, destination port, protocol (* for any)';
  return null;
}

export type Matcher = (item: string) => string | null;

/** Compiles the enabled rules into one function that names the first rule an item falls under. */
export function compileRules(rules: readonly Rule[]): Matcher {
  const tests: { id: string; test: (item: string) => boolean }[] = [];
  for (const r of rules) {
    if (!r.enabled || ruleProblem(r.kind, r.pattern)) continue;
    const p = r.pattern.trim();
    if (r.kind === 'exact') {
      const want = canonical(p);
      tests.push({ id: r.id, test: (item) => canonical(item) === want });
    } else if (r.kind === 'registered') {
      const want = registeredDomain(hostOf(p)!);
      tests.push({
        id: r.id,
        test: (item) => {
          const h = hostOf(item);
          return h !== undefined && (h === want || h.endsWith(`.${want}`));
        },
      });
    } else if (r.kind === 'prefix') {
      const want = canonical(p);
      tests.push({ id: r.id, test: (item) => canonical(item).startsWith(want) });
    } else if (r.kind === 'regex') {
      const re = new RegExp(p, 'i');
      tests.push({ id: r.id, test: (item) => re.test(item) });
    } else {
      const want = connFields(p);
      tests.push({
        id: r.id,
        test: (item) => {
          const got = connFields(item);
          return got.length === 4 && want.every((w, i) => w === '*' || w.toLowerCase() === got[i].toLowerCase());
        },
      });
    }
  }
  return (item) => tests.find((t) => t.test(item))?.id ?? null;
}
