import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { listWorkspaceFiles } from "./source-files.js";

/**
 * sha-256 over the workspace's source files (sorted relative paths and contents; git-ignored files, VCS,
 * dependencies and build output skipped): recorded in a workflow run's manifest, so the run says which
 * code it started from (a replay needs no workspace at all: every file access comes from the journal).
 */
export async function workspaceDigest(root: string): Promise<string> {
  const hash = createHash("sha256");
  for (const rel of await listWorkspaceFiles(root)) {
    const content = await readFile(path.join(root, rel));
    hash.update(`${rel}\0${content.length}\0`).update(content);
  }
  return `sha256:${hash.digest("hex")}`;
}
