import fs from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/** Directories never walked, whatever the ignore files say. */
const ALWAYS_SKIPPED = new Set([".git", "node_modules"]);

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

async function readIgnore(dir: string): Promise<Ignore | undefined> {
  try {
    return ignore().add(await fs.readFile(path.join(dir, ".gitignore"), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The regular files under `root`, relative and `/`-separated, sorted, honouring every `.gitignore` on
 * the way down (each applies to its own directory, like git) and always skipping `.git` and
 * `node_modules`. Symbolic links are not followed.
 */
export async function walkRepository(root: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (rel: string, layers: readonly IgnoreLayer[]): Promise<void> => {
    const abs = rel === "" ? root : path.join(root, rel);
    const own = await readIgnore(abs);
    const here = own === undefined ? layers : [...layers, { base: rel, rules: own }];
    const entries = await fs.readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || ignoredBy(here, child, true)) continue;
        await visit(child, here);
      } else if (entry.isFile() && !ignoredBy(here, child, false)) {
        files.push(child);
      }
    }
  };
  await visit("", []);
  return files;
}
