/**
 * Stable numeric codes of engine errors, shared with the C++ engine (`vesper::ErrorCode`).
 */
export const ErrorCode = {
  INVALID_ARGUMENT: 1,
  NOT_FOUND: 2,
  IO: 3,
  CORRUPTION: 4,
  CONFLICT: 5,
  CLOSED: 6,
  UNSUPPORTED: 7,
  LOCKED: 8,
  INTERNAL: 9,
} as const;

/** The name of an engine error code, e.g. `"INVALID_ARGUMENT"`. */
export type ErrorCodeName = keyof typeof ErrorCode;

/**
 * Every failure of the engine or the binding: bad input, use after close, I/O, corruption, conflicts.
 * `message` says what was wrong and where (e.g. `documents[3].vector[17] is NaN`).
 */
export class VesperError extends Error {
  /** Numeric code, see {@link ErrorCode}. */
  readonly code: number;
  /** Symbolic code, e.g. `"INVALID_ARGUMENT"`. */
  readonly codeName: ErrorCodeName;
  /** The engine part that raised it: `"filter"`, `"vector"`, `"bm25"`, `"collection"`, `"binding"`, … */
  readonly component: string;

  constructor(message: string, code: number, codeName: ErrorCodeName, component: string) {
    super(message);
    this.name = "VesperError";
    this.code = code;
    this.codeName = codeName;
    this.component = component;
  }
}
