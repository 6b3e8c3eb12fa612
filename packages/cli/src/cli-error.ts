/**
 * A failure the CLI reports as `{ ok: false, traceId, error: { code, message } }`. Usage errors (bad
 * flags, missing arguments) exit with 2; everything else with 1 unless said otherwise.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Stable, machine-readable code (`Usage`, `NotFound`, `InvalidTask`, …). */
    readonly code: string,
    /** The process exit code. */
    readonly exitCode = code === "Usage" ? 2 : 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A usage error: exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, "Usage", 2);
}
