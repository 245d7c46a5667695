import { ContractError } from '../../shared/errors';
import type { Rule, RuleKind } from '../../shared/triage';
import type { Db } from '../store/db';
import { newId } from '../ids';
import { hostOf } from '../scan/host';
import { compileRules, registeredDomain, ruleProblem } from './rules';

interface RuleDbRow {
  id: string;
  kind: string;
  pattern: string;
  note: string;
  enabled: number;
  created_at: number;
}

const toRule = (r: RuleDbRow): Rule => ({ id: r.id, kind: r.kind as RuleKind, pattern: r.pattern, note: r.note, enabled: r.enabled === 1, createdAt: r.created_at });

export function listRules(db: Db): Rule[] {
  return (db.prepare('SELECT * FROM suppression_rules ORDER BY created_at, id').all() as RuleDbRow[]).map(toRule);
}

export function getRule(db: Db, id: string): Rule | undefined {
  const r = db.prepare('SELECT * FROM suppression_rules WHERE id = ?').get(id) as RuleDbRow | undefined;
  return r ? toRule(r) : undefined;
}

/** A registered-domain rule stores the registered domain itself, whatever host or URL it was made from. */
function normalisePattern(kind: RuleKind, pattern: string): string {
  const problem = ruleProblem(kind, pattern);
  if (problem) throw new ContractError('BAD_INPUT', `${kind} rule "${pattern.slice(0, 80)}": ${problem}`);
  return kind === 'registered' ? registeredDomain(hostOf(pattern.trim())!) : pattern.trim();
}

export function addRule(db: Db, r: { kind: RuleKind; pattern: string; note?: string | undefined }): Rule {
  const id = newId('rule');
  db.prepare('INSERT INTO suppression_rules (id, kind, pattern, note, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)').run(id, r.kind, normalisePattern(r.kind, r.pattern), r.note ?? '', Date.now());
  return getRule(db, id)!;
}

export function updateRule(db: Db, id: string, patch: { kind?: RuleKind | undefined; pattern?: string | undefined; note?: string | undefined; enabled?: boolean | undefined }): Rule {
  const old = getRule(db, id);
  if (!old) throw new ContractError('NOT_FOUND', `rule '${id}' does not exist`);
  const kind = patch.kind ?? old.kind;
  const pattern = normalisePattern(kind, patch.pattern ?? old.pattern);
  db.prepare('UPDATE suppression_rules SET kind = ?, pattern = ?, note = ?, enabled = ? WHERE id = ?').run(kind, pattern, patch.note ?? old.note, (patch.enabled ?? old.enabled) ? 1 : 0, id);
  return getRule(db, id)!;
}

/** Removing a rule un-suppresses what it suppressed: its results come back into the queue. */
export function deleteRule(db: Db, id: string): boolean {
  return db.transaction(() => {
    db.prepare('UPDATE scan_results SET suppressed_by = NULL WHERE suppressed_by = ?').run(id);
    return db.prepare('DELETE FROM suppression_rules WHERE id = ?').run(id).changes > 0;
  })();
}

/**
 * Re-applies the current rules to a stored scan (after a rule was added, edited or removed), in pages so a
 * million-result scan never sits in memory. Returns how many results changed.
 */
export function applyRules(db: Db, scanId: string): number {
  const match = compileRules(listRules(db));
  const page = db.prepare('SELECT url, suppressed_by FROM scan_results WHERE scan_id = ? AND url > ? ORDER BY url LIMIT 2000');
  const set = db.prepare('UPDATE scan_results SET suppressed_by = ? WHERE scan_id = ? AND url = ?');
  let after = '';
  let changed = 0;
  for (;;) {
    const rows = page.all(scanId, after) as { url: string; suppressed_by: string | null }[];
    if (!rows.length) break;
    db.transaction(() => {
      for (const r of rows) {
        const by = match(r.url);
        if (by !== r.suppressed_by) {
          set.run(by, scanId, r.url);
          changed++;
        }
      }
    })();
    after = rows[rows.length - 1].url;
  }
  return changed;
}

export function suppressedCounts(db: Db, scanId: string): Record<string, number> {
  const rows = db.prepare('SELECT suppressed_by AS rule, count(*) AS n FROM scan_results WHERE scan_id = ? AND suppressed_by IS NOT NULL GROUP BY suppressed_by').all(scanId) as { rule: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.rule, r.n]));
}
