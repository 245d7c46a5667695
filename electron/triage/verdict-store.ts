import type { ItemKind, Verdict, VerdictRow } from '../../shared/triage';
import type { Db } from '../store/db';

interface VerdictDbRow {
  item: string;
  kind: string;
  verdict: string;
  note: string;
  updated_at: number;
  scan_id: string | null;
  run_id: string | null;
  score: number | null;
}

function toRow(r: VerdictDbRow): VerdictRow {
  return {
    item: r.item,
    kind: r.kind as ItemKind,
    verdict: r.verdict as Verdict,
    note: r.note,
    updatedAt: r.updated_at,
    scanId: r.scan_id,
    runId: r.run_id,
    score: r.score,
  };
}

export interface VerdictInput {
  item: string;
  kind: ItemKind;
  /** null clears the verdict. */
  verdict: Verdict | null;
  /** Absent keeps the stored note. */
  note?: string | undefined;
  scanId?: string | null | undefined;
  runId?: string | null | undefined;
  score?: number | null | undefined;
  updatedAt?: number | undefined;
}

/** Sets (or clears) verdicts in one transaction; a later verdict on the same item replaces the earlier one. */
export function setVerdicts(db: Db, inputs: readonly VerdictInput[]): number {
  const upsert = db.prepare(`
    INSERT INTO verdicts (item, kind, verdict, note, updated_at, scan_id, run_id, score) VALUES (@item, @kind, @verdict, COALESCE(@note, ''), @updatedAt, @scanId, @runId, @score)
    ON CONFLICT(item) DO UPDATE SET kind = excluded.kind, verdict = excluded.verdict, note = COALESCE(@note, verdicts.note),
      updated_at = excluded.updated_at, scan_id = COALESCE(excluded.scan_id, verdicts.scan_id),
      run_id = COALESCE(excluded.run_id, verdicts.run_id), score = COALESCE(excluded.score, verdicts.score)`);
  const clear = db.prepare('DELETE FROM verdicts WHERE item = ?');
  const now = Date.now();
  db.transaction(() => {
    for (const v of inputs) {
      if (v.verdict === null) clear.run(v.item);
      else
        upsert.run({
          item: v.item,
          kind: v.kind,
          verdict: v.verdict,
          note: v.note ?? null,
          updatedAt: v.updatedAt ?? now,
          scanId: v.scanId ?? null,
          runId: v.runId ?? null,
          score: v.score ?? null,
        });
    }
  })();
  return inputs.length;
}

export function getVerdicts(db: Db, items: readonly string[]): Map<string, VerdictRow> {
  const stmt = db.prepare('SELECT * FROM verdicts WHERE item = ?');
  const out = new Map<string, VerdictRow>();
  for (const it of items) {
    const r = stmt.get(it) as VerdictDbRow | undefined;
    if (r) out.set(it, toRow(r));
  }
  return out;
}

export function listVerdicts(db: Db, q: { verdict?: Verdict | undefined; kind?: ItemKind | undefined; offset: number; limit: number }): { total: number; rows: VerdictRow[] } {
  const where = ['1 = 1'];
  const args: unknown[] = [];
  if (q.verdict) {
    where.push('verdict = ?');
    args.push(q.verdict);
  }
  if (q.kind) {
    where.push('kind = ?');
    args.push(q.kind);
  }
  const w = where.join(' AND ');
  const total = (db.prepare(`SELECT count(*) AS n FROM verdicts WHERE ${w}`).get(...args) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM verdicts WHERE ${w} ORDER BY updated_at DESC, item LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as VerdictDbRow[];
  return { total, rows: rows.map(toRow) };
}

/** Every verdict, in pages, without holding them all at once. */
export function* eachVerdict(db: Db, verdict?: Verdict): Generator<VerdictRow> {
  const stmt = verdict ? db.prepare('SELECT * FROM verdicts WHERE verdict = ? ORDER BY item').iterate(verdict) : db.prepare('SELECT * FROM verdicts ORDER BY item').iterate();
  for (const r of stmt) yield toRow(r as VerdictDbRow);
}
