import path from 'node:path';
import type { EvalSplit } from '../../shared/eval';

const OFFICIAL_TEST_FILES = /^(KDDTest\+|KDDTest-21|corrected)(\.txt|\.gz)?$/i;

/** Names the split a figure came from, so no number is ever shown without it. */
export function splitOf(testName: string, sourcePath: string | null): EvalSplit {
  const base = path.basename(sourcePath ?? testName);
  return OFFICIAL_TEST_FILES.test(base)
    ? { kind: 'official-test', description: `official test file ${base}` }
    : { kind: 'file', description: `test file ${base}` };
}
