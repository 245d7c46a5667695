/** A mistake in how the command was called (exit code 2), as opposed to a failure doing it (exit code 1). */
export class UsageError extends Error {}
