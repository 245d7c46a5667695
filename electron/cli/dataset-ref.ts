import fs from 'node:fs';
import path from 'node:path';
import type { ImportOptionsInput } from '../../shared/dataset';
import type { CommandContext } from './command';
import { waitForJob } from './job-wait';

/**
 * Resolves what a CLI user names as data: a dataset id, a file already imported the same way (reused, so
 * two runs evaluated on one file share one test set), or a new file to import.
 */
export async function datasetFor(ctx: CommandContext, ref: string, options: ImportOptionsInput): Promise<string> {
  const known = await ctx.call('datasets.list', {});
  if (known.some((d) => d.id === ref)) return ref;
  const abs = path.resolve(ref);
  if (!fs.existsSync(abs)) throw new Error(`${ref}: no such file or dataset id`);
  const stamp = fs.statSync(abs).mtimeMs;
  const same = known.find(
    (d) => d.sourcePath === abs && (d.encodedLike ?? undefined) === options.encodeLike && d.createdAt > stamp,
  );
  if (same) {
    const detail = await ctx.call('datasets.get', { datasetId: same.id });
    if (options.labelMode === undefined || detail.summary.labels?.mode === options.labelMode) return same.id;
  }
  const { jobId } = await ctx.call('datasets.import', { path: abs, options });
  const job = await waitForJob(ctx.engine, jobId, ctx.io);
  if (job.status !== 'done') throw new Error(job.error ?? `import of ${ref} ${job.status}`);
  return (job.result as { datasetId: string }).datasetId;
}
