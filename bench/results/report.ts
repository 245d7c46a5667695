// Renders docs/results.md and docs/presets.json from the rows bench/results.ts collected.
export type Hyperparams = Record<string, string | number | boolean | number[]>;

export type TaskId = 'nsl' | 'behaviour' | 'kdd99' | 'urls' | 'dga';

export interface ResultRow {
  /** nsl-kdd-5class | nsl-kdd-binary | kdd99 | behaviour | urls | dga */
  preset: string;
  modelId: string;
  /** Names the test split every figure in the row came from. */
  split: string;
  splitKind: string;
  rows: number;
  accuracy: number | null;
  macroF1: number | null;
  detectionRate: number | null;
  falseAlarmRate: number | null;
  auc: number | null;
  /** TPR at FPR ≤ 1 % on the test split, and the score threshold that gives it. */
  tprAt1: number | null;
  thresholdAt1: number | null;
  perClassRecall: Record<string, number>;
  epochsRun: number;
  bestEpoch: number | null;
  stoppedEarly: boolean;
  /** Stopped by the task's time cap. */
  capped: boolean;
  trainWallMs: number | null;
  backend: string | null;
  trainRows: number | null;
  params: Hyperparams;
  status: string;
  error?: string;
  /** URLs: false-positive rate on the held-out Alexa-only file at the 1 %-FPR operating threshold. */
  alexaFpr?: number | null;
  alexaRows?: number;
  /** A cross-source or extra evaluation of a run: shown in its task's table, never used to pick the preset. */
  extra?: boolean;
  /** A single architecture, an ensemble of this task's runs, or a sweep's best trial. */
  kind?: 'single' | 'ensemble' | 'sweep';
  /** The run's 1 %-FPR threshold from its own validation split, and TPR / FPR on this row's split at it. */
  valThresholdAt1?: number;
  tprAtValThr?: number | null;
  fprAtValThr?: number | null;
}

export interface TaskNote {
  task: TaskId;
  title: string;
  lines: string[];
  anchor: string;
}

const pct = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(d)} %`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '–' : v.toFixed(d));
const secs = (ms: number | null) => (ms === null ? '–' : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(0)} s`);

function epochsCell(r: ResultRow): string {
  if (r.kind === 'ensemble') return 'n/a (members as above; combiner fitted on their validation split)';
  if (r.modelId === 'random-forest') return `n/a (${r.params.nEstimators ?? '?'} trees on ≤ ${r.params.maxTrainRows ?? '?'} rows${r.capped ? ', time cap: fewer trees' : ''})`;
  const best = r.bestEpoch !== null && r.bestEpoch !== r.epochsRun ? ` (best ${r.bestEpoch})` : '';
  // Epochs cut short by stepsPerEpoch say so, or "3/40" would read as three passes over the data.
  const steps = typeof r.params.stepsPerEpoch === 'number' && r.params.stepsPerEpoch > 0 ? ` × ${r.params.stepsPerEpoch} batches` : '';
  return `${r.epochsRun}/${r.params.epochs ?? '?'}${steps}${best}${r.stoppedEarly ? ', early stop' : ''}${r.capped ? ', time cap' : ''}`;
}

function recordsTable(rows: ResultRow[], anchors: Record<string, string>): string[] {
  const classes = [...new Set(rows.flatMap((r) => Object.keys(r.perClassRecall)))];
  const head = ['architecture', 'split', 'accuracy', 'macro-F1', 'DR', 'FAR', 'TPR@1%FPR', ...classes.map((c) => `recall ${c}`), 'epochs run', 'train wall', 'backend', 'published anchor'];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    if (r.status !== 'done') {
      out.push(`| ${r.modelId} | ${r.split} | ${r.status}${r.error ? `: ${r.error.slice(0, 80)}` : ''} |${head.slice(3).map(() => ' |').join('')}`);
      continue;
    }
    out.push(
      `| ${r.modelId} | ${r.split} | ${pct(r.accuracy)} | ${num(r.macroF1)} | ${pct(r.detectionRate)} | ${pct(r.falseAlarmRate)} | ${pct(r.tprAt1)} | ` +
        classes.map((c) => pct(r.perClassRecall[c], 1)).join(' | ') +
        ` | ${epochsCell(r)} | ${secs(r.trainWallMs)} | ${r.backend ?? '–'} | ${anchors[r.split] ?? ''} |`,
    );
  }
  return out;
}

