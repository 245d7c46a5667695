import { normalizeDomain } from '../data/domains/normalize-domain';

/** The host of a URL (or a bare domain), normalised: scheme, credentials, port and path cut. */
export function hostOf(url: string): string | undefined {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^/@]*@/, '');
  const host = rest.replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  const d = normalizeDomain(host);
  return typeof d === 'string' ? d : undefined;
}
