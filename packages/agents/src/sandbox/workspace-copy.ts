import { cp, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { resolveInside } from "../workspace/workspace-io.js";
import { SandboxError } from "./sandbox-error.js";

/**
 * Copies `source` into `target`; every `node_modules` directory becomes a symlink to the original
 * (dependencies are read, not written, and copying them would dominate the run).
 */
export async function copyWorkspace(source: string, target: string): Promise<void> {
  const links: { from: string; to: string }[] = [];
  await cp(source, target, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src, dest) => {
      if (path.basename(src) === "node_modules" && src !== source) {
        links.push({ from: src, to: dest });
        return false;
      }
      return true;
    },
  });
  for (const link of links) {
    await mkdir(path.dirname(link.to), { recursive: true });
    await symlink(link.from, link.to, "dir");
  }
}

/**
 * Writes overlay files (workspace-relative path → content) into the copy, refusing paths that leave it —
 * lexically or through a symlink (the copy's `node_modules` are links to the real workspace's).
 */
export async function writeOverlay(root: string, overlay: Record<string, string>): Promise<void> {
  for (const rel of Object.keys(overlay).sort()) {
    let file: string;
    try {
      file = resolveInside(root, rel);
    } catch (error) {
      throw new SandboxError("InvalidSpec", `sandbox spec: overlay path "${rel}" leaves the workspace copy (${(error as Error).message})`);
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, overlay[rel] as string);
  }
}