function scoreTable(rows: ResultRow[], anchor: string, heldOutBenign: string | null, withRecall = false): string[] {
  const withAlexa = heldOutBenign !== null;
  const classes = withRecall ? [...new Set(rows.flatMap((r) => Object.keys(r.perClassRecall)))] : [];
  const head = ['architecture', 'split', 'AUC', 'TPR@1%FPR', 'threshold', 'TPR / FPR @val. 1 %-FPR thr', ...(withAlexa ? [`FPR ${heldOutBenign} @thr`] : []), 'accuracy @0.5', 'macro-F1', 'DR @0.5', 'FAR @0.5', ...classes.map((c) => `recall ${c} @0.5`), 'epochs run', 'train wall', 'backend', 'published anchor'];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    if (r.status !== 'done') {
      out.push(`| ${r.modelId} | ${r.split} | ${r.status}${r.error ? `: ${r.error.slice(0, 80)}` : ''} |${head.slice(3).map(() => ' |').join('')}`);
      continue;
    }
    const alexa = withAlexa ? [r.alexaRows ? `${pct(r.alexaFpr)} (n = ${r.alexaRows.toLocaleString('en')})` : '–'] : [];
    out.push(
      `| ${r.modelId} | ${r.split} | ${num(r.auc)} | ${pct(r.tprAt1)} | ${num(r.thresholdAt1, 3)} | ${r.valThresholdAt1 !== undefined ? `${pct(r.tprAtValThr)} / ${pct(r.fprAtValThr)} (thr ${num(r.valThresholdAt1, 3)})` : '–'} | ${alexa.join(' | ')}${withAlexa ? ' | ' : ''}` +
        `${pct(r.accuracy)} | ${num(r.macroF1)} | ${pct(r.detectionRate)} | ${pct(r.falseAlarmRate)} | ${classes.map((c) => `${pct(r.perClassRecall[c], 1)} | `).join('')}${epochsCell(r)} | ${secs(r.trainWallMs)} | ${r.backend ?? '–'} | ${anchor} |`,
    );
  }
  return out;
}

export interface Best {
  preset: string;
  row: ResultRow;
  basis: string;
}

/** Best per preset: accuracy on the official test file for the KDD tasks, TPR at 1 % FPR then AUC for URLs / DGA. */
export function pickBest(rows: ResultRow[]): Best[] {
  const out: Best[] = [];
  for (const p of presetOrder(rows)) {
    const cand = rows.filter((r) => r.preset === p && r.status === 'done' && !r.extra);
    if (!cand.length) continue;
    if (p.startsWith('nsl-kdd') || p === 'kdd99') {
      const main = cand.filter((r) => r.split.includes('KDDTest+') || r.split.includes('corrected'));
      const best = [...main].sort((a, b) => (b.accuracy ?? 0) - (a.accuracy ?? 0) || (b.macroF1 ?? 0) - (a.macroF1 ?? 0))[0];
      if (best) out.push({ preset: p, row: best, basis: `highest accuracy on ${best.split} (ties: macro-F1)` });
    } else {
      const best = [...cand].sort((a, b) => (b.tprAt1 ?? 0) - (a.tprAt1 ?? 0) || (b.auc ?? 0) - (a.auc ?? 0))[0];
      out.push({ preset: p, row: best, basis: `highest TPR at 1 % FPR on ${best.split} (ties: AUC)` });
    }
  }
  return out;
}

