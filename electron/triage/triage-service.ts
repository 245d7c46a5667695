import type { OpName, OpParsedRequest, OpResponse } from '../../shared/contract';
import { ContractError } from '../../shared/errors';
import type { EventHub } from '../events';
import type { JobManager } from '../jobs/manager';
import { getScan } from '../scan/scan-store';
import type { Workspace } from '../store/workspace';
import { indicatorsCsv, indicatorsJson, indicatorsStix } from './indicators';
import { addRule, applyRules, deleteRule, listRules, updateRule } from './rule-store';
import { startRetrain } from './retrain-service';
import { triageItems } from './triage-items';
import { eachVerdict, getVerdicts, listVerdicts, setVerdicts } from './verdict-store';

export type TriageOp = Extract<OpName, `triage.${string}` | `verdicts.${string}` | `rules.${string}` | 'indicators.export' | 'retrain.start'>;

type TriageHandlers = { [K in TriageOp]: (request: OpParsedRequest<K>) => Promise<OpResponse<K>> };

export interface TriageDeps {
  workspace: Workspace;
  events: EventHub;
  jobs: JobManager;
}

/** Verdicts, suppression rules, the work queue and indicator export, behind the contract. */
export function triageHandlers({ workspace, events, jobs }: TriageDeps): TriageHandlers {
  const db = workspace.db;
  const requireScan = (scanId: string) => {
    const s = getScan(db, scanId);
    if (!s) throw new ContractError('NOT_FOUND', `scan '${scanId}' does not exist`);
    return s;
  };
  const rulesChanged = () => {
    events.emit('rules.changed', {});
    events.emit('scans.changed', {});
  };
  return {
    'triage.items': async (q) => {
      const scan = requireScan(q.scanId);
      if (q.order !== 'disagree') return triageItems(db, scan, q);
      if (!q.otherScanId) throw new ContractError('BAD_INPUT', 'ordering by disagreement needs a second scan of the same files by another model (otherScanId)');
      const other = requireScan(q.otherScanId);
      if (other.id === scan.id) throw new ContractError('BAD_INPUT', 'ordering by disagreement needs a scan by another model, not the same scan');
      if (other.runId === scan.runId) throw new ContractError('BAD_INPUT', `scan '${other.name}' was scored by the same model: pick a scan by another run`);
      if (JSON.stringify(other.files) !== JSON.stringify(scan.files)) {
        throw new ContractError('BAD_INPUT', `scan '${other.name}' read other files than '${scan.name}': models disagree only on the same items`);
      }
      return triageItems(db, scan, q, other);
    },
    'verdicts.set': async ({ items, verdict, note, scanId, runId }) => {
      const count = setVerdicts(
        db,
        items.map((i) => ({ item: i.item, kind: i.kind, verdict, note, scanId, runId, score: i.score })),
      );
      events.emit('verdicts.changed', {});
      return { count };
    },
    'verdicts.get': async ({ items }) => [...getVerdicts(db, items).values()],
    'verdicts.list': async (q) => listVerdicts(db, q),
    'rules.list': async () => listRules(db),
    'rules.add': async ({ kind, pattern, note, applyTo }) => {
      if (applyTo) requireScan(applyTo);
      const rule = addRule(db, { kind, pattern, note });
      if (applyTo) applyRules(db, applyTo);
      rulesChanged();
      return rule;
    },
    'rules.update': async ({ ruleId, ...patch }) => {
      const rule = updateRule(db, ruleId, patch);
      rulesChanged();
      return rule;
    },
    'rules.delete': async ({ ruleId }) => {
      const deleted = deleteRule(db, ruleId);
      rulesChanged();
      return { deleted };
    },
    'rules.apply': async ({ scanId }) => {
      requireScan(scanId);
      const changed = applyRules(db, scanId);
      rulesChanged();
      return { changed };
    },
    'retrain.start': async ({ runId, epochs, fromWeights }) => startRetrain({ workspace, jobs, events }, { runId, epochs, fromWeights }),
    'indicators.export': async ({ format }) => {
      const rows = [...eachVerdict(db, 'malicious')];
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'csv') return { filename: `deeptriage-indicators-${stamp}.csv`, mime: 'text/csv', count: rows.length, content: indicatorsCsv(rows) };
      if (format === 'json') return { filename: `deeptriage-indicators-${stamp}.json`, mime: 'application/json', count: rows.length, content: indicatorsJson(rows) };
      const stix = indicatorsStix(rows);
      return { filename: `deeptriage-indicators-${stamp}.stix.json`, mime: 'application/stix+json;version=2.1', count: stix.count, content: stix.content };
    },
  };
}
