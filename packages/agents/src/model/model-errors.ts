/** Stable codes of {@link ModelError}. */
export type ModelErrorCode = "HttpError" | "NetworkError" | "Timeout" | "BadResponse" | "ScriptExhausted" | "CassetteMiss" | "CassetteInvalid" | "InvalidConfig";

/** A model call that failed; `retryable` tells the orchestrator whether another attempt may help. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly retryable: boolean;
  /** HTTP status, for `HttpError`. */
  readonly status: number | undefined;

  constructor(code: ModelErrorCode, message: string, options: { retryable?: boolean; status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelError";
    this.code = code;
    this.retryable = options.retryable === true;
    this.status = options.status;
  }
}

/** A replayed cassette has no recording for this request (replay never falls back to the network). */
export class CassetteMiss extends ModelError {
  /** The request's key (see `requestKey`). */
  readonly key: string;

  constructor(key: string, file: string) {
    super("CassetteMiss", `cassette ${file}: no recording for request ${key.slice(0, 16)}… (re-record the cassette)`);
    this.name = "CassetteMiss";
    this.key = key;
  }
}
