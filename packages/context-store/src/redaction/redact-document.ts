import type { TextRedactor } from "./text-redactor.js";

/** Deeper values are left to validation, which rejects them (documents nest at most 64 levels). */
const MAX_DEPTH = 66;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function redactJson(value: unknown, redactText: (t: string) => string, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redactText, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactText(k)] = redactJson(v, redactText, depth + 1);
    return out;
  }
  return value;
}

/**
 * A copy of a document as written by a caller with every text the store would persist redacted: key,
 * content, path, language, symbol, metadata values and every string (and property name) of `data`.
 * Metadata field names are identifiers checked by validation and stay as they are. Anything that is
 * not a document comes back unchanged, for validation to reject.
 */
export function redactDocument(doc: unknown, redactor: TextRedactor): unknown {
  if (!isPlainObject(doc)) return doc;
  const redactText = (t: string) => redactor.redactText(t);
  const out: Record<string, unknown> = { ...doc };
  for (const field of ["key", "content", "path", "language", "symbol"] as const) {
    if (typeof out[field] === "string") out[field] = redactText(out[field]);
  }
  if (out.data !== undefined) out.data = redactJson(out.data, redactText, 0);
  if (isPlainObject(out.metadata)) {
    const metadata: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(out.metadata)) {
      metadata[name] = typeof value === "string" ? redactText(value) : Array.isArray(value) ? (value as unknown[]).map((t) => (typeof t === "string" ? redactText(t) : t)) : value;
    }
    out.metadata = metadata;
  }
  return out;
}
