import type { JobKind } from '../../shared/domain';
import { benchmarkJob } from '../compute/benchmark-job';
import type { JobHandler } from './context';

/** Job kind → the code that runs it inside the worker. Kinds owned by later features are added here. */
export const JOB_HANDLERS: Partial<Record<JobKind, JobHandler>> = {
  probe: async (_input, ctx) => ctx.backend,
  benchmark: benchmarkJob,
};
