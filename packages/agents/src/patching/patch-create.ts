/**
 * Renders a file change as a git-style unified diff and counts its insertions and deletions.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY, parsePatch } from "diff";

/** Lines added and removed by a diff. */
export interface DiffStat {
  readonly insertions: number;
  readonly deletions: number;
}

/**
 * A git-style diff (`diff --git a/p b/p`, `---`/`+++` headers) from `before` to `after`.
 *
 * @param path - Workspace-relative path, with forward slashes.
 * @param before - Old content; `undefined` for a new file (`/dev/null`).
 * @returns The diff text; the empty string when nothing changed.
 */
export function createFileDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return "";
  const body = createTwoFilesPatch(
    before === undefined ? "/dev/null" : `a/${path}`,
    `b/${path}`,
    before ?? "",
    after,
    undefined,
    undefined,
    { headerOptions: FILE_HEADERS_ONLY },
  );
  const mode = before === undefined ? "new file mode 100644\n" : "";
  return `diff --git a/${path} b/${path}\n${mode}${body}`;
}

/** Counts `+`/`-` lines in the hunks of a unified diff (headers excluded). */
export function diffStat(diff: string): DiffStat {
  let insertions = 0;
  let deletions = 0;
  if (diff === "") return { insertions, deletions };
  for (const file of parsePatch(diff)) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith("+")) insertions += 1;
        else if (line.startsWith("-")) deletions += 1;
      }
    }
  }
  return { insertions, deletions };
}
