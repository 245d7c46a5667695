import { randomUUID } from 'node:crypto';
import type { VerdictRow } from '../../shared/triage';
import { hostOf } from '../scan/host';

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** STIX patterns quote strings with single quotes; a quote or backslash inside is escaped with a backslash. */
function stixString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A URL as STIX's url:value wants it (RFC 3986: with a scheme); scanned lines often come without one. */
function absoluteUrl(u: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : `http://${u}`;
}

/** The STIX pattern for one confirmed item: a domain-name or url observation, or a network-traffic 4-tuple. */
export function stixPattern(v: Pick<VerdictRow, 'item' | 'kind'>): string | null {
  if (v.kind === 'domain') return `[domain-name:value = ${stixString(v.item)}]`;
  if (v.kind === 'url') {
    const bare = !/[/?#]/.test(v.item.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
    // A "URL" that is only a host (a domain list scanned with a URL model) is a domain indicator.
    if (bare && hostOf(v.item)) return `[domain-name:value = ${stixString(hostOf(v.item)!)}]`;
    return `[url:value = ${stixString(absoluteUrl(v.item))}]`;
  }
  if (v.kind === 'conn') {
    const [src, dst, port, proto] = v.item.trim().split(/[\s,]+/);
    const parts = [`network-traffic:dst_ref.value = ${stixString(dst)}`, `network-traffic:src_ref.value = ${stixString(src)}`];
    if (/^\d+$/.test(port)) parts.push(`network-traffic:dst_port = ${port}`);
    if (proto && proto !== '*') parts.push(`network-traffic:protocols[*] = ${stixString(proto.toLowerCase())}`);
    return `[${parts.join(' AND ')}]`;
  }
  // A dataset record has no observable to share.
  return null;
}

/** STIX timestamps: UTC with millisecond precision. */
const stixTime = (ms: number) => new Date(ms).toISOString();

export function indicatorsCsv(rows: readonly VerdictRow[]): string {
  const lines = ['indicator,kind,verdict,note,score,decided_at,scan_id'];
  for (const r of rows) lines.push([csvCell(r.item), r.kind, r.verdict, csvCell(r.note), r.score ?? '', stixTime(r.updatedAt), r.scanId ?? ''].join(','));
  return lines.join('\n') + '\n';
}

export function indicatorsJson(rows: readonly VerdictRow[], exportedAt = Date.now()): string {
  return JSON.stringify({ exportedAt: stixTime(exportedAt), count: rows.length, indicators: rows.map((r) => ({ value: r.item, kind: r.kind, note: r.note, score: r.score, decidedAt: stixTime(r.updatedAt), scanId: r.scanId })) }, null, 1);
}

/** A STIX 2.1 bundle with one indicator per confirmed URL, domain or conn 4-tuple (records are left out). */
export function indicatorsStix(rows: readonly VerdictRow[]): { content: string; count: number } {
  const objects = [];
  for (const r of rows) {
    const pattern = stixPattern(r);
    if (!pattern) continue;
    const at = stixTime(r.updatedAt);
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: at,
      modified: at,
      name: r.item.length > 200 ? `${r.item.slice(0, 200)}…` : r.item,
      ...(r.note ? { description: r.note } : {}),
      indicator_types: ['malicious-activity'],
      pattern,
      pattern_type: 'stix',
      valid_from: at,
      labels: ['deeptriage-verdict'],
    });
  }
  // STIX 2.1 bundles carry no spec_version of their own; 'objects' is left out rather than empty.
  const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, ...(objects.length ? { objects } : {}) };
  return { content: JSON.stringify(bundle, null, 1), count: objects.length };
}
