import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ItemKindSchema, RuleKindSchema, VerdictSchema, type VerdictRow } from '../../shared/triage';
import type { CliCommand } from './command';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const VERDICTS_USAGE = 'usage: deeptriage verdicts export [--out FILE] [--verdict malicious|benign|unsure] | verdicts import FILE.csv (columns item,kind,verdict[,note])';

export const verdictsCommand: CliCommand = {
  summary: 'export or import the analyst verdicts (CSV: item,kind,verdict,note,updated_at,scan_id,score)',
  available: true,
  options: { out: { type: 'string' }, verdict: { type: 'string' } },
  async run({ values, positionals, json, call, io }) {
    const [action, file] = positionals;
    if (action === 'export') {
      const verdict = values.verdict === undefined ? undefined : VerdictSchema.safeParse(values.verdict);
      if (verdict && !verdict.success) throw new UsageError('--verdict must be malicious, benign or unsure');
      const rows: VerdictRow[] = [];
      for (let offset = 0; ; offset += 5000) {
        const page = await call('verdicts.list', { offset, limit: 5000, ...(verdict ? { verdict: verdict.data } : {}) });
        rows.push(...page.rows);
        if (page.rows.length < 5000) break;
      }
      const text = json
        ? JSON.stringify(rows)
        : ['item,kind,verdict,note,updated_at,scan_id,score', ...rows.map((r) => [csvCell(r.item), r.kind, r.verdict, csvCell(r.note), new Date(r.updatedAt).toISOString(), r.scanId ?? '', r.score ?? ''].join(','))].join('\n');
      if (values.out) {
        fs.writeFileSync(String(values.out), text + '\n');
        io.out(`${rows.length} verdicts → ${values.out}`);
      } else io.out(text);
      return;
    }
    if (action !== 'import' || !file) throw new UsageError(VERDICTS_USAGE);
    let records: Record<string, string>[];
    try {
      records = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
    }
    // Grouped by verdict and note so each call sets one verdict on many items, as the contract has it.
    const groups = new Map<string, { verdict: VerdictRow['verdict']; note: string; items: { item: string; kind: VerdictRow['kind'] }[] }>();
    records.forEach((r, i) => {
      const line = i + 2;
      const kind = ItemKindSchema.safeParse(r.kind ?? (/[/:?#]/.test(r.item ?? '') ? 'url' : 'domain'));
      const verdict = VerdictSchema.safeParse(r.verdict);
      if (!r.item) throw new Error(`${file}:${line}: the item is empty`);
      if (!kind.success) throw new Error(`${file}:${line}: kind "${r.kind}" is not url, domain, record or conn`);
      if (!verdict.success) throw new Error(`${file}:${line}: verdict "${r.verdict}" is not malicious, benign or unsure`);
      const key = `${verdict.data}\u0000${r.note ?? ''}`;
      const g = groups.get(key) ?? { verdict: verdict.data, note: r.note ?? '', items: [] };
      g.items.push({ item: r.item, kind: kind.data });
      groups.set(key, g);
    });
    let count = 0;
    for (const g of groups.values()) {
      for (let i = 0; i < g.items.length; i += 5000) {
        count += (await call('verdicts.set', { items: g.items.slice(i, i + 5000), verdict: g.verdict, note: g.note })).count;
      }
    }
    io.out(json ? JSON.stringify({ imported: count }) : `${count} verdicts imported from ${file}`);
  },
};

const RULES_USAGE = 'usage: deeptriage rules list | rules add KIND PATTERN [--note TEXT] (KIND: exact, registered, prefix, regex, conn) | rules remove RULE_ID | rules apply SCAN_ID';

export const rulesCommand: CliCommand = {
  summary: 'list, add, remove or re-apply suppression rules',
  available: true,
  options: { note: { type: 'string' } },
  async run({ values, positionals, json, call, io }) {
    const [action, a, b] = positionals;
    if (action === 'list' || action === undefined) {
      const rules = await call('rules.list', {});
      if (json) return io.out(JSON.stringify(rules));
      if (!rules.length) return io.out('(no rules)');
      for (const r of rules) io.out(`${r.id}  ${r.enabled ? 'on ' : 'off'}  ${r.kind.padEnd(10)}  ${r.pattern}${r.note ? `  # ${r.note}` : ''}`);
      return;
    }
    if (action === 'add') {
      const kind = RuleKindSchema.safeParse(a);
      if (!kind.success || !b) throw new UsageError(RULES_USAGE);
      const rule = await call('rules.add', { kind: kind.data, pattern: b, ...(values.note ? { note: String(values.note) } : {}) });
      return io.out(json ? JSON.stringify(rule) : `${rule.id}  ${rule.kind}  ${rule.pattern}`);
    }
    if (action === 'remove' && a) {
      const r = await call('rules.delete', { ruleId: a });
      return io.out(json ? JSON.stringify(r) : r.deleted ? `removed ${a}` : `no rule ${a}`);
    }
    if (action === 'apply' && a) {
      const r = await call('rules.apply', { scanId: a });
      return io.out(json ? JSON.stringify(r) : `${r.changed} results changed`);
    }
    throw new UsageError(RULES_USAGE);
  },
};

export const retrainCommand: CliCommand = {
  summary: 'retrain a URL / domain run on its training data plus the verdicts, and compare old and new',
  available: true,
  options: { run: { type: 'string' }, epochs: { type: 'string' }, 'from-weights': { type: 'boolean' } },
  async run(ctx) {
    const { values, json, call, io } = ctx;
    if (!values.run) throw new UsageError('usage: deeptriage retrain --run RUN_ID [--epochs N] [--from-weights]');
    const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
    if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) throw new UsageError('--epochs must be a positive integer');
    // --from-weights: the new run starts from the old run's saved weights instead of a fresh initialisation.
    const r = await call('retrain.start', { runId: String(values.run), ...(epochs ? { epochs } : {}), ...(values['from-weights'] ? { fromWeights: true } : {}) });
    const job = await waitForJob(ctx.engine, r.jobId, io);
    if (job.status === 'failed') throw new Error(job.error ?? 'training failed');
    if (json) return io.out(JSON.stringify({ ...r, status: job.status }));
    io.out(`new run ${r.runId} (${job.status}${values['from-weights'] ? ', started from the old weights' : ''}) on ${r.trainRows} training rows + ${r.verdictRows} verdicts (${r.relabelled} training rows relabelled)`);
    io.out(`compare: deeptriage compare ${values.run} ${r.runId}`);
  },
};

export const indicatorsCommand: CliCommand = {
  summary: 'export the items confirmed malicious as CSV, JSON or a STIX 2.1 bundle',
  available: true,
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run({ values, json, call, io }) {
    const format = String(values.format ?? 'stix');
    if (format !== 'csv' && format !== 'json' && format !== 'stix') throw new UsageError('usage: deeptriage indicators [--format csv|json|stix] [--out FILE]');
    const r = await call('indicators.export', { format });
    if (!values.out) return io.out(r.content.trimEnd());
    fs.writeFileSync(String(values.out), r.content);
    io.out(json ? JSON.stringify({ count: r.count, path: values.out }) : `${r.count} indicators → ${values.out}`);
  },
};
