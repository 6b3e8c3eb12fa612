import { EnvelopeValidationError, isErrorCode, type AgentError, type Artifact, type ErrorCode } from "@vltair/envelopes";

/** The `error` member of an `AgentError`. */
export type ErrorInfo = AgentError["error"];

/** A classified handler failure. */
export interface ClassifiedFailure {
  error: ErrorInfo;
  partial?: { artifacts?: Artifact[] };
}

/**
 * Turns whatever a handler threw into an error envelope: an error carrying a known `code` keeps it, only
 * `retryable === true` is retried, an envelope validation error is `UnexpectedOutput`, anything else is a
 * non-retryable `ExecutionError`.
 */
export function classifyFailure(thrown: unknown): ClassifiedFailure {
  if (thrown instanceof EnvelopeValidationError) {
    return {
      error: {
        code: "UnexpectedOutput",
        message: `the agent's output is not a valid AgentResult: ${thrown.message}`,
        retryable: false,
        details: { issues: thrown.issues.map((i) => ({ pointer: i.pointer, message: i.message })) },
      },
    };
  }
  const e = thrown as { code?: unknown; retryable?: unknown; message?: unknown; details?: unknown; partial?: unknown; name?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : String(thrown);
  const code: ErrorCode = isErrorCode(e?.code) ? e.code : "ExecutionError";
  const error: ErrorInfo = { code, message, retryable: e?.retryable === true };
  if (e?.details && typeof e.details === "object" && !Array.isArray(e.details)) error.details = e.details as Record<string, unknown>;
  else if (code === "ExecutionError" && typeof e?.name === "string" && e.name !== "Error") error.details = { name: e.name };
  const out: ClassifiedFailure = { error };
  const partial = e?.partial as { artifacts?: unknown } | undefined;
  if (partial && Array.isArray(partial.artifacts)) out.partial = { artifacts: partial.artifacts as Artifact[] };
  return out;
}
