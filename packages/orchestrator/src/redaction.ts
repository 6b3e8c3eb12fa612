/**
 * Redaction applied before anything is logged, journaled or stored: built-in secret formats
 * (`secret-patterns.ts`), configured token prefixes, and configured field paths.
 */
import { compileSecretMatcher, SECRET_PATTERNS, type SecretPattern } from "./secret-patterns.js";

/** Removes secrets from values and texts. */
export interface Redactor {
  /**
   * A deep copy of `value` with secrets replaced (the input is never mutated): strings through
   * {@link Redactor.redactText}, configured field paths replaced whole by `[REDACTED:field]`, cycles by
   * `[Circular]`. Buffers and typed arrays are returned as they are.
   */
  redact<T>(value: T): T;
  /** `text` with every secret replaced by `[REDACTED:<kind>]`. */
  redactText(text: string): string;
}

/** Options of {@link createRedactor}; each list adds to the environment's. */
export interface RedactorOptions {
  /** Token prefixes to redact (e.g. `corp_`): any token starting with one is a secret. */
  prefixes?: string[];
  /** Field paths like `analysis.details` or `payload.apiKey` whose whole value is redacted. */
  fields?: string[];
  /** Where `VLTAIR_REDACT_PREFIXES` and `VLTAIR_REDACT_FIELDS` are read; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Replacement of a value at a configured field path. */
export const REDACTED_FIELD = "[REDACTED:field]";
/** Replacement of a reference back to an object being copied. */
export const CIRCULAR_MARKER = "[Circular]";

const BUILTIN_MIN_LENGTH = 8;

/**
 * Builds a redactor from the built-in patterns, `opts`, and the environment variables
 * `VLTAIR_REDACT_PREFIXES` and `VLTAIR_REDACT_FIELDS` (comma-separated).
 *
 * A field path `a.b` matches property `b` of any object whose `kind` or `type` is `"a"`, or that is the
 * value (or an element of the array value) of a property named `a`; longer paths continue through
 * property names (`a.b.c`), and a one-segment path `b` matches property `b` anywhere.
 *
 * @throws TypeError for an empty prefix or a malformed field path
 */
export function createRedactor(opts: RedactorOptions = {}): Redactor {
  const env = opts.env ?? process.env;
  const prefixes = unique([...splitList(env.VLTAIR_REDACT_PREFIXES), ...(opts.prefixes ?? [])]);
  const fields = unique([...splitList(env.VLTAIR_REDACT_FIELDS), ...(opts.fields ?? [])]).map(parseFieldPath);
  for (const p of prefixes) {
    if (p.trim() === "") throw new TypeError("createRedactor: a redaction prefix must not be empty");
  }
  const prefixPatterns: SecretPattern[] = prefixes.map((prefix) => ({
    kind: "prefix",
    description: `token starting with ${prefix}`,
    regex: new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(prefix)}[^\\s"'\`,;()<>{}\\[\\]]+`),
  }));
  const minLength = Math.min(BUILTIN_MIN_LENGTH, ...prefixes.map((p) => p.length + 1));
  const matcher = compileSecretMatcher([...SECRET_PATTERNS, ...prefixPatterns], minLength);
  const redactText = (text: string): string => matcher.replace(text);
  return {
    redactText,
    redact<T>(value: T): T {
      return copyRedacted(value, { redactText, fields, inProgress: new Set() }, NO_PENDING) as T;
    },
  };
}

/** A field path split into segments, e.g. `["analysis", "details"]`. */
type FieldPath = readonly string[];

interface CopyState {
  readonly redactText: (text: string) => string;
  readonly fields: readonly FieldPath[];
  readonly inProgress: Set<object>;
}

/** Remaining suffixes of field paths still being followed at a node; length-1 suffixes name a property to redact. */
type Pending = readonly FieldPath[];
const NO_PENDING: Pending = [];

function copyRedacted(value: unknown, state: CopyState, pending: Pending): unknown {
  if (typeof value === "string") return state.redactText(value);
  if (typeof value !== "object" || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (state.inProgress.has(value)) return CIRCULAR_MARKER;
  state.inProgress.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copyRedacted(item, state, pending));
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value) out.set(copyRedacted(k, state, NO_PENDING), copyRedacted(v, state, NO_PENDING));
      return out;
    }
    if (value instanceof Set) return new Set([...value].map((v) => copyRedacted(v, state, NO_PENDING)));
    return copyObject(value as Record<string, unknown>, state, pending);
  } finally {
    state.inProgress.delete(value);
  }
}

function copyObject(source: Record<string, unknown>, state: CopyState, inherited: Pending): object {
  const here = pendingAt(source, state.fields, inherited);
  // Keep the prototype, so a copied Error is still an Error (and the logger can still recognise it).
  const out = Object.create(Object.getPrototypeOf(source) as object | null) as Record<string, unknown>;
  if (source instanceof Error) {
    // message and stack are own but not enumerable: copy them explicitly, redacted.
    for (const key of ["name", "message", "stack"] as const) {
      if (Object.prototype.hasOwnProperty.call(source, key)) out[key] = copyRedacted(source[key], state, NO_PENDING);
    }
    if ("cause" in source) out.cause = copyRedacted(source.cause, state, NO_PENDING);
  }
  for (const key of Object.keys(source)) {
    if (here.some((p) => p.length === 1 && p[0] === key)) {
      out[key] = REDACTED_FIELD;
      continue;
    }
    const childPending = here.filter((p) => p.length > 1 && p[0] === key).map((p) => p.slice(1));
    // A property named like a path's first segment starts that path in its value.
    for (const path of state.fields) if (path.length > 1 && path[0] === key) childPending.push(path.slice(1));
    out[key] = copyRedacted(source[key], state, childPending);
  }
  return out;
}

// Paths active at an object: those inherited from its parent, those anchored by its own kind/type, and
// one-segment paths, which match a property anywhere.
function pendingAt(source: Record<string, unknown>, fields: readonly FieldPath[], inherited: Pending): Pending {
  if (fields.length === 0) return inherited;
  const out: FieldPath[] = [...inherited];
  const kind = source.kind;
  const type = source.type;
  for (const path of fields) {
    if (path.length === 1) out.push(path);
    else if (path[0] === kind || path[0] === type) out.push(path.slice(1));
  }
  return out;
}

function parseFieldPath(text: string): FieldPath {
  const segments = text.split(".").map((s) => s.trim());
  if (segments.some((s) => s === "")) {
    throw new TypeError(`createRedactor: malformed field path ${JSON.stringify(text)} (expected names joined by dots, e.g. "analysis.details")`);
  }
  return segments;
}

function splitList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