export function presetsJson(best: Best[]): string {
  const obj: Record<string, { modelId: string; params: Hyperparams }> = {};
  for (const b of best) obj[b.preset] = { modelId: b.row.modelId, params: b.row.params };
  return JSON.stringify(obj, null, 2) + '\n';
}

export interface Header {
  date: string;
  machine: string;
  backend: string;
  budgets: string[];
  command: string;
  wallMinutes: number;
  /** False when every task was carried over from earlier invocations: this one only rendered. */
  ranAny?: boolean;
  /** Earlier invocations whose finished tasks this document carries over (--resume), oldest first. */
  earlier?: { command: string; date: string; tasks: string[] }[];
}

const SECTION_PRESETS: Record<TaskId, string[]> = {
  nsl: ['nsl-kdd-5class', 'nsl-kdd-binary'],
  behaviour: ['behaviour'],
  kdd99: ['kdd99'],
  urls: ['urls'],
  dga: ['dga'],
};

/** The presets of these rows in section order (a resumed pass may have added an earlier task's rows last). */
function presetOrder(rows: ResultRow[]): string[] {
  const known = Object.values(SECTION_PRESETS).flat();
  const seen = [...new Set(rows.map((r) => r.preset))];
  return [...known.filter((p) => seen.includes(p)), ...seen.filter((p) => !known.includes(p))];
}

export const CAVEATS = [
  'One seed, one run per architecture: no confidence intervals here. On KDDTest+ a difference under about one point between two architectures is within run-to-run noise; use the Compare view (McNemar, paired bootstrap) before calling one better.',
  'NSL-KDD validation accuracy (a hold-out of KDDTrain+) is above 99 % for every deep model while KDDTest+ is around 80 %: the official test file has 17 attack types absent from training (most of r2l and u2r). That gap, not the training budget, is what the published figures also show.',
  'TPR@1%FPR on KDDTest-21 is near zero for most models: that file keeps only 2,152 normal rows, mostly the hard ones, so a 1 % budget is 21 false alarms.',
  'KDD\'99 is trained on a deduplicated, capped copy of the 10 % file (see its section) and tested on the full corrected file, whose duplicates (smurf, neptune) dominate accuracy.',
  'URLs and DGA use generated random splits (seeded), not an official test file; they are marked as such. The DGA test holds the same families as training. Behaviour strings are split by capture file (a whole capture held out), not at random.',
  'Budgets are far below the papers\' (100 epochs for records models); figures stopped by a time cap are marked "time cap" in the epochs column.',
];

