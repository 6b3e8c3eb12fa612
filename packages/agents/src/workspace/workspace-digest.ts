import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const SKIP = new Set([".git", "node_modules", ".vltair", "dist", "coverage"]);

/**
 * sha-256 over the workspace's files (sorted relative paths and contents; VCS, dependencies and build
 * output skipped): recorded in a workflow run's manifest, so the run says which code it started from
 * (a replay needs no workspace at all: every file access comes from the journal).
 */
export async function workspaceDigest(root: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) await walk(rel);
      } else if (entry.isFile()) {
        const content = await readFile(path.join(root, rel));
        hash.update(`${rel}\0${content.length}\0`).update(content);
      }
    }
  };
  await walk("");
  return `sha256:${hash.digest("hex")}`;
}
