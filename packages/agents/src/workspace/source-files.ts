/**
 * A workspace's source files, as StaticAnalysis, TestGen and the workspace digest read them: the shared
 * walker (`.gitignore` honoured) minus dependencies, build output, VCS and tool state; binary or
 * oversized files are not read as text.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { walkFiles } from "@vltair/context-store/files";

/** Directories never read as sources: dependencies, build output, VCS and tool state. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  "node_modules",
  ".git",
  "dist",
  "build",
  "coverage",
  ".vltair",
  ".nx",
]);

/** Files larger than this are not scanned (generated bundles, data). */
export const MAX_SCANNED_BYTES = 1024 * 1024;

/** Every source file under `root` (relative, forward slashes, sorted): not git-ignored, not in a skipped directory. */
export function listWorkspaceFiles(root: string): Promise<string[]> {
  return walkFiles(root, { skipDirectories: SKIPPED_DIRECTORIES });
}

/** A file's text, or `undefined` when it is binary (has a NUL byte) or too large to scan. */
export async function readTextFile(root: string, path: string): Promise<string | undefined> {
  const full = join(root, path);
  if ((await stat(full)).size > MAX_SCANNED_BYTES) return undefined;
  const buffer = await readFile(full);
  if (buffer.includes(0)) return undefined;
  return buffer.toString("utf8");
}
