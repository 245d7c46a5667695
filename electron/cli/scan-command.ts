import fs from 'node:fs';
import type { CliCommand } from './command';
import { waitForJob } from './job-wait';
import { UsageError } from './usage-error';
import { isOperatingPointName, validationThreshold } from '../../shared/operating';

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const scanCommand: CliCommand = {
  summary: 'batch-scan files with a trained model that reads them: URL / domain lists, Zeek dns / http / conn logs, KDD / CSV records (.gz too)',
  available: true,
  options: { run: { type: 'string' }, threshold: { type: 'string' }, out: { type: 'string' }, resume: { type: 'string' } },
  async run(ctx) {
    const { values, positionals, json, call, io } = ctx;
    const asked = values.threshold !== undefined ? String(values.threshold) : '0.5';
    let threshold = Number(asked);
    if (isOperatingPointName(asked) && values.run) {
      // An operating point measured on the run's validation split, never on a test file.
      const picked = validationThreshold((await call('runs.get', { runId: String(values.run) })).validation, asked);
      if ('reason' in picked) throw new UsageError(`--threshold ${asked}: ${picked.reason}`);
      threshold = picked.threshold;
    } else if (!(threshold >= 0 && threshold <= 1)) {
      throw new UsageError('--threshold must be a number in [0, 1], fpr1 or fpr0.1 (1 % / 0.1 % false positives on the run\'s validation split)');
    }
    let scanId: string;
    let jobId: string;
    if (values.resume) {
      scanId = String(values.resume);
      jobId = (await call('scan.resume', { scanId })).jobId;
    } else {
      if (!values.run || positionals.length === 0) throw new UsageError('usage: deeptriage scan FILE... --run RUN_ID [--threshold T|fpr1|fpr0.1] [--out results.csv] [--json] | --resume SCAN_ID');
      ({ scanId, jobId } = await call('scan.start', { runId: String(values.run), paths: positionals, threshold }));
    }
    const job = await waitForJob(ctx.engine, jobId, io);
    const { scan } = await call('scans.get', { scanId });
    if (job.status === 'failed') throw new Error(job.error ?? 'scan failed');
    if (values.out) {
      // Streams page by page so a million-line result never sits in memory at once.
      const fd = fs.openSync(String(values.out), 'w');
      try {
        fs.writeSync(fd, 'url,score,flagged,count,file,line,verdict,suppressed_by\n');
        for (let offset = 0; ; offset += 5000) {
          const page = await call('scans.results', { scanId, offset, limit: 5000 });
          for (const r of page.rows) {
            fs.writeSync(fd, `${csvCell(r.url)},${r.score.toFixed(6)},${r.score >= scan.threshold ? 1 : 0},${r.count},${csvCell(r.file)},${r.line},${r.verdict ?? ''},${r.suppressedBy ?? ''}\n`);
          }
          if (page.rows.length < 5000) break;
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    const skipped = Object.values(scan.stats.skipped).reduce((a, b) => a + b, 0);
    const summary = {
      scanId,
      status: scan.status,
      scanned: scan.stats.scanned,
      flagged: scan.flagged,
      suppressed: scan.suppressed,
      threshold: scan.threshold,
      duplicates: scan.stats.duplicates,
      skipped,
      skippedBy: scan.stats.skipped,
      lines: scan.stats.lines,
      urlsPerSecond: scan.stats.urlsPerSecond,
      engine: scan.stats.engine ?? null,
    };
    if (json) return io.out(JSON.stringify(summary));
    io.out(`scan ${scanId}  ${scan.status}  ${scan.stats.lines.toLocaleString('en-US')} lines`);
    io.out(`scored ${scan.stats.scanned.toLocaleString('en-US')} distinct URLs at ${Math.round(scan.stats.urlsPerSecond)} URLs/s; flagged ${scan.flagged} at threshold ${scan.threshold}`);
    if (scan.stats.engine) io.out(`scored by ${scan.stats.engine}`);
    io.out(`duplicates ${scan.stats.duplicates}; skipped ${skipped} (empty ${scan.stats.skipped.empty}, not a URL ${scan.stats.skipped.notUrl}, too long ${scan.stats.skipped.tooLong}, binary ${scan.stats.skipped.binary})`);
    if (scan.status === 'cancelled' || scan.status === 'interrupted') io.out(`resume with: deeptriage scan --resume ${scanId}`);
  },
};
