import type { AppInfo, BackendInfo, JobInfo } from '../../../shared/domain';
import { call, on } from './client';

/** State every view shares: what the engine runs on, where the workspace is, and the jobs in flight. */
class AppState {
  info = $state<AppInfo | null>(null);
  backend = $state<BackendInfo | null>(null);
  backendError = $state<string | null>(null);
  jobs = $state<Record<string, JobInfo>>({});

  get activeJobs(): JobInfo[] {
    return Object.values(this.jobs).filter((j) => j.status === 'running' || j.status === 'queued');
  }

  async init(): Promise<void> {
    on('job.updated', (job) => {
      this.jobs[job.id] = job;
    });
    on('job.progress', (p) => {
      const job = this.jobs[p.jobId];
      if (job) job.progress = p;
    });
    const [info, jobs] = await Promise.all([call('app.info', {}), call('jobs.list', {})]);
    this.info = info;
    for (const j of jobs) this.jobs[j.id] = j;
    call('backend.info', {}).then(
      (b) => (this.backend = b),
      (e: Error) => (this.backendError = e.message),
    );
  }
}

export const app = new AppState();
