import { inspect } from "node:util";
import { ContextStoreError } from "./errors.js";

/** The kinds of documents the store holds. */
export type DocKind = "code" | "text" | "test_result" | "analysis" | "diff_summary" | "coverage_hint" | "plan";

/** Every {@link DocKind}, in a fixed order. */
export const DOC_KINDS: readonly DocKind[] = ["code", "text", "test_result", "analysis", "diff_summary", "coverage_hint", "plan"];

/** A JSON value (structured records are JSON objects). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: the structured part (`data`) of a document. */
export type JsonObject = { [key: string]: JsonValue };

/** A user metadata value: indexed, so searches can filter on it. Arrays are tag sets. */
export type MetadataValue = string | number | boolean | string[];

/** A document as written: its kind, logical key and content, plus optional structure and location. */
export interface ContextDocument {
  kind: DocKind;
  /** Logical key, unique per (kind, scope): e.g. a file path, a test name, `plan`. */
  key: string;
  /** The text that is embedded and searched. */
  content: string;
  /** Structured record (e.g. a test result); stored as is and returned by `get`. */
  data?: JsonObject;
  path?: string;
  language?: string;
  /** 1-based first line of a code chunk. */
  startLine?: number;
  /** 1-based last line (inclusive). */
  endLine?: number;
  /** Declaration name of a code chunk. */
  symbol?: string;
  /** Extra filterable fields; names must not be one of {@link RESERVED_METADATA}. */
  metadata?: Record<string, MetadataValue>;
}

/** A document as stored: the written document plus its id, scope, version and write time. */
export interface StoredDocument extends ContextDocument {
  /** Stable id derived from (kind, scope, key). */
  id: string;
  /** Canonical scope text, e.g. `session:42`. */
  scope: string;
  /** 1 for the first write, +1 for each applied write. */
  version: number;
  /** When this version was written (the store's injected clock, ms). */
  writtenAt: number;
}

/** Metadata field names the store sets itself (usable in filters, not in `metadata`). */
export const RESERVED_METADATA: readonly string[] = [
  "scope", "kind", "key", "version", "path", "language", "symbol", "startLine", "endLine", "contentHash",
];

/** Largest accepted content, in UTF-8 bytes (1 MiB). */
export const DEFAULT_MAX_CONTENT_BYTES = 1024 * 1024;
/** Largest accepted key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 512;

function invalid(where: string, message: string, details: Record<string, unknown> = {}): never {
  throw new ContextStoreError("InvalidDocument", `${where}: ${message}`, details);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkJson(value: unknown, where: string, depth: number): void {
  if (depth > 64) invalid(where, "nested deeper than 64 levels");
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) invalid(where, `must be a finite number, got ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJson(item, `${where}[${i}]`, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) checkJson(v, `${where}.${k}`, depth + 1);
    return;
  }
  invalid(where, `is not JSON (${typeof value})`);
}

function checkLine(value: unknown, where: string): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1)) invalid(where, `must be an integer >= 1, got ${inspect(value)}`);
}

function checkOptionalString(value: unknown, where: string): void {
  if (value !== undefined && (typeof value !== "string" || value.length === 0 || value.length > 4096)) {
    invalid(where, "must be a non-empty string of at most 4096 characters");
  }
}

/**
 * Checks a document before anything is written and returns it with only the known fields.
 * Throws `InvalidDocument` saying which field is wrong.
 */
export function validateDocument(doc: unknown, maxContentBytes: number, where = "document"): ContextDocument {
  if (!isPlainObject(doc)) invalid(where, "expected an object");
  const { kind, key, content, data, path, language, startLine, endLine, symbol, metadata } = doc;
  if (typeof kind !== "string" || !(DOC_KINDS as readonly string[]).includes(kind)) {
    invalid(`${where}.kind`, `unknown kind ${JSON.stringify(kind)}; expected one of ${DOC_KINDS.join(", ")}`);
  }
  if (typeof key !== "string" || key.length === 0) invalid(`${where}.key`, "must be a non-empty string");
  const keyBytes = Buffer.byteLength(key, "utf8");
  if (keyBytes > MAX_KEY_BYTES) invalid(`${where}.key`, `is ${keyBytes} bytes; the limit is ${MAX_KEY_BYTES}`);
  if (typeof content !== "string") invalid(`${where}.content`, "must be a string");
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > maxContentBytes) {
    invalid(`${where}.content`, `is ${bytes} bytes; the limit is ${maxContentBytes} bytes`, { bytes, limit: maxContentBytes });
  }
  if (data !== undefined) {
    if (!isPlainObject(data)) invalid(`${where}.data`, "must be a JSON object");
    checkJson(data, `${where}.data`, 0);
  }
  checkOptionalString(path, `${where}.path`);
  checkOptionalString(language, `${where}.language`);
  checkOptionalString(symbol, `${where}.symbol`);
  checkLine(startLine, `${where}.startLine`);
  checkLine(endLine, `${where}.endLine`);
  if (typeof startLine === "number" && typeof endLine === "number" && endLine < startLine) {
    invalid(`${where}.endLine`, `(${endLine}) is before startLine (${startLine})`);
  }
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) invalid(`${where}.metadata`, "must be an object");
    for (const [name, value] of Object.entries(metadata)) {
      const at = `${where}.metadata.${name}`;
      if (RESERVED_METADATA.includes(name)) invalid(at, `'${name}' is set by the store; use the document field instead`);
      if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(name)) invalid(at, "field names are 1-64 of A-Z a-z 0-9 _ . - (not starting with a digit)");
      const ok =
        typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)) ||
        (Array.isArray(value) && value.every((tag) => typeof tag === "string"));
      if (!ok) invalid(at, "must be a string, finite number, boolean or string[]");
    }
  }
  const out: ContextDocument = { kind: kind as DocKind, key, content };
  if (data !== undefined) out.data = data as JsonObject;
  if (path !== undefined) out.path = path as string;
  if (language !== undefined) out.language = language as string;
  if (startLine !== undefined) out.startLine = startLine as number;
  if (endLine !== undefined) out.endLine = endLine as number;
  if (symbol !== undefined) out.symbol = symbol as string;
  if (metadata !== undefined) out.metadata = metadata as Record<string, MetadataValue>;
  return out;
}
