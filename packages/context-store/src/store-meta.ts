import fs from "node:fs/promises";
import path from "node:path";
import type { Embedder } from "./embedder.js";
import { ContextStoreError } from "./errors.js";
import { writeFileAtomic } from "./files/atomic-file.js";

/** Version of the store's on-disk layout. */
export const SCHEMA_VERSION = 1;
/** Name of the metadata file inside a store directory. */
export const META_FILE = "context-store.json";

/** What a store directory records about how it was built. */
export interface StoreMeta {
  format: "vltair-context-store";
  schemaVersion: number;
  embedder: { name: string; version: string; dim: number };
}

function describe(e: StoreMeta["embedder"]): string {
  return `${e.name}@${e.version} (dim ${e.dim})`;
}

async function readMeta(file: string): Promise<StoreMeta | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (cause) {
    throw new ContextStoreError("Corrupt", `${file}: not valid JSON (${(cause as Error).message})`, { file }, { cause });
  }
  const m = meta as Partial<StoreMeta> | null;
  const e = m?.embedder;
  if (m?.format !== "vltair-context-store" || typeof m.schemaVersion !== "number" || !e || typeof e.name !== "string" || typeof e.version !== "string" || typeof e.dim !== "number") {
    throw new ContextStoreError("Corrupt", `${file}: not a context-store metadata file (expected format, schemaVersion and embedder {name, version, dim})`, { file });
  }
  return m as StoreMeta;
}

/**
 * Reads the store's metadata, or writes it for a new store, and checks that `embedder` is the one the
 * store was built with: vectors from another embedder would be silent garbage, so a mismatch is an
 * `EmbedderMismatch` error naming both.
 */
export async function ensureStoreMeta(dir: string, embedder: Embedder): Promise<StoreMeta> {
  const file = path.join(dir, META_FILE);
  const wanted: StoreMeta = {
    format: "vltair-context-store",
    schemaVersion: SCHEMA_VERSION,
    embedder: { name: embedder.name, version: embedder.version, dim: embedder.dim },
  };
  const existing = await readMeta(file);
  if (existing === undefined) {
    await fs.mkdir(dir, { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(wanted, null, 2)}\n`);
    return wanted;
  }
  if (existing.schemaVersion !== SCHEMA_VERSION) {
    throw new ContextStoreError("Corrupt", `${file}: schema version ${existing.schemaVersion} is not supported (this build reads ${SCHEMA_VERSION})`, { file });
  }
  const a = existing.embedder;
  const b = wanted.embedder;
  if (a.name !== b.name || a.version !== b.version || a.dim !== b.dim) {
    throw new ContextStoreError(
      "EmbedderMismatch",
      `context store at ${dir} was built with embedder ${describe(a)}, but was opened with ${describe(b)}; ` +
        "open it with the same embedder or re-ingest into a new directory",
      { dir, stored: a, given: b },
    );
  }
  return existing;
}
