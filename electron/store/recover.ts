import fs from 'node:fs';
import path from 'node:path';
import { readCheckpoint } from '../train/run-files';
import type { Db } from './db';

/**
 * Whether a process that claimed work is still there. EPERM means it exists under another user. A recycled
 * pid can make dead work look alive until that process ends too; that errs towards leaving work alone,
 * which is the safe side while another front door (window, host, CLI) may really be driving it.
 */
export function processAlive(pid: number | null): boolean {
  if (pid === null || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Recovered {
  runs: string[];
  scans: string[];
  imports: string[];
}

/** Written into an import's folder while it runs: the folder has no dataset row until the import succeeds. */
export const IMPORT_OWNER_FILE = '.owner';

/**
 * Work left queued or running by a process that is gone becomes `interrupted` with what it had: a run keeps
 * its last epoch-end checkpoint (evaluable, scannable, exportable, resumable; without one it failed before
 * its first epoch ended), a scan keeps its results and cursor (resumable). An import stores its dataset
 * row only on success, so a dead one leaves just a folder, which is removed. Evaluations likewise store
 * their row only when complete, so there is nothing of theirs to mark.
 */
export function recoverInterrupted(dir: string, db: Db): Recovered {
  const out: Recovered = { runs: [], scans: [], imports: [] };
  const runs = db.prepare(`SELECT id, owner_pid, params_json FROM runs WHERE status IN ('queued', 'running')`).all() as {
    id: string;
    owner_pid: number | null;
    params_json: string;
  }[];
  for (const r of runs) {
    if (processAlive(r.owner_pid)) continue;
    const runDir = path.join(dir, 'runs', r.id);
    const cp = /^[A-Za-z0-9_-]+$/.test(r.id) ? readCheckpoint(runDir) : undefined;
    if (cp) {
      const planned = (JSON.parse(r.params_json) as { epochs?: number }).epochs;
      db.prepare(
        `UPDATE runs SET status = 'interrupted', history_json = ?, best_epoch = ?, weights_dir = ?, error = ? WHERE id = ?`,
      ).run(
        JSON.stringify(cp.history.slice(0, cp.epoch)),
        cp.epoch,
        runDir,
        `interrupted: its process ended after epoch ${cp.epoch}${planned ? ` of ${planned}` : ''}; the model from that epoch is kept (resume with deeptriage train --resume ${r.id})`,
        r.id,
      );
    } else {
      db.prepare(`UPDATE runs SET status = 'failed', error = ? WHERE id = ?`).run('interrupted before its first epoch ended: its process is gone', r.id);
    }
    out.runs.push(r.id);
  }
  const scans = db.prepare(`SELECT id, owner_pid FROM scans WHERE status IN ('queued', 'running')`).all() as { id: string; owner_pid: number | null }[];
  for (const s of scans) {
    if (processAlive(s.owner_pid)) continue;
    db.prepare(`UPDATE scans SET status = 'interrupted', error = ? WHERE id = ?`).run('interrupted: its process ended; the results so far are kept (resume it)', s.id);
    out.scans.push(s.id);
  }
  const datasetsDir = path.join(dir, 'datasets');
  const known = db.prepare('SELECT 1 FROM datasets WHERE id = ?');
  for (const id of fs.existsSync(datasetsDir) ? fs.readdirSync(datasetsDir) : []) {
    const owner = path.join(datasetsDir, id, IMPORT_OWNER_FILE);
    if (known.get(id) || !fs.existsSync(owner)) continue;
    if (processAlive(Number(fs.readFileSync(owner, 'utf8')))) continue;
    fs.rmSync(path.join(datasetsDir, id), { recursive: true, force: true });
    out.imports.push(id);
  }
  return out;
}