export function renderMarkdown(h: Header, notes: TaskNote[], rows: ResultRow[], anchors: Record<string, Record<string, string>>, skipped: string[]): string {
  const out: string[] = [
    '# DeepTriage results on the official splits',
    '',
    h.ranAny === false
      ? `Rendered by \`${h.command}\` (bench/results.ts) on ${h.date} from the stored results of the invocations below; no task ran in this one.`
      : `Produced by \`${h.command}\` (bench/results.ts) on ${h.date}. Total wall time ${h.wallMinutes.toFixed(1)} min.`,
    '',
    ...(h.earlier?.length
      ? [
          h.ranAny === false
            ? 'Each task comes from the invocation that ran it (same machine, same workspace); its flags (e.g. `--cap-scale`) set that task\'s time caps, and every row gives its own training time:'
            : 'It resumed a workspace: the tasks listed here come from the earlier invocation that ran them (same machine), the others from this one:',
          '',
          ...h.earlier.map((e) => `- ${e.tasks.join(', ')}: \`${e.command}\` (${e.date})`),
          '',
        ]
      : []),
    `- **Machine:** ${h.machine}`,
    `- **TF.js backend:** ${h.backend}`,
    '- **Budgets** (the papers train records models for 100 epochs; these are far smaller fixed budgets, so the figures are a floor, not a ceiling):',
    ...h.budgets.map((b) => `  - ${b}`),
    '- Every figure names its split. DR = detection rate (attack rows flagged as any attack), FAR = false-alarm rate (normal rows flagged). ' +
      'TPR@1%FPR = highest true-positive rate whose false-positive rate on the same split is ≤ 1 % (attack-vs-normal for multi-class, ranked by 1 − p(normal)): an oracle threshold read off the test split, for comparison with papers. ' +
      '"@val. 1 %-FPR thr" = the operating point a deployment would use: the threshold the run stored from its own validation split (never the test file), and the TPR / FPR it gives on the row\'s split; the held-out Alexa / OpenDNS false-positive share is measured at that threshold too (at the test-split one for runs without a validation split). ' +
      'Accuracy / F1 / DR / FAR use the arg-max (0.5 for binary). Train wall = the worker\'s training time, two jobs sharing the 2 cores.',
    '',
  ];
  // Task order, not the order tasks finished in: a resumed pass may add an earlier task last.
  const order = Object.keys(SECTION_PRESETS);
  for (const n of [...notes].sort((a, b) => order.indexOf(a.task) - order.indexOf(b.task))) {
    out.push(`## ${n.title}`, '', ...n.lines.map((l) => `- ${l}`), `- **Published anchor:** ${n.anchor}`, '');
    for (const p of SECTION_PRESETS[n.task]) {
      const rs = rows.filter((r) => r.preset === p);
      if (!rs.length) continue;
      if (SECTION_PRESETS[n.task].length > 1) out.push(`### ${p}`, '');
      if (n.task === 'nsl' || n.task === 'kdd99') out.push(...recordsTable(rs, anchors[p] ?? {}));
      else out.push(...scoreTable(rs, anchors[p]?.['*'] ?? '', n.task === 'urls' ? 'held-out Alexa' : n.task === 'dga' ? 'OpenDNS top' : null, n.task === 'behaviour'));
      out.push('');
    }
  }
  if (skipped.length) out.push('## Not run in this pass', '', ...skipped.map((s) => `- ${s}`), '');
  out.push('## Reading these numbers', '', ...CAVEATS.map((c) => `- ${c}`), '');
  const best = pickBest(rows.filter((r) => (r.kind ?? 'single') === 'single'));
  out.push('## Best architecture per task (default presets)', '', '| preset | architecture | why | figure | params |', '|---|---|---|---|---|');
  for (const b of best) {
    const fig = b.preset === 'urls' || b.preset === 'dga' || b.preset === 'behaviour' ? `TPR@1%FPR ${pct(b.row.tprAt1)}, AUC ${num(b.row.auc)}` : `accuracy ${pct(b.row.accuracy)}, macro-F1 ${num(b.row.macroF1)}`;
    out.push(`| ${b.preset} | **${b.row.modelId}** | ${b.basis} | ${fig} | \`${JSON.stringify(b.row.params)}\` |`);
  }
  out.push('', '### Best single model, best sweep trial and best ensemble per task', '', '| preset | kind | run | figure | split |', '|---|---|---|---|---|');
  for (const p of presetOrder(rows)) {
    for (const kind of ['single', 'sweep', 'ensemble'] as const) {
      const b = pickBest(rows.filter((r) => r.preset === p && (r.kind ?? 'single') === kind))[0];
      const isScore = p === 'urls' || p === 'dga' || p === 'behaviour';
      if (!b) {
        out.push(`| ${p} | ${kind} | none in this pass | – | – |`);
        continue;
      }
      const fig = isScore ? `TPR@1%FPR ${pct(b.row.tprAt1)}, AUC ${num(b.row.auc)}` : `accuracy ${pct(b.row.accuracy)}, macro-F1 ${num(b.row.macroF1)}`;
      out.push(`| ${p} | ${kind} | ${b.row.modelId} | ${fig} | ${b.row.split} |`);
    }
  }
  out.push('', 'Presets (below) come from single architectures only; an ensemble or sweep trial is a stored run to open, not a preset.');
  out.push('', 'The same choice is in `docs/presets.json` (`{ preset: { modelId, params } }`). Among this pass\'s candidates only: an architecture not run here was not considered.', '');
  return out.join('\n');
}
