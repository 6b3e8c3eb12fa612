/**
 * Applies unified diffs exactly (no fuzz) with the `diff` package, and says which file and hunk failed.
 */
import { posix } from "node:path";
import { applyPatch, parsePatch, type StructuredPatch } from "diff";

/** A unified diff could not be read (malformed hunks, no file headers, several files where one was expected). */
export class PatchParseError extends Error {
  /** Bad input, not a failed run. */
  readonly code = "ValidationFailure";
  override readonly name = "PatchParseError";
  constructor(
    /** The file the diff was given for, when known. */
    readonly file: string | undefined,
    message: string,
  ) {
    super(file === undefined ? message : `${file}: ${message}`);
  }
}

/** A parsed diff does not apply to the file's current content. */
export class PatchApplyError extends Error {
  readonly code = "ExecutionError";
  override readonly name = "PatchApplyError";
  constructor(
    /** Workspace-relative file the hunk was meant for. */
    readonly file: string,
    /** 1-based index of the first hunk that did not apply. */
    readonly hunk: number,
    /** The hunk's header, e.g. `@@ -3,4 +3,5 @@`. */
    readonly hunkHeader: string,
    message: string,
  ) {
    super(message);
  }
}

/** One file's part of a (possibly multi-file) unified diff, with `a/`/`b/` prefixes removed. */
export interface FilePatch {
  /** The file before the change; `undefined` when the diff creates it (`/dev/null`). */
  readonly oldPath: string | undefined;
  /** The file after the change; `undefined` when the diff deletes it (`/dev/null`). */
  readonly newPath: string | undefined;
  readonly patch: StructuredPatch;
}

const DEV_NULL = "/dev/null";

/** Normalises a diff header name: `/dev/null` → undefined, `./x` → `x`. */
function headerPath(name: string | undefined, gitPrefix: "a/" | "b/" | undefined): string | undefined {
  if (name === undefined || name === "" || name === DEV_NULL) return undefined;
  const bare = gitPrefix !== undefined && name.startsWith(gitPrefix) ? name.slice(2) : name;
  return posix.normalize(bare);
}

/** Git-style diffs name files `a/<path>` and `b/<path>`; plain diffs name them as they are. */
function hasGitPrefixes(patch: StructuredPatch): boolean {
  const oldName = patch.oldFileName ?? DEV_NULL;
  const newName = patch.newFileName ?? DEV_NULL;
  const oldOk = oldName === DEV_NULL || oldName.startsWith("a/");
  const newOk = newName === DEV_NULL || newName.startsWith("b/");
  return (patch.isGit === true || oldOk) && newOk && !(oldName === DEV_NULL && newName === DEV_NULL);
}

/** Formats a hunk header as it appears in the diff. */
export function hunkHeader(hunk: StructuredPatch["hunks"][number]): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
}

/**
 * Parses a unified diff into one entry per file that has hunks.
 *
 * @param diff - Unified diff text, git-style (`a/`/`b/` prefixes) or plain.
 * @param file - The file the diff was given for, used in error messages.
 * @throws {@link PatchParseError} when the text is not a unified diff with at least one hunk.
 */
export function parseFilePatches(diff: string, file?: string): FilePatch[] {
  let parsed: StructuredPatch[];
  try {
    parsed = parsePatch(diff);
  } catch (error) {
    throw new PatchParseError(file, `malformed unified diff: ${(error as Error).message}`);
  }
  const patches = parsed.filter((p) => p.hunks.length > 0);
  if (patches.length === 0) throw new PatchParseError(file, "the diff contains no hunks");
  return patches.map((patch) => {
    const prefixed = hasGitPrefixes(patch);
    return {
      oldPath: headerPath(patch.oldFileName, prefixed ? "a/" : undefined),
      newPath: headerPath(patch.newFileName, prefixed ? "b/" : undefined),
      patch,
    };
  });
}

/**
 * Applies one file's structured patch to its current content with fuzz factor 0 (context lines must
 * match exactly; a hunk may still sit at an offset, as `patch` allows).
 *
 * @param file - Workspace-relative path, for error messages.
 * @param original - Current content; `undefined` when the file does not exist yet.
 * @throws {@link PatchApplyError} naming the first hunk that does not apply.
 */
export function applyFilePatch(file: string, original: string | undefined, patch: StructuredPatch): string {
  const source = original ?? "";
  const result = applyPatch(source, patch, { fuzzFactor: 0 });
  if (result !== false) return result;
  // Find the first hunk whose prefix of the patch no longer applies: that hunk is the culprit.
  for (let count = 1; count <= patch.hunks.length; count += 1) {
    const prefix: StructuredPatch = { ...patch, hunks: patch.hunks.slice(0, count) };
    if (applyPatch(source, prefix, { fuzzFactor: 0 }) === false) {
      const hunk = patch.hunks[count - 1];
      /* v8 ignore next -- count ≤ hunks.length, so the hunk exists */
      if (hunk === undefined) break;
      const header = hunkHeader(hunk);
      const why = original === undefined ? " (the file does not exist)" : "";
      throw new PatchApplyError(
        file,
        count,
        header,
        `${file}: hunk ${count} of ${patch.hunks.length} (${header}) does not apply cleanly${why}`,
      );
    }
  }
  /* v8 ignore next 2 -- applyPatch failing as a whole implies one prefix fails */
  throw new PatchApplyError(file, patch.hunks.length, "", `${file}: the diff does not apply cleanly`);
}
