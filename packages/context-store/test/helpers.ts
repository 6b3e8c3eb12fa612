import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { openContextStore, type ContextStoreOptions, type VesperContextStore } from "../src/index.js";

const dirs: string[] = [];
const stores: VesperContextStore[] = [];

/** A fresh temporary directory, removed after the test. */
export async function tempDir(prefix = "cs-"): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A fresh temporary directory holding `files` (relative path → content), removed after the test. */
export async function tempTree(files: Record<string, string>, prefix = "tree-"): Promise<string> {
  const root = await tempDir(prefix);
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
  return root;
}

/** Opens a store in a fresh directory (durability none keeps tests fast) and closes it after the test. */
export async function freshStore(options: ContextStoreOptions = {}, dir?: string): Promise<VesperContextStore> {
  const store = await openContextStore(dir ?? (await tempDir()), { durability: "none", clock: () => 1_700_000_000_000, ...options });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});
