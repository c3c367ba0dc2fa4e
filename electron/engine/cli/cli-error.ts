export const EXIT = { ok: 0, usage: 1, input: 2 } as const;

/** An error the CLI reports as one line on stderr with a specific exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.input,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage, true);
}

/** Parse a non-negative integer option, or fail as a usage error naming the option. */
export function intOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usageError(`--${name} must be a non-negative integer, got "${String(value)}"`);
  return n;
}
