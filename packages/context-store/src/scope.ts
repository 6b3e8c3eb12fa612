/** Where a document lives: shared by everyone, one session, or one task. */
export type Scope = { kind: "global" } | { kind: "session"; id: string } | { kind: "task"; id: string };

/** Thrown for a malformed scope string. */
export class ScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScopeError";
  }
}

const SCOPE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Parses `global`, `session:<id>` or `task:<id>` (ids: 1–128 of `A–Z a–z 0–9 . _ : -`).
 *
 * @example parseScope("session:42") // { kind: "session", id: "42" }
 */
export function parseScope(text: string): Scope {
  if (text === "global") return { kind: "global" };
  const colon = text.indexOf(":");
  const kind = colon < 0 ? text : text.slice(0, colon);
  const id = colon < 0 ? "" : text.slice(colon + 1);
  if (kind !== "session" && kind !== "task") {
    throw new ScopeError(`scope '${text}': expected 'global', 'session:<id>' or 'task:<id>'`);
  }
  if (!SCOPE_ID.test(id)) {
    throw new ScopeError(`scope '${text}': the ${kind} id must be 1-128 characters of A-Z a-z 0-9 . _ : -`);
  }
  return { kind, id };
}

/** The canonical text of a scope (inverse of {@link parseScope}). */
export function formatScope(scope: Scope): string {
  return scope.kind === "global" ? "global" : `${scope.kind}:${scope.id}`;
}
