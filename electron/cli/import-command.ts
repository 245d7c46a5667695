import path from 'node:path';
import type { DatasetDetail, ImportOptionsInput } from '../../shared/dataset';
import { FormatNameSchema, LabelModeSchema, describeRead } from '../../shared/dataset';
import type { CliCommand } from './command';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';

function oneOf<T extends string>(schema: { options: readonly T[] }, flag: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (!schema.options.includes(value as T)) throw new UsageError(`${flag} must be one of ${schema.options.join(', ')}; got '${String(value)}'`);
  return value as T;
}

function printSummary(d: DatasetDetail, out: (l: string) => void): void {
  const s = d.summary;
  out(`dataset ${d.id}  ${d.name}  (${s.format}${s.gzip ? ', gzip' : ''})`);
  out(`rows ${s.rows.toLocaleString('en-US')}  features ${d.cols}  duplicates ${s.duplicates.rows.toLocaleString('en-US')}  malformed ${s.malformed.count}`);
  if (s.labels) {
    const total = s.rows || 1;
    out('classes:');
    // The classes a model trained on it predicts: raw labels in 'attack' mode, categories otherwise.
    for (const [name, n] of Object.entries(s.labels.mode === 'attack' ? s.labels.raw : s.labels.categories)) {
      out(`  ${name.padEnd(16)} ${String(n).padStart(9)}  ${((100 * n) / total).toFixed(2)}%`);
    }
    const unknown = Object.entries(s.labels.unknown);
    if (unknown.length) out(`unknown labels: ${unknown.map(([k, v]) => `${k} (${v})`).join(', ')}`);
  }
  if (s.read) out(describeRead(s.read));
  for (const m of s.malformed.examples.slice(0, 5)) out(`  line ${m.line}: ${m.reason}`);
  for (const w of s.warnings) out(`warning: ${w}`);
}

