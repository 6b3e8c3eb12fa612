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
async function withIgnoreOf(root: string, rel: string, layers: readonly IgnoreLayer[]): Promise<readonly IgnoreLayer[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, rel, ".gitignore"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return layers;
    throw error;
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
  for (const part of start === "" ? [] : start.split("/")) {
    layers = await withIgnoreOf(root, rel, layers);
    rel = rel === "" ? part : `${rel}/${part}`;
  }
  const visit = async (dir: string, inherited: readonly IgnoreLayer[], descend: boolean): Promise<void> => {
    const here = await withIgnoreOf(root, dir, inherited);
    const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
    for (const entry of entries) {
      const child = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (descend && !skipped.has(entry.name) && !ignoredBy(here, child, true)) await visit(child, here, true);
      } else if (entry.isFile() && !ignoredBy(here, child, false)) {
        files.push(child);
      }
    }
  };
  await visit(start, layers, options.recursive !== false);
  return files.sort();
}
