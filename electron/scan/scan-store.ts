import type { ScanInfo, ScanResultRow, ScanStats } from '../../shared/scan';
import type { Db } from '../store/db';

export const EMPTY_STATS: ScanStats = {
  lines: 0,
  scanned: 0,
  duplicates: 0,
  skipped: { empty: 0, notUrl: 0, tooLong: 0, binary: 0 },
  elapsedMs: 0,
  urlsPerSecond: 0,
};

export interface Cursor {
  file: number;
  line: number;
}

interface ScanDbRow {
  id: string;
  name: string;
  run_id: string | null;
  status: string;
  created_at: number;
  files_json: string;
  stats_json: string;
  cursor_json: string;
  job_id: string | null;
  error: string | null;
  threshold: number | null;
}

export function insertScan(db: Db, s: { id: string; name: string; runId: string; files: string[]; threshold: number }): void {
  db.prepare(
    `INSERT INTO scans (id, name, run_id, status, created_at, files_json, stats_json, cursor_json, owner_pid) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
  ).run(s.id, s.name, s.runId, Date.now(), JSON.stringify(s.files), JSON.stringify({ ...EMPTY_STATS, threshold: s.threshold }), JSON.stringify({ file: 0, line: 0 }), process.pid);
}

export function setScanState(db: Db, id: string, status: string, fields: { jobId?: string; error?: string | null } = {}): void {
  // Whoever moves a scan to queued / running (a resume from another front door) owns it from then on.
  const owner = status === 'queued' || status === 'running' ? process.pid : null;
  db.prepare('UPDATE scans SET status = ?, job_id = COALESCE(?, job_id), error = ?, owner_pid = COALESCE(?, owner_pid) WHERE id = ?').run(
    status,
    fields.jobId ?? null,
    fields.error ?? null,
    owner,
    id,
  );
}

export function setScanThreshold(db: Db, id: string, threshold: number): void {
  const row = db.prepare('SELECT stats_json FROM scans WHERE id = ?').get(id) as { stats_json: string } | undefined;
  if (!row) return;
  db.prepare('UPDATE scans SET stats_json = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row.stats_json), threshold }), id);
}

function toInfo(db: Db, r: ScanDbRow): ScanInfo {
  const raw = JSON.parse(r.stats_json) as ScanStats & { threshold?: number };
  const { threshold = 0.5, ...stats } = raw;
  const run = r.run_id ? (db.prepare('SELECT model_id FROM runs WHERE id = ?').get(r.run_id) as { model_id: string } | undefined) : undefined;
  return {
    id: r.id,
    name: r.name,
    runId: r.run_id,
    modelId: run?.model_id ?? null,
    status: r.status as ScanInfo['status'],
    createdAt: r.created_at,
    files: JSON.parse(r.files_json) as string[],
    threshold,
    stats: { ...EMPTY_STATS, ...stats },
    cursor: JSON.parse(r.cursor_json) as Cursor,
    flagged: countAbove(db, r.id, threshold),
    suppressed: countSuppressed(db, r.id),
    jobId: r.job_id,
    error: r.error,
  };
}

export function getScan(db: Db, id: string): ScanInfo | undefined {
  const r = db.prepare('SELECT * FROM scans WHERE id = ?').get(id) as ScanDbRow | undefined;
  return r ? toInfo(db, r) : undefined;
}

export function listScans(db: Db): ScanInfo[] {
  return (db.prepare('SELECT * FROM scans ORDER BY created_at DESC').all() as ScanDbRow[]).map((r) => toInfo(db, r));
}

/** Flagged results: at or above the score, and not suppressed by a rule (those are counted apart). */
export function countAbove(db: Db, scanId: string, minScore: number): number {
  return (db.prepare('SELECT count(*) AS n FROM scan_results WHERE scan_id = ? AND score >= ? AND suppressed_by IS NULL').get(scanId, minScore) as { n: number }).n;
}

export function countSuppressed(db: Db, scanId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM scan_results WHERE scan_id = ? AND suppressed_by IS NOT NULL').get(scanId) as { n: number }).n;
}

export function readResults(db: Db, scanId: string, files: string[], q: { offset: number; limit: number; minScore: number }): { total: number; rows: ScanResultRow[] } {
  const rows = db
    .prepare(
      `SELECT r.url, r.score, r.count, r.file_index, r.line, r.suppressed_by, v.verdict FROM scan_results r LEFT JOIN verdicts v ON v.item = r.url
       WHERE r.scan_id = ? AND r.score >= ? ORDER BY r.score DESC, r.url LIMIT ? OFFSET ?`,
    )
    .all(scanId, q.minScore, q.limit, q.offset) as { url: string; score: number; count: number; file_index: number; line: number; suppressed_by: string | null; verdict: ScanResultRow['verdict'] }[];
  // Suppressed results are listed (marked) like any other: the total counts them too.
  const total = (db.prepare('SELECT count(*) AS n FROM scan_results WHERE scan_id = ? AND score >= ?').get(scanId, q.minScore) as { n: number }).n;
  return {
    total,
    rows: rows.map((r) => ({ url: r.url, score: r.score, count: r.count, file: files[r.file_index] ?? '', line: r.line, verdict: r.verdict, suppressedBy: r.suppressed_by })),
  };
}

/** The worker's side: one prepared set of statements, one transaction per batch (results + where it got to). */
export class ScanWriter {
  private readonly exists;
  private readonly insert;
  private readonly bump;
  private readonly progress;

  constructor(private readonly db: Db, private readonly scanId: string) {
    this.exists = db.prepare('SELECT 1 FROM scan_results WHERE scan_id = ? AND url = ?').pluck();
    this.insert = db.prepare('INSERT INTO scan_results (scan_id, url, score, file_index, line, suppressed_by, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.bump = db.prepare('UPDATE scan_results SET count = count + 1 WHERE scan_id = ? AND url = ?');
    this.progress = db.prepare('UPDATE scans SET stats_json = ?, cursor_json = ? WHERE id = ?');
  }

  seen(url: string): boolean {
    return this.exists.get(this.scanId, url) !== undefined;
  }

  commit(scored: { url: string; score: number; file: number; line: number; suppressedBy?: string | null; detail?: string | null }[], repeats: string[], stats: ScanStats & { threshold: number }, cursor: Cursor): void {
    this.db.transaction(() => {
      for (const s of scored) this.insert.run(this.scanId, s.url, s.score, s.file, s.line, s.suppressedBy ?? null, s.detail ?? null);
      for (const u of repeats) this.bump.run(this.scanId, u);
      this.progress.run(JSON.stringify(stats), JSON.stringify(cursor), this.scanId);
    })();
  }
}

/** What a result keeps beside its score (a conn 4-tuple: its behaviour record with the flows behind each letter). */
export function resultDetail(db: Db, scanId: string, item: string): { line: number; fileIndex: number; detail: string | null } | undefined {
  const r = db.prepare('SELECT line, file_index, detail FROM scan_results WHERE scan_id = ? AND url = ?').get(scanId, item) as { line: number; file_index: number; detail: string | null } | undefined;
  return r ? { line: r.line, fileIndex: r.file_index, detail: r.detail } : undefined;
}
