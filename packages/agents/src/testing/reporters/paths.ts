import { fileURLToPath } from "node:url";
import { isAbsolute, relative } from "node:path";
import { toPosixPath } from "../../workspace/paths.js";

/**
 * Maps reporters' absolute paths (which point into the sandbox's temporary copy) back to
 * workspace-relative POSIX paths.
 */
export interface PathResolver {
  /** The workspace-relative path of `reported`, or `undefined` when it lies outside the workspace. */
  toWorkspacePath(reported: string): string | undefined;
}

/**
 * A resolver that tries each root (the workspace, the sandbox copy when known) and then, since a
 * sandbox copy's directory is not always reported, the longest path suffix naming a known workspace
 * file.
 */
export function createPathResolver(roots: readonly string[], knownFiles: Iterable<string> = []): PathResolver {
  const known = new Set(knownFiles);
  return {
    toWorkspacePath(reported: string): string | undefined {
      const path = reported.startsWith("file://") ? fileURLToPath(reported) : reported;
      if (!isAbsolute(path)) return toPosixPath(path);
      for (const root of roots) {
        const rel = relative(root, path);
        if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return toPosixPath(rel);
      }
      const parts = toPosixPath(path).split("/");
      for (let i = 1; i < parts.length; i++) {
        const suffix = parts.slice(i).join("/");
        if (known.has(suffix)) return suffix;
      }
      return undefined;
    },
  };
}

/** Splits `path:line:column` (or `path:line`) into its parts; `undefined` when there is no line. */
export function splitLocation(location: string): { path: string; line: number; column?: number } | undefined {
  const match = /^(.*?):(\d+)(?::(\d+))?$/.exec(location.trim());
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined;
  const result: { path: string; line: number; column?: number } = { path: match[1], line: Number(match[2]) };
  if (match[3] !== undefined) result.column = Number(match[3]);
  return result;
}
