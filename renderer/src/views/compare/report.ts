import type { CompareResult, EvalResult } from '../../../../shared/eval';
import { formatCount, formatNumber, formatPercent } from '../../../../shared/format';
import { hyperparamLines } from '../../../../shared/run';
import { escapeHtml as h, type ChartImage } from '../../lib/export';
import { overallColumns, bestIndexes, classesOf, formatMetric, groupsOf, perClassColumns, type MetricColumn } from './metrics';
import { isScored, type Comparison, type ScoredEntry } from './model';
import { splitKindLabel } from './testsets';
import { formatCi, formatP, formatPts, verdictOf } from './verdict';

/** Inline on purpose: the report is one file that opens offline, mailed or archived with a ticket. */
const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d2632; background: #fff; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d5dbe3; padding-bottom: 4px; }
.meta { color: #5b6676; margin: 0 0 4px; }
.split { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #e3effc; color: #1b5fa8; }
.split.random-split { background: #fdf0d9; color: #8a5a00; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d5dbe3; padding: 3px 8px; text-align: right; white-space: nowrap; }
th { background: #f2f5f8; font-weight: 600; } th.row, td.row { text-align: left; }
td.best { background: #d8f5e7; font-weight: 700; }
caption { caption-side: top; text-align: left; color: #5b6676; padding-bottom: 4px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
figure { display: inline-block; margin: 8px 12px 8px 0; vertical-align: top; } figure img { max-width: 560px; border-radius: 6px; display: block; }
figcaption { color: #5b6676; font-size: 12px; margin-top: 4px; max-width: 560px; }
.verdict { font-size: 16px; font-weight: 600; } .caveat { color: #8a5a00; }
.cm { display: inline-block; margin: 0 16px 16px 0; vertical-align: top; } .cm td .pct { color: #5b6676; font-size: 11px; display: block; }
td.params { font-size: 12px; line-height: 1.35; }
td.note { white-space: pre-wrap; text-align: left; max-width: 420px; }
footer { color: #8a97a8; font-size: 12px; margin-top: 32px; }
`;

function splitBadge(split: EvalResult['split'], dataset: string): string {
  return `<span class="split ${h(split.kind)}" title="${h(split.description)}">${h(splitKindLabel(split))}: ${h(dataset)}</span>`;
}

function runCell(e: ScoredEntry): string {
  return `<td class="row"><span class="swatch" style="background:${h(e.color)}"></span>${h(e.label)}</td>`;
}

function metricsTable(entries: ScoredEntry[], columns: MetricColumn[], caption: string): string {
  const best = columns.map((col) => bestIndexes(entries.map((e) => col.get(e.result)), col.better));
  const groups = groupsOf(columns)
    .map((g) => `<th colspan="${g.span}">${h(g.group)}</th>`)
    .join('');
  const heads = columns.map((col) => `<th title="${h(col.help)}">${h(col.label)}${col.better === 'low' ? ' ↓' : ''}</th>`).join('');
  const body = entries
    .map((e, i) => {
      const cells = columns.map((col, ci) => `<td${best[ci].has(i) ? ' class="best"' : ''}>${h(formatMetric(col.get(e.result), col.format))}</td>`).join('');
      return `<tr>${runCell(e)}${cells}</tr>`;
    })
    .join('');
  return `<table><caption>${caption}</caption><thead><tr><th class="row" rowspan="2">Run</th>${groups}</tr><tr>${heads}</tr></thead><tbody>${body}</tbody></table>`;
}

function pairedSection(paired: NonNullable<Comparison['paired']>, splitHtml: string): string {
  const r: CompareResult = paired.result;
  const v = verdictOf(r, paired.labelA, paired.labelB);
  const m = r.mcnemar;
  const level = Math.round(r.bootstrap.confidence * 100);
  const row = (name: string, acc: CompareResult['bootstrap']['accuracy']['a'], f1: CompareResult['bootstrap']['macroF1']['a'], diff: boolean) =>
    `<tr><td class="row">${h(name)}</td><td>${diff ? formatPts(acc.estimate) + ' pts' : formatPercent(acc.estimate)}</td><td>${formatCi(acc, diff)}</td>` +
    `<td>${diff ? formatPts(f1.estimate) + ' pts' : formatPercent(f1.estimate)}</td><td>${formatCi(f1, diff)}</td></tr>`;
  return `
<h2>Is the difference real?</h2>
<p>${splitHtml} · ${formatCount(r.rows)} paired rows</p>
<p class="verdict">${h(v.text)}</p>
${v.caveat ? `<p class="caveat">${h(v.caveat)}</p>` : ''}
<table><caption>McNemar's test (A = ${h(paired.labelA)}, B = ${h(paired.labelB)})</caption>
<thead><tr><th>b (A right, B wrong)</th><th>c (A wrong, B right)</th><th>statistic</th><th>p-value</th><th>method</th></tr></thead>
<tbody><tr><td>${formatCount(m.b)}</td><td>${formatCount(m.c)}</td><td>${formatNumber(m.statistic, 3)}</td><td>${h(formatP(m.pValue))}</td><td>${h(m.method)}</td></tr></tbody></table>
<table><caption>Paired bootstrap, ${formatCount(r.bootstrap.resamples)} resamples, seed ${r.bootstrap.seed}: ${level} % intervals</caption>
<thead><tr><th class="row"></th><th>accuracy</th><th>${level} % CI</th><th>macro F1</th><th>${level} % CI</th></tr></thead>
<tbody>${row(`A: ${paired.labelA}`, r.bootstrap.accuracy.a, r.bootstrap.macroF1.a, false)}${row(`B: ${paired.labelB}`, r.bootstrap.accuracy.b, r.bootstrap.macroF1.b, false)}${row('A − B', r.bootstrap.accuracy.diff, r.bootstrap.macroF1.diff, true)}</tbody></table>`;
}

function confusionTable(e: ScoredEntry, splitHtml: string): string {
  const { classes, confusion } = e.result;
  const head = classes.map((c) => `<th>${h(c)}</th>`).join('');
  const body = classes
    .map((t, i) => {
      const cells = classes
        .map((_, j) => `<td>${formatCount(confusion.counts[i][j])}<span class="pct">${formatPercent(confusion.normalized[i][j], 1)}</span></td>`)
        .join('');
      return `<tr><th class="row">${h(t)}</th>${cells}</tr>`;
    })
    .join('');
  return `<div class="cm"><table><caption><span class="swatch" style="background:${h(e.color)}"></span>${h(e.label)} · ${splitHtml}<br>rows: true class, columns: predicted</caption><thead><tr><th class="row">true \\ predicted</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** The run's settings as "key value" lines, so a report read a year later says how each model was trained. */
function paramsHtml(params: unknown): string {
  const lines = params && typeof params === 'object' ? hyperparamLines(params as Record<string, unknown>) : [];
  return lines.map(([k, v]) => `${h(k)} <strong>${h(v)}</strong>`).join('<br>');
}

/** A self-contained HTML page: tables inline, charts as data: PNGs, CSS inline, no script, no external URL. */
export function buildReport(c: Comparison, charts: ChartImage[], generatedAt: Date): string {
  const scored = c.entries.filter(isScored);
  const ts = c.testSet;
  const splitHtml = ts ? splitBadge(ts.split, ts.datasetName) : '';
  const caption = ts ? `${splitHtml} · ${h(ts.split.description)}` : '';
  const runsRows = c.entries
    .map(
      (e) =>
        `<tr><td class="row"><span class="swatch" style="background:${h(e.color)}"></span>${h(e.label)}</td><td class="row"><code>${h(e.run.id)}</code></td>` +
        `<td class="row">${h(e.run.modelId)}</td><td class="row">${h(e.trainingDataset)}</td><td class="row params">${paramsHtml(e.run.params)}</td><td class="row">${h(e.run.tags.join(', '))}</td>` +
        `<td class="note">${h(e.detail?.note ?? '')}</td><td>${e.result ? formatCount(e.result.rows) : 'not evaluated on this test set'}</td></tr>`,
    )
    .join('');
  const figures = charts
    .map((ch) => `<figure><img src="${ch.dataUrl}" alt="${h(ch.title)}"><figcaption><strong>${h(ch.title)}</strong>${ch.caption ? ` · ${h(ch.caption)}` : ''}</figcaption></figure>`)
    .join('\n');
  const title = `DeepTriage comparison: ${c.entries.map((e) => e.label).join(' vs ')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><style>${CSS}</style></head>
<body>
<h1>${h(title)}</h1>
<p class="meta">Generated ${h(generatedAt.toISOString().replace('T', ' ').slice(0, 16))} UTC by DeepTriage.</p>
${ts ? `<p class="meta">Test set: ${splitHtml} ${h(ts.split.description)}${scored[0] ? ` · ${formatCount(scored[0].result.rows)} rows` : ''}</p>` : '<p class="meta">No common test set.</p>'}
<h2>Runs</h2>
<table><thead><tr><th class="row">Run</th><th class="row">Id</th><th class="row">Architecture</th><th class="row">Trained on</th><th class="row">Hyperparameters</th><th class="row">Tags</th><th class="row">Note</th><th>Test rows</th></tr></thead><tbody>${runsRows}</tbody></table>
${scored.length ? `<h2>Metrics</h2>${metricsTable(scored, overallColumns(scored.map((e) => e.result)), `${caption} · best per column highlighted`)}${metricsTable(scored, perClassColumns(classesOf(scored.map((e) => e.result))), `Per class · ${caption}`)}` : ''}
${c.paired ? pairedSection(c.paired, splitHtml) : ''}
${figures ? `<h2>Charts</h2>\n${figures}` : ''}
${scored.length ? `<h2>Confusion matrices</h2>${scored.map((e) => confusionTable(e, splitHtml)).join('')}` : ''}
<footer>Every figure above was measured on: ${ts ? h(ts.split.description) : 'no common test set'}.</footer>
</body></html>
`;
}
