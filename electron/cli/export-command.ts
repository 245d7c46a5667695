import fs from 'node:fs';
import type { CliCommand } from './command';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';
import type { ExportJobResult } from '../onnx/export-job';

export const exportCommand: CliCommand = {
  summary: 'write a trained run as an ONNX model (input → probabilities; classes and encoding in its metadata)',
  available: true,
  options: { run: { type: 'string' }, out: { type: 'string' } },
  async run({ values, json, call, engine, io }) {
    if (!values.run) throw new UsageError('usage: deeptriage export --run RUN_ID [--out model.onnx] [--json]');
    const { jobId } = await call('runs.exportOnnx', { runId: String(values.run) });
    const job = await waitForJob(engine, jobId, io);
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
