import type { DatasetRow } from '../../shared/domain';
import type { Db } from './db';

interface DatasetDbRow {
  id: string;
  name: string;
  format: string;
  created_at: number;
  rows: number;
  summary_json: string;
}

export function listDatasets(db: Db): DatasetRow[] {
  const rows = db
    .prepare('SELECT id, name, format, created_at, rows, summary_json FROM datasets ORDER BY created_at DESC')
    .all() as DatasetDbRow[];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    format: r.format,
    createdAt: r.created_at,
    rows: r.rows,
    summary: JSON.parse(r.summary_json) as unknown,
  }));
}
