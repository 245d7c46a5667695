import { z } from 'zod';

/** Every failure that crosses the contract carries one of these codes, so callers branch on data, not text. */
export const ErrorCodeSchema = z.enum([
  'INVALID_PAYLOAD',
  'UNKNOWN_OPERATION',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'NOT_AVAILABLE',
  'BAD_INPUT',
  'CANCELLED',
  'JOB_FAILED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ContractErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ContractErrorShape = z.infer<typeof ContractErrorSchema>;

export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    this.details = details;
  }
  toShape(): ContractErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static from(shape: ContractErrorShape): ContractError {
    return new ContractError(shape.code, shape.message, shape.details);
  }
}
