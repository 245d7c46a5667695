import type { JobKind } from '../../shared/domain';
import { benchmarkJob } from '../compute/benchmark-job';
import { importJob } from '../data/import-job';
import { trainJob } from '../train/train-job';
import { evalJob } from '../eval/eval-job';
import { compareJob } from '../eval/compare-job';
import { scanJob } from '../scan/scan-job';
import { explainJob } from '../explain/explain-job';
import { embedJob } from '../embed/embed-job';
import { exportJob } from '../onnx/export-job';
import { ensembleJob } from '../ensemble/ensemble-job';
import { bundleJob } from '../bundle/bundle-job';
import { retrainBuildJob } from '../triage/retrain-job';
import type { JobHandler } from './context';

/** Kinds that never touch TF.js skip loading it (saves a second and tens of MB per import job). */
export const JOBS_WITHOUT_TF: ReadonlySet<JobKind> = new Set(['import', 'compare', 'retrain']);

/** Job kind → the code that runs it inside the worker. Kinds owned by later features are added here. */
export const JOB_HANDLERS: Partial<Record<JobKind, JobHandler>> = {
  probe: async (_input, ctx) => ctx.backend,
  benchmark: benchmarkJob,
  import: importJob,
  train: trainJob,
  eval: evalJob,
  compare: compareJob,
  scan: scanJob,
  explain: explainJob,
  embed: embedJob,
  export: exportJob,
  ensemble: ensembleJob,
  bundle: bundleJob,
  retrain: retrainBuildJob,
};
