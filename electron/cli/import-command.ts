import type { DatasetDetail, ImportOptionsInput } from '../../shared/dataset';
import { FormatNameSchema, LabelModeSchema } from '../../shared/dataset';
import type { CliCommand } from './commands';
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
    for (const [name, n] of Object.entries(s.labels.categories)) {
      out(`  ${name.padEnd(16)} ${String(n).padStart(9)}  ${((100 * n) / total).toFixed(2)}%`);
    }
    const unknown = Object.entries(s.labels.unknown);
    if (unknown.length) out(`unknown labels: ${unknown.map(([k, v]) => `${k} (${v})`).join(', ')}`);
  }
  for (const m of s.malformed.examples.slice(0, 5)) out(`  line ${m.line}: ${m.reason}`);
  for (const w of s.warnings) out(`warning: ${w}`);
}

export const importCommand: CliCommand = {
  summary: 'import a dataset file (KDD, NSL-KDD, CSV, Zeek conn.log, URL or domain list)',
  available: true,
  options: {
    format: { type: 'string' },
    'label-mode': { type: 'string' },
    'label-column': { type: 'string' },
    strict: { type: 'boolean', default: false },
    name: { type: 'string' },
    like: { type: 'string' },
    'strip-scheme': { type: 'boolean' },
    'max-length': { type: 'string' },
  },
  async run({ values, positionals, json, call, engine, io }) {
    if (positionals.length !== 1) throw new UsageError('usage: deeptriage import FILE [--format auto|kdd99|nslkdd|csv|zeek|urls|domains] [--label-mode 5class|binary|attack] [--strict] [--like DATASET] [--json]');
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
    };
    const { jobId } = await call('datasets.import', {
      path: positionals[0],
      ...(values.name !== undefined ? { name: String(values.name) } : {}),
      options,
    });
    const job = await waitForJob(engine, jobId, io);
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
          classes: s.labels?.categories ?? {},
          rawLabels: s.labels?.raw ?? {},
          unknownLabels: s.labels?.unknown ?? {},
          duplicates: s.duplicates.rows,
          malformed: s.malformed.count,
          malformedExamples: s.malformed.examples,
          warnings: s.warnings,
        }),
      );
    } else {
      printSummary(d, io.out);
    }
  },
};