export const importCommand: CliCommand = {
  summary: 'import a dataset file (KDD, NSL-KDD, CSV, Zeek conn.log or its behaviour strings, URL or domain list)',
  available: true,
  options: {
    format: { type: 'string' },
    'label-mode': { type: 'string' },
    'label-column': { type: 'string' },
    strict: { type: 'boolean', default: false },
    name: { type: 'string' },
    like: { type: 'string' },
    'strip-scheme': { type: 'boolean' },
    'strip-public-suffix': { type: 'boolean' },
    'max-length': { type: 'string' },
    'fixed-label': { type: 'string' },
    'label-per-file': { type: 'boolean', default: false },
    'drop-labels': { type: 'string' },
    'benign-labels': { type: 'string' },
    'max-rows-per-file': { type: 'string' },
    // Several files of different kinds in one dataset (a labelled URL feed plus a benign list): FILE=LABEL and
    // FILE=N, FILE being the path as given or its base name; repeatable.
    'file-label': { type: 'string', multiple: true },
    'file-rows': { type: 'string', multiple: true },
    seed: { type: 'string' },
    'label-rule': { type: 'string' },
  },
  async run(ctx) {
    const { values, positionals, json, call, io } = ctx;
    const usage =
      'usage: deeptriage import FILE [FILE...] [--format auto|kdd99|nslkdd|csv|zeek|zeek-behaviour|urls|domains] [--label-mode 5class|binary|attack] ' +
      '[--strip-public-suffix] [--fixed-label L | --label-per-file] [--drop-labels A,B] [--benign-labels A,B] [--max-rows-per-file N [--seed S]] ' +
      '[--file-label FILE=LABEL]... [--file-rows FILE=N]... [--label-rule any-malicious|majority] [--strict] [--like DATASET] [--json]';
    if (positionals.length === 0) throw new UsageError(usage);
    const int = (flag: string, min: number) => {
      const v = values[flag];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}; got '${String(v)}'`);
      return n;
    };
    const list = (flag: string) => (values[flag] === undefined ? undefined : String(values[flag]).split(',').map((x) => x.trim()).filter(Boolean));
    if (values['fixed-label'] !== undefined && values['label-per-file']) throw new UsageError('--fixed-label and --label-per-file exclude each other');
    // A family file's label is its name: banjori.txt → banjori.
    const stem = (p: string) => path.basename(p).replace(/(\.gz)?$/, '').replace(/\.[^.]*$/, '');
    const perFile = Boolean(values['label-per-file']);
    const fixedLabel = perFile && positionals.length === 1 ? stem(positionals[0]) : values['fixed-label'] !== undefined ? String(values['fixed-label']) : undefined;
    const labelRule = values['label-rule'] === undefined ? undefined : values['label-rule'] === 'majority' || values['label-rule'] === 'any-malicious' ? values['label-rule'] : undefined;
    if (values['label-rule'] !== undefined && !labelRule) throw new UsageError(`--label-rule must be one of any-malicious, majority; got '${String(values['label-rule'])}'`);
    const maxRowsPerFile = int('max-rows-per-file', 1);
    const sampleSeed = int('seed', 0);
    const dropLabels = list('drop-labels');
    const benignLabels = list('benign-labels');
    const rawFormat = values.format === 'nslkdd' ? 'nsl-kdd' : values.format;
    const format = rawFormat === undefined || rawFormat === 'auto' ? 'auto' : oneOf(FormatNameSchema, '--format', rawFormat);
    const labelMode = oneOf(LabelModeSchema, '--label-mode', values['label-mode']);
    const maxLength = values['max-length'] !== undefined ? Number(values['max-length']) : undefined;
    if (maxLength !== undefined && !Number.isInteger(maxLength)) throw new UsageError(`--max-length must be an integer`);
    const options: ImportOptionsInput = {
      format,
      errors: values.strict ? 'strict' : 'lenient',
      ...(labelMode ? { labelMode } : {}),
      ...(values['label-column'] !== undefined ? { labelColumn: String(values['label-column']) } : {}),
      ...(values.like !== undefined ? { encodeLike: String(values.like) } : {}),
      ...(values['strip-scheme'] !== undefined ? { stripScheme: Boolean(values['strip-scheme']) } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(values['strip-public-suffix'] !== undefined ? { stripPublicSuffix: Boolean(values['strip-public-suffix']) } : {}),
      ...(fixedLabel !== undefined ? { fixedLabel } : {}),
      ...(dropLabels ? { dropLabels } : {}),
      ...(benignLabels ? { benignLabels } : {}),
      ...(maxRowsPerFile !== undefined ? { maxRowsPerFile } : {}),
      ...(sampleSeed !== undefined ? { sampleSeed } : {}),
      ...(labelRule ? { behaviourLabelRule: labelRule } : {}),
    };
    const perFileValue = (flag: string): Map<string, string> => {
      const m = new Map<string, string>();
      for (const e of (values[flag] as string[] | undefined) ?? []) {
        const at = e.lastIndexOf('=');
        if (at <= 0 || at === e.length - 1) throw new UsageError(`--${flag} takes FILE=VALUE; got '${e}'`);
        const file = e.slice(0, at);
        if (!positionals.some((p) => p === file || path.basename(p) === file)) throw new UsageError(`--${flag} ${e}: '${file}' is not one of the files to import`);
        m.set(file, e.slice(at + 1));
      }
      return m;
    };
    const fileLabels = perFileValue('file-label');
    const fileRows = perFileValue('file-rows');
    const valueFor = (m: Map<string, string>, p: string) => m.get(p) ?? m.get(path.basename(p));
    const inputs = positionals.map((p) => {
      const label = valueFor(fileLabels, p) ?? (perFile ? stem(p) : undefined);
      const rowsText = valueFor(fileRows, p);
      const rows = rowsText === undefined ? undefined : Number(rowsText);
      if (rows !== undefined && (!Number.isInteger(rows) || rows < 1)) throw new UsageError(`--file-rows ${p}: expected a whole number ≥ 1; got '${rowsText}'`);
      return { path: p, ...(label !== undefined ? { fixedLabel: label } : {}), ...(rows !== undefined ? { maxRows: rows } : {}) };
    });
    const { jobId } = await call('datasets.import', {
      path: positionals[0],
      ...(positionals.length > 1 ? { inputs } : {}),
      ...(values.name !== undefined ? { name: String(values.name) } : {}),
      options,
    });
    const job = await waitForJob(ctx.engine, jobId, io);
    if (job.status !== 'done') throw new Error(job.error ?? `import ${job.status}`);
    const { datasetId } = job.result as { datasetId: string };
    const d = await call('datasets.get', { datasetId });
    if (json) {
      const s = d.summary;
      io.out(
        JSON.stringify({
          datasetId: d.id,
          rows: s.rows,
          format: s.format,
          features: d.cols,
          classes: (s.labels?.mode === 'attack' ? s.labels.raw : s.labels?.categories) ?? {},
          rawLabels: s.labels?.raw ?? {},
          unknownLabels: s.labels?.unknown ?? {},
          duplicates: s.duplicates.rows,
          malformed: s.malformed.count,
          malformedExamples: s.malformed.examples,
          warnings: s.warnings,
          ...(s.read ? { read: s.read } : {}),
        }),
      );
    } else {
      printSummary(d, io.out);
    }
  },
};
