/**
 * Redaction applied before anything is logged, journaled or stored: built-in secret formats and
 * configured token prefixes (the text redactor of `@vltair/context-store`, which the context store
 * applies itself too), and configured field paths (structure, which only the orchestrator sees).
 */
import { createTextRedactor, splitRedactionList } from "@vltair/context-store/redaction";

/** Removes secrets from values and texts. A `Redactor` is also a context store `TextRedactor`. */
export interface Redactor {
  /**
   * A deep copy of `value` with secrets replaced (the input is never mutated): strings through
   * {@link Redactor.redactText}, configured field paths replaced whole by `[REDACTED:field]`, cycles by
   * `[Circular]`. Buffers and typed arrays are returned as they are.
   */
  redact<T>(value: T): T;
  /**
   * Like {@link Redactor.redact}, but copy-on-write: plain objects and arrays are copied only along the
   * paths where something was replaced, so a value without secrets comes back as itself. For a value that
   * is serialised at once (the journal); don't mutate the result or the input afterwards, they may share
   * parts. Optional: without it, callers fall back to `redact`.
   */
  redactShared?<T>(value: T): T;
  /** `text` with every secret replaced by `[REDACTED:<kind>]`. */
  redactText(text: string): string;
  /**
   * What the redactor was configured with beyond the built-in formats (prefixes and field paths, from
   * options and environment). Run manifests record it, so a replay redacts the way the recording did.
   * Absent for a hand-made redactor.
   */
  readonly config?: RedactionConfig;
}

/** The configured part of a redactor (prefixes and field paths are patterns, not secrets). */
export interface RedactionConfig {
  prefixes: string[];
  fields: string[];
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
  const fieldList = unique([...splitRedactionList(env.VLTAIR_REDACT_FIELDS), ...(opts.fields ?? [])]);
  const fields = fieldList.map(parseFieldPath);
  const prefixes = unique([...splitRedactionList(env.VLTAIR_REDACT_PREFIXES), ...(opts.prefixes ?? [])]);
  const text = createTextRedactor({ env: {}, prefixes });
  const redactText = (t: string): string => text.redactText(t);
  return {
    config: { prefixes, fields: fieldList },
    redactText,
    redact<T>(value: T): T {
      return copyRedacted(value, { redactText, fields, inProgress: new Set() }, NO_PENDING) as T;
    },
    redactShared<T>(value: T): T {
      return shareRedacted(value, { redactText, fields, inProgress: new Set() }, NO_PENDING) as T;
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

// Copy-on-write twin of copyRedacted for the JSON-shaped values events are made of. Anything that is not
// a plain object or an array (class instances, Dates, Maps, Errors, objects with a custom prototype that
// might serialise through an inherited toJSON) takes the deep-copying path, so its output is exactly what
// `redact` gives; plain values come back as themselves unless something inside them was replaced.
function shareRedacted(value: unknown, state: CopyState, pending: Pending): unknown {
  if (typeof value === "string") return state.redactText(value);
  if (typeof value !== "object" || value === null) return value;
  const isArray = Array.isArray(value);
  if (!isArray) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return copyRedacted(value, state, pending);
  }
  if (state.inProgress.has(value)) return CIRCULAR_MARKER;
  state.inProgress.add(value);
  try {
    return isArray ? shareArray(value as unknown[], state, pending) : shareObject(value as Record<string, unknown>, state, pending);
  } finally {
    state.inProgress.delete(value);
  }
}

function shareArray(source: unknown[], state: CopyState, pending: Pending): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < source.length; i++) {
    if (!(i in source)) continue; // a hole stays a hole, as with map()
    const item = source[i];
    const next = shareRedacted(item, state, pending);
    if (next !== item) {
      out ??= source.slice();
      out[i] = next;
    }
  }
  return out ?? source;
}

function shareObject(source: Record<string, unknown>, state: CopyState, inherited: Pending): object {
  const here = pendingAt(source, state.fields, inherited);
  const keys = Object.keys(source);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = source[key];
    let next: unknown;
    if (state.fields.length === 0) next = shareRedacted(item, state, NO_PENDING);
    else if (here.some((p) => p.length === 1 && p[0] === key)) next = REDACTED_FIELD;
    else next = shareRedacted(item, state, childPending(here, state.fields, key));
    if (next !== item && out === undefined) {
      // First change: start the copy with the keys before it, in order (same prototype as the source).
      out = Object.create(Object.getPrototypeOf(source) as object | null) as Record<string, unknown>;
      for (let j = 0; j < i; j++) out[keys[j] as string] = source[keys[j] as string];
    }
    if (out !== undefined) out[key] = next;
  }
  return out ?? source;
}

// Paths continuing below property `key`: inherited ones whose next segment is `key`, and every configured
// path whose first segment is `key` (a property named like a path's first segment starts that path).
function childPending(here: Pending, fields: readonly FieldPath[], key: string): Pending {
  const out = here.filter((p) => p.length > 1 && p[0] === key).map((p) => p.slice(1));
  for (const path of fields) if (path.length > 1 && path[0] === key) out.push(path.slice(1));
  return out;
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
    out[key] = copyRedacted(source[key], state, childPending(here, state.fields, key));
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


function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * A redactor applying `first`, then `second` (texts, values and shared values alike). Replay uses it to
 * redact with the recording's configuration and the replayer's own.
 */
export function chainRedactors(first: Redactor, second: Redactor): Redactor {
  const chained: Redactor = {
    redactText: (text) => second.redactText(first.redactText(text)),
    redact: <T>(value: T): T => second.redact(first.redact(value)),
    redactShared: <T>(value: T): T => {
      const once = first.redactShared ? first.redactShared(value) : first.redact(value);
      return second.redactShared ? second.redactShared(once) : second.redact(once);
    },
  };
  return chained;
}
