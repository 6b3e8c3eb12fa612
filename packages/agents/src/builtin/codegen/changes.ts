/**
 * Turns CodeGen's requested changes (full content, unified diffs, templates) into planned file
 * contents, in order, without touching disk: reads come through the given reader.
 */
import { formatPatch } from "diff";
import { renderTemplate } from "./template.js";
import { applyFilePatch, parseFilePatches, PatchParseError } from "../../patching/patch-apply.js";
import { normaliseRelativePath } from "../../workspace/paths.js";

/** One requested change, as in `CodeGenPayload.changes`. */
export type CodeGenChange =
  | { readonly path: string; readonly content: string }
  | { readonly path: string; readonly diff: string }
  | { readonly path: string; readonly template: string; readonly variables?: Readonly<Record<string, string>> };

/** A file's content before and after all changes. */
export interface PlannedFile {
  /** Normalised workspace-relative path. */
  readonly path: string;
  /** `undefined` when the file does not exist yet. */
  readonly before: string | undefined;
  readonly after: string;
}

/** A path in a CodeGen (or TestGen / StaticAnalysis) payload leaves the workspace, is absolute or is empty. */
export class CodeGenPathError extends Error {
  readonly code = "ValidationFailure";
  override readonly name = "CodeGenPathError";
  constructor(readonly path: string) {
    super(`'${path}' is not a relative path inside the workspace`);
  }
}

/**
 * Normalises a workspace-relative path (`./src//a.ts` → `src/a.ts`).
 *
 * @throws {@link CodeGenPathError} for absolute paths, paths escaping with `..`, or empty paths.
 */
export function normaliseWorkspacePath(path: string): string {
  const normal = normaliseRelativePath(path);
  if (normal === undefined) throw new CodeGenPathError(path);
  return normal;
}

/** Reads a workspace file's text; `undefined` when it does not exist. */
export type ReadWorkspaceFile = (path: string) => Promise<string | undefined>;

/**
 * Computes every file's final content by applying the changes in order (a later change to the same
 * file applies on top of the earlier one).
 *
 * @returns Files whose content changes, sorted by path.
 * @throws {@link CodeGenPathError}, {@link PatchParseError}, `PatchApplyError` or `TemplateError`.
 */
export async function planChanges(changes: readonly CodeGenChange[], read: ReadWorkspaceFile): Promise<PlannedFile[]> {
  const before = new Map<string, string | undefined>();
  const current = new Map<string, string | undefined>();
  const load = async (path: string): Promise<string | undefined> => {
    if (!current.has(path)) {
      const text = await read(path);
      before.set(path, text);
      current.set(path, text);
    }
    return current.get(path);
  };
  for (const change of changes) {
    const path = normaliseWorkspacePath(change.path);
    if ("content" in change) {
      await load(path);
      current.set(path, change.content);
    } else if ("diff" in change) {
      const patches = parseFilePatches(change.diff, path);
      const filePatch = patches[0];
      if (filePatch === undefined || patches.length !== 1) {
        throw new PatchParseError(path, `expected a diff for one file, got ${patches.length} files`);
      }
      const named = filePatch.newPath ?? filePatch.oldPath;
      if (filePatch.newPath === undefined) throw new PatchParseError(path, "deleting files is not supported");
      if (named !== undefined && named !== path) {
        throw new PatchParseError(path, `the diff is for '${named}', not for '${path}'`);
      }
      current.set(path, applyFilePatch(path, await load(path), filePatch.patch));
    } else {
      await load(path);
      current.set(path, renderTemplate(path, change.template, change.variables));
    }
  }
  return [...current.entries()]
    .filter(([path, after]) => after !== undefined && after !== before.get(path))
    .map(([path, after]) => ({ path, before: before.get(path), after: after as string }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Splits a (possibly multi-file) unified diff into one `{ path, diff }` change per file, using the
 * new file name (prefixes stripped) and falling back to `target` when the diff names no file.
 */
export function changesFromDiff(diff: string, target: string): { path: string; diff: string }[] {
  return parseFilePatches(diff, target).map((filePatch) => {
    const path = filePatch.newPath ?? filePatch.oldPath ?? target;
    return { path, diff: formatPatch(filePatch.patch) };
  });
}
