/**
 * Bad evaluation input. There is no file here, so the message names the argument, the row (when one is
 * involved) and the reason, e.g. `proba row 17: score is NaN`.
 */
export class EvalError extends Error {
  readonly argument: string;
  readonly row: number | undefined;
  readonly reason: string;
  constructor(argument: string, row: number | undefined, reason: string) {
    super(row === undefined ? `${argument}: ${reason}` : `${argument} row ${row}: ${reason}`);
    this.name = 'EvalError';
    this.argument = argument;
    this.row = row;
    this.reason = reason;
  }
}
