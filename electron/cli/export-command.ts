import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand } from './command';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';
import type { ExportJobResult } from '../onnx/export-job';
import type { BundleJobResult } from '../bundle/bundle-job';

export const exportCommand: CliCommand = {
  summary: 'write a trained run as an ONNX model (--out), or as a scoring bundle for Python / Ray / Spark (--bundle DIR)',
  available: true,
  options: { run: { type: 'string' }, out: { type: 'string' }, bundle: { type: 'string' } },
  async run(ctx) {
    const { values, json, call, io } = ctx;
    if (!values.run || (values.out && values.bundle)) {
      throw new UsageError('usage: deeptriage export --run RUN_ID [--out model.onnx | --bundle DIR] [--json]');
    }
    if (values.bundle) {
      const { jobId } = await call('runs.exportBundle', { runId: String(values.run), dir: path.resolve(String(values.bundle)) });
      const job = await waitForJob(ctx.engine, jobId, io);
      if (job.status !== 'done') throw new Error(job.error ?? `export ${job.status}`);
      const r = job.result as BundleJobResult;
      if (json) return io.out(JSON.stringify(r));
      io.out(`wrote scoring bundle ${r.dir} (${r.files.length} files; encoding ${r.encodingHash.slice(0, 19)}…): see ${path.join(r.dir, 'README.md')}`);
      return;
    }
    const { jobId } = await call('runs.exportOnnx', { runId: String(values.run) });
    const job = await waitForJob(ctx.engine, jobId, io);
    if (job.status !== 'done') throw new Error(job.error ?? `export ${job.status}`);
    const result = job.result as ExportJobResult;
    let file = result.path;
    if (values.out) {
      fs.copyFileSync(result.path, String(values.out));
      file = String(values.out);
    }
    if (json) return io.out(JSON.stringify({ path: file, bytes: result.bytes, input: result.input }));
    io.out(`wrote ${file} (${result.bytes.toLocaleString('en-US')} bytes; input [batch, ${result.input.steps}] ${result.input.kind === 'fixed' ? '' : 'trimmed '}→ probabilities)`);
  },
};
