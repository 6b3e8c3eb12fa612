/**
 * The model path of CodeGen: gather the target files and retrieved context into the `codegen` prompt,
 * and read a unified diff out of the model's answer.
 */

/** The model's answer held no usable unified diff. */
export class ModelOutputError extends Error {
  readonly code = "UnexpectedOutput";
  override readonly name = "ModelOutputError";
}

const FENCED = /```(?:diff|patch)?[^\n]*\n([\s\S]*?)```/g;

/**
 * The unified diff in a model answer: the first fenced block that looks like a diff, else the text from
 * the first `diff --git` / `--- ` header on.
 *
 * @throws {@link ModelOutputError} when no diff header is present.
 */
export function extractDiff(answer: string): string {
  for (const match of answer.matchAll(FENCED)) {
    const body = match[1] ?? "";
    if (/^(diff --git |--- )/m.test(body) && /^@@ /m.test(body)) return body;
  }
  const start = answer.search(/^(diff --git |--- )/m);
  if (start === -1 || !/^@@ /m.test(answer.slice(start))) {
    throw new ModelOutputError("the model's answer contains no unified diff");
  }
  return answer.slice(start);
}

/** Formats files for the prompt: a header line per file, then its content. */
export function formatFilesForPrompt(files: readonly { path: string; content: string | undefined }[]): string {
  if (files.length === 0) return "(none)";
  return files
    .map((f) => (f.content === undefined ? `=== ${f.path} (does not exist yet)` : `=== ${f.path}\n${f.content}`))
    .join("\n");
}

/** A context-store hit as far as CodeGen reads it. */
interface HitLike {
  doc?: { key?: unknown; path?: unknown; content?: unknown };
}

/** Formats context-store search hits (`{ doc: { key, path?, content } }`) for the prompt. */
export function formatContextHits(hits: readonly unknown[]): string {
  const parts: string[] = [];
  for (const hit of hits) {
    const doc = (hit as HitLike | null)?.doc;
    if (doc === undefined || typeof doc.content !== "string") continue;
    const name = typeof doc.path === "string" ? doc.path : typeof doc.key === "string" ? doc.key : "(unnamed)";
    parts.push(`--- ${name}\n${doc.content}`);
  }
  return parts.length === 0 ? "(none)" : parts.join("\n");
}
