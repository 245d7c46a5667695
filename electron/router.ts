import { z } from 'zod';
import { isOpName, operations, type OpName } from '../shared/contract';
import { ContractError } from '../shared/errors';
import type { ResultEnvelope } from '../shared/wire';
import type { Handlers } from './engine';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}

/**
 * The one gate between any front door and the engine: the operation name must exist and the payload must
 * match its schema before a handler sees it. Failures come back as typed envelopes, never as throws.
 */
export function createRouter(handlers: Handlers) {
  return async function call(op: unknown, payload: unknown): Promise<ResultEnvelope> {
    try {
      if (!isOpName(op)) {
        throw new ContractError('UNKNOWN_OPERATION', `unknown operation ${JSON.stringify(op)?.slice(0, 80)}`);
      }
      const schema = operations[op].request;
      const parsed = schema.safeParse(payload === undefined ? {} : payload);
      if (!parsed.success) {
        throw new ContractError('INVALID_PAYLOAD', `${op}: ${describeIssues(parsed.error)}`, {
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        });
      }
      const handler = handlers[op] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value: validateResponse(op, value) };
    } catch (err) {
      if (err instanceof ContractError) return { ok: false, error: err.toShape() };
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { code: 'INTERNAL', message } };
    }
  };
}

/** A handler that returns the wrong shape is our bug; catching it here keeps the renderer from guessing. */
function validateResponse(op: OpName, value: unknown): unknown {
  const parsed = operations[op].response.safeParse(value);
  if (!parsed.success) {
    throw new ContractError('INTERNAL', `${op} produced an invalid response: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

export type Router = ReturnType<typeof createRouter>;
