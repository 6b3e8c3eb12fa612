import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/** Directories skipped by default, whatever the ignore files say: VCS data and dependencies. */
export const DEFAULT_SKIPPED_DIRECTORIES: readonly string[] = Object.freeze([".git", "node_modules"]);

/** Options of {@link walkFiles}. */
export interface WalkFilesOptions {
  /** Directory names never entered, at any depth (default {@link DEFAULT_SKIPPED_DIRECTORIES}). */
  skipDirectories?: Iterable<string>;
  /**
   * List only this directory (root-relative, `/`-separated; default the root). The `.gitignore` files of
   * the root and of every directory down to it still apply, as they would for git.
   */
  under?: string;
  /** Descend into subdirectories (default true); false lists the files directly in `under`. */
  recursive?: boolean;
  /**
   * Called for each entry the walk leaves out that a caller may want to report — a symbolic link, a FIFO,
   * socket or device, a directory (below the start) or `.gitignore` that cannot be read — instead of
   * failing the walk on it. Without it such entries are passed over silently and an unreadable directory
   * fails the walk.
   */
  onSkip?: (entry: WalkSkip) => void;
}

/** An entry {@link walkFiles} left out, for `onSkip`. */
export interface WalkSkip {
  /** Root-relative, `/`-separated. */
  path: string;
  reason: "symlink" | "not-regular" | "unreadable";
  message: string;
}

interface IgnoreLayer {
  /** Directory of the .gitignore, relative to the root ("" for the root), `/`-separated. */
  base: string;
  rules: Ignore;
}

function ignoredBy(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const sub = layer.base === "" ? rel : rel.slice(layer.base.length + 1);
    if (layer.rules.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

/** `layers` plus the `.gitignore` of `rel` (when it has one). */
async function withIgnoreOf(root: string, rel: string, layers: readonly IgnoreLayer[], onSkip: WalkFilesOptions["onSkip"]): Promise<readonly IgnoreLayer[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, rel, ".gitignore"), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // None, or one that is not a rules file (a directory, a dangling or looping link): no rules here.
    if (code === "ENOENT" || code === "EISDIR" || code === "ELOOP") return layers;
    if (onSkip === undefined) throw error;
    onSkip({ path: rel === "" ? ".gitignore" : `${rel}/.gitignore`, reason: "unreadable", message: code ?? (error as Error).message });
    return layers;
  }
  return [...layers, { base: rel, rules: ignore().add(text) }];
}

/** `under` as a root-relative `/`-separated path ("" for the root). */
function startOf(under: string | undefined): string {
  if (under === undefined) return "";
  const normal = path.posix.normalize(under.replaceAll("\\", "/")).replace(/\/+$/, "");
  return normal === "." ? "" : normal;
}

/**
 * The regular files under `root` (or under `options.under`), root-relative and `/`-separated, sorted by
 * code unit. Honours every `.gitignore` on the way down (each applies to its own directory, like git),
 * always skips the `skipDirectories`, and follows no symbolic link. The one directory walker of VLTAIR:
 * repository ingestion, the agents' workspace listing, static analysis and the workspace digest use it.
 */
export async function walkFiles(root: string, options: WalkFilesOptions = {}): Promise<string[]> {
  const skipped = new Set(options.skipDirectories ?? DEFAULT_SKIPPED_DIRECTORIES);
  const start = startOf(options.under);
  const files: string[] = [];
  let layers: readonly IgnoreLayer[] = [];
  let rel = "";
  const onSkip = options.onSkip;
  for (const part of start === "" ? [] : start.split("/")) {
    layers = await withIgnoreOf(root, rel, layers, onSkip);
    rel = rel === "" ? part : `${rel}/${part}`;
  }
  const visit = async (dir: string, inherited: readonly IgnoreLayer[], descend: boolean): Promise<void> => {
    const here = await withIgnoreOf(root, dir, inherited, onSkip);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      if (onSkip === undefined || dir === start) throw error;
      onSkip({ path: dir, reason: "unreadable", message: `directory: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    for (const entry of entries) {
      const child = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (descend && !skipped.has(entry.name) && !ignoredBy(here, child, true)) await visit(child, here, true);
      } else if (ignoredBy(here, child, false)) {
        continue;
      } else if (entry.isFile()) {
        files.push(child);
      } else if (entry.isSymbolicLink()) {
        onSkip?.({ path: child, reason: "symlink", message: "symbolic links are not followed" });
      } else {
        onSkip?.({ path: child, reason: "not-regular", message: `${entry.isFIFO() ? "a FIFO" : entry.isSocket() ? "a socket" : "a device"}, not a regular file` });
      }
    }
  };
  await visit(start, layers, options.recursive !== false);
  return files.sort();
}
