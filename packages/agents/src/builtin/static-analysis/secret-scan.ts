/**
 * Secret detection for StaticAnalysis: the orchestrator's shared secret patterns (the same ones
 * redaction uses) applied to workspace files, reported without echoing the secret.
 */
import { positionOf, type Finding } from "./finding.js";

/** What a secret finder returns (structurally the orchestrator's `SecretMatch`). */
export interface SecretHit {
  readonly kind: string;
  readonly index: number;
  readonly length: number;
}

/** Finds secrets in a text: the orchestrator's `findSecrets`. */
export type SecretFinder = (text: string) => readonly SecretHit[];

/** Rule id of secret findings. */
export const SECRET_RULE = "secret";

/** Shows only enough of a secret to recognise it: the first 4 characters. */
function masked(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}

/**
 * Every secret in one file as an `error` finding at its position.
 *
 * @param file - Workspace-relative path.
 * @param text - The file's content.
 * @param find - The secret finder (`findSecrets` from `@vltair/orchestrator`).
 */
export function scanForSecrets(file: string, text: string, find: SecretFinder): Finding[] {
  return find(text).map((hit) => {
    const { line, column } = positionOf(text, hit.index);
    return {
      file,
      line,
      column,
      rule: SECRET_RULE,
      severity: "error" as const,
      message: `possible ${hit.kind} committed in source: ${masked(text.slice(hit.index, hit.index + hit.length))}`,
      suggestions: [
        "Move the value to an environment variable or a secret manager and read it at run time.",
        "Rotate the secret: anyone with access to the repository history has seen it.",
      ],
    };
  });
}
