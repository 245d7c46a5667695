import type { JobInfo } from '../../shared/domain';
import type { Engine } from '../engine';
import type { CliIo } from './command';

/**
 * Waits for a job while showing its progress on stderr (only on a terminal, so pipes and --json stay clean).
 * Ctrl-C cancels the job instead of killing the process, so partial work is cleaned up.
 */
export async function waitForJob(engine: Engine, jobId: string, io: CliIo): Promise<JobInfo> {
  const tty = process.stderr.isTTY;
  const off = engine.events.subscribe((name, payload) => {
    if (!tty || name !== 'job.progress') return;
    const p = payload as { jobId: string; fraction?: number; message?: string };
    if (p.jobId !== jobId) return;
    const pct = p.fraction !== undefined ? `${(p.fraction * 100).toFixed(1)}% ` : '';
    process.stderr.write(`\r${pct}${p.message ?? ''}`.padEnd(70));
  });
  const onSigint = () => {
    io.err('cancelling…');
    engine.jobs.cancel(jobId);
  };
  process.once('SIGINT', onSigint);
  try {
    return await engine.jobs.wait(jobId);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    if (tty) process.stderr.write('\r'.padEnd(72) + '\r');
  }
}
