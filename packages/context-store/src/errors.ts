/** Stable codes of {@link ContextStoreError}. */
export type ContextStoreErrorCode =
  | "InvalidDocument"
  | "InvalidScope"
  | "InvalidQuery"
  | "InvalidOptions"
  | "Conflict"
  | "EmbedderMismatch"
  | "AnalyzerMismatch"
  | "EmbedderFailure"
  | "NotFound"
  | "Closed"
  | "Corrupt"
  | "Locked"
  | "Io"
  | "IngestFailure";

/**
 * Every failure of the context store: bad input (what and where), version conflicts, an embedder that
 * does not match the store, use after close. A rejected write has changed nothing.
 */
export class ContextStoreError extends Error {
  /** Stable code, e.g. `"Conflict"`. */
  readonly code: ContextStoreErrorCode;
  /** Machine-readable facts about the failure (ids, versions, sizes). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ContextStoreErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ContextStoreError";
    this.code = code;
    this.details = details;
  }
}
