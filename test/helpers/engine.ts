import assert from 'node:assert/strict';
import { after } from 'node:test';
import { createEngine, type Engine } from '../../electron/engine';
import { createRouter } from '../../electron/router';
import type { OpName, OpRequest, OpResponse } from '../../shared/contract';
import type { JobInfo } from '../../shared/domain';
import { tempDir } from './temp';

export interface TestEngine {
  engine: Engine;
  /** The router itself: for asserting on refused calls. */
  route: ReturnType<typeof createRouter>;
  /** A call that must succeed; the error's code and message otherwise. */
  call<K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>>;
  /** Waits for a job that must finish 'done'. */
  done(jobId: string): Promise<JobInfo>;
}

/** A real engine on a fresh workspace, closed when the test file ends. Call at the top level of a file. */
export function testEngine(workspaceDir = tempDir()): TestEngine {
  const engine = createEngine({ workspaceDir, transport: 'cli' });
  after(() => engine.close());
  const route = createRouter(engine.handlers);
  return {
    engine,
    route,
    async call(op, payload) {
      const r = await route(op, payload);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value as never;
    },
    async done(jobId) {
      const job = await engine.jobs.wait(jobId);
      assert.equal(job.status, 'done', job.error);
      return job;
    },
  };
}
