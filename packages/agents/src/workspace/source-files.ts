/**
 * Lists a workspace's source files for StaticAnalysis: sorted, skipping dependencies, build output and
 * VCS data, and skipping binary or oversized files.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** Directories never analysed: dependencies, build output, VCS and tool state. */
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

/** Every regular file under `root` (relative, forward slashes, sorted), minus skipped directories. */
export async function listWorkspaceFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(join(dir, entry.name), rel);
      } else if (entry.isFile()) {
        out.push(rel);
      }
    }
  };
  await walk(root, "");
  return out.sort();
}

/** A file's text, or `undefined` when it is binary (has a NUL byte) or too large to scan. */
export async function readTextFile(root: string, path: string): Promise<string | undefined> {
  const full = join(root, path);
  if ((await stat(full)).size > MAX_SCANNED_BYTES) return undefined;
  const buffer = await readFile(full);
  if (buffer.includes(0)) return undefined;
  return buffer.toString("utf8");
}
