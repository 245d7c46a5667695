import type { z } from 'zod';
import type { TriagePage, TriageQuerySchema, Verdict } from '../../shared/triage';
import type { ScanInfo } from '../../shared/scan';
import type { Db } from '../store/db';
import { suppressedCounts } from './rule-store';

type Query = z.output<typeof TriageQuerySchema>;

interface ItemDbRow {
  url: string;
  score: number;
  count: number;
  file_index: number;
  line: number;
  suppressed_by: string | null;
  verdict: string | null;
  note: string | null;
  other_score?: number;
}

/**
 * A scan's results joined with the analyst's verdicts (by item, across scans) and the rule that suppressed
 * each. 'uncertain' puts the results nearest the scan's threshold first: the ones a verdict teaches most;
 * 'disagree' those two models (this scan and `other`, a scan of the same files by another run) score furthest apart.
 */
export function triageItems(db: Db, scan: ScanInfo, q: Query, other?: ScanInfo): TriagePage {
  const disagree = q.order === 'disagree';
  if (disagree && !other) throw new Error('order "disagree" needs the second model\'s scan');
  const where = ['r.scan_id = @scanId', disagree ? '(r.score >= @minScore OR o.score >= @minScore)' : 'r.score >= @minScore'];
  if (q.suppressed === 'hide') where.push('r.suppressed_by IS NULL');
  if (q.suppressed === 'only') where.push('r.suppressed_by IS NOT NULL');
  if (q.verdict === 'open') where.push('v.verdict IS NULL');
  else if (q.verdict !== 'any') where.push('v.verdict = @verdict');
  const join = disagree ? 'JOIN scan_results o ON o.scan_id = @otherId AND o.url = r.url ' : '';
  const from = `FROM scan_results r ${join}LEFT JOIN verdicts v ON v.item = r.url WHERE ${where.join(' AND ')}`;
  const order =
    q.order === 'uncertain' ? 'abs(r.score - @threshold) ASC, r.score DESC, r.url' : disagree ? 'abs(r.score - o.score) DESC, max(r.score, o.score) DESC, r.url' : 'r.score DESC, r.url';
  const args = { scanId: scan.id, minScore: q.minScore, verdict: q.verdict, threshold: scan.threshold, otherId: other?.id ?? '' };
  const named = (sql: string) => db.prepare(sql);
  const total = (named(`SELECT count(*) AS n ${from}`).get(pick(args, from)) as { n: number }).n;
  const cols = `r.url, r.score, r.count, r.file_index, r.line, r.suppressed_by, v.verdict, v.note${disagree ? ', o.score AS other_score' : ''}`;
  const rows = named(`SELECT ${cols} ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all({
    ...pick(args, from + order),
    limit: q.limit,
    offset: q.offset,
  }) as ItemDbRow[];
  const remaining = disagree
    ? (
        db
          .prepare(
            `SELECT count(*) AS n FROM scan_results r JOIN scan_results o ON o.scan_id = ? AND o.url = r.url LEFT JOIN verdicts v ON v.item = r.url
             WHERE r.scan_id = ? AND (r.score >= ? OR o.score >= ?) AND r.suppressed_by IS NULL AND v.verdict IS NULL`,
          )
          .get(other!.id, scan.id, scan.threshold, other!.threshold) as { n: number }
      ).n
    : (
        db
          .prepare('SELECT count(*) AS n FROM scan_results r LEFT JOIN verdicts v ON v.item = r.url WHERE r.scan_id = ? AND r.score >= ? AND r.suppressed_by IS NULL AND v.verdict IS NULL')
          .get(scan.id, scan.threshold) as { n: number }
      ).n;
  return {
    total,
    remaining,
    suppressedByRule: suppressedCounts(db, scan.id),
    rows: rows.map((r) => ({
      item: r.url,
      score: r.score,
      count: r.count,
      file: scan.files[r.file_index] ?? '',
      line: r.line,
      verdict: (r.verdict as Verdict | null) ?? null,
      note: r.note ?? '',
      suppressedBy: r.suppressed_by,
      ...(disagree ? { otherScore: r.other_score ?? null } : {}),
    })),
  };
}

/** better-sqlite3 refuses named parameters a statement does not use: pass only those the SQL names. */
function pick(args: Record<string, unknown>, sql: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => sql.includes(`@${k}`)));
}
