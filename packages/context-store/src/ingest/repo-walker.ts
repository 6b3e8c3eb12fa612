import fs from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { SkippedFile } from "./ingest-options.js";

/** Directories never walked, whatever the ignore files say. */
const ALWAYS_SKIPPED = new Set([".git", "node_modules"]);

interface IgnoreLayer {
  /** Directory of the .gitignore, relative to the root ("" for the root), `/`-separated. */
  base: string;
  rules: Ignore;
}

/** What a walk found: the regular files to read, and the entries it could not or would not read. */
export interface WalkResult {
  /** Regular files, relative and `/`-separated, sorted. */
  files: string[];
  /** Symbolic links, FIFOs, sockets, devices and unreadable directories (with a message). */
  skipped: SkippedFile[];
}

function ignoredBy(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const sub = layer.base === "" ? rel : rel.slice(layer.base.length + 1);
    if (layer.rules.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

async function readIgnore(dir: string): Promise<Ignore | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, ".gitignore"), "utf8");
  } catch (error) {
    // No .gitignore, or one that is not a readable file (a directory, a dangling link): no rules here.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ELOOP") return undefined;
    throw error;
  }
  return ignore().add(text);
}

function errorMessage(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(error);
}

/**
 * The regular files under `root`, relative and `/`-separated, sorted, honouring every `.gitignore` on
 * the way down (each applies to its own directory, like git) and always skipping `.git` and
 * `node_modules`. Symbolic links are not followed (a link loop cannot trap the walk); they, FIFOs,
 * sockets and devices are reported as skipped, and so is a directory that cannot be read — one bad entry
 * never stops the walk.
 */
export async function walkRepository(root: string): Promise<WalkResult> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const visit = async (rel: string, layers: readonly IgnoreLayer[]): Promise<void> => {
    const abs = rel === "" ? root : path.join(root, rel);
    let own: Ignore | undefined;
    let entries: import("node:fs").Dirent[];
    try {
      own = await readIgnore(abs);
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (error) {
      if (rel === "") throw error; // the root itself: the caller reports it
      skipped.push({ path: rel, reason: "unreadable", message: `directory: ${errorMessage(error)}` });
      return;
    }
    const here = own === undefined ? layers : [...layers, { base: rel, rules: own }];
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || ignoredBy(here, child, true)) continue;
        await visit(child, here);
      } else if (ignoredBy(here, child, false)) {
        continue;
      } else if (entry.isFile()) {
        files.push(child);
      } else if (entry.isSymbolicLink()) {
        skipped.push({ path: child, reason: "symlink", message: "symbolic links are not followed" });
      } else {
        const type = entry.isFIFO() ? "a FIFO" : entry.isSocket() ? "a socket" : "a device";
        skipped.push({ path: child, reason: "not-regular", message: `${type}, not a regular file` });
      }
    }
  };
  await visit("", []);
  return { files, skipped };
}
