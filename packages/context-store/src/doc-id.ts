import { createHash } from "node:crypto";
import type { DocKind } from "./document.js";

/**
 * SHA-256 over length-prefixed fields, hex. Length prefixes make ("ab", "c") and ("a", "bc") differ,
 * and the domain tag keeps different uses of the hash apart.
 */
export function tupleHash(domain: string, fields: readonly string[]): string {
  const hash = createHash("sha256");
  for (const field of [domain, ...fields]) {
    const bytes = Buffer.from(field, "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest("hex");
}

/**
 * The stable id of a logical document: the same (kind, scope, key) gives the same id in every process
 * and on every machine. The kind is part of the tuple, so a structured record (e.g. `test_result`)
 * and its text rendering (`text`) under the same key never share an id.
 *
 * @example documentId("text", "global", "README.md") // 64 hex characters
 */
export function documentId(kind: DocKind, scope: string, key: string): string {
  return tupleHash("vltair.context.doc.v1", [kind, scope, key]);
}
