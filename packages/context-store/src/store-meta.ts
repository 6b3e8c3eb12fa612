import fs from "node:fs/promises";
import path from "node:path";
import type { Analyzer } from "@vltair/vesper-native";
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
  /** How text is analysed for BM25: `code` documents with `code`, every other kind with `text`.
   * Absent in stores written before analyzers were recorded (they used `code` for everything). */
  analyzers?: StoreAnalyzers;
}

/** The BM25 analyzers of a store, by document kind. */
export interface StoreAnalyzers {
  /** Every kind but `code` (default `english`: stemmed, so "running" finds "runs"). */
  text: Analyzer;
  /** `code` documents (default `code`: identifiers split into their words). */
  code: Analyzer;
}

/** What opening found about the analyzers: whether the engine must re-analyse, and why. */
export interface AnalyzerCheck {
  reindex: boolean;
  /** Set when reindexing: the message to show the user. */
  notice?: string;
}

const describeAnalyzers = (a: StoreAnalyzers) => `text=${a.text}, code=${a.code}`;

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
  const a = m.analyzers;
  const names = ["default", "code", "english"];
  if (a !== undefined && (typeof a !== "object" || a === null || !names.includes(a.text) || !names.includes(a.code))) {
    throw new ContextStoreError("Corrupt", `${file}: "analyzers" must be {text, code} with analyzer names (${names.join(", ")})`, { file });
  }
  return m as StoreMeta;
}

/**
 * Decides what the analyzers the store is opened with mean for its text index: nothing for a new store
 * or the recorded ones; a reindex (with a message) for a store from before analyzers were recorded or
 * when `reindexText` allows new ones; otherwise an `AnalyzerMismatch` error saying how to proceed.
 */
export function checkAnalyzers(dir: string, meta: StoreMeta, wanted: StoreAnalyzers, reindexText: boolean, created: boolean): AnalyzerCheck {
  if (created) return { reindex: false };
  const stored = meta.analyzers;
  if (stored === undefined) {
    return {
      reindex: true,
      notice: `context store at ${dir} was built before its analyzers were recorded (code analyzer for everything); ` +
        `re-analysing its texts once with ${describeAnalyzers(wanted)}`,
    };
  }
  if (stored.text === wanted.text && stored.code === wanted.code) return { reindex: false };
  if (!reindexText) {
    throw new ContextStoreError(
      "AnalyzerMismatch",
      `context store at ${dir} analyses text with ${describeAnalyzers(stored)}, but was opened with ${describeAnalyzers(wanted)}; ` +
        "open it with the same analyzers, or pass reindexText: true to re-analyse its stored texts with the new ones",
      { dir, stored, given: wanted },
    );
  }
  return { reindex: true, notice: `context store at ${dir}: re-analysing its texts with ${describeAnalyzers(wanted)} (was ${describeAnalyzers(stored)})` };
}

/** Records the analyzers once the engine has indexed with them. */
export async function recordAnalyzers(dir: string, meta: StoreMeta, analyzers: StoreAnalyzers): Promise<void> {
  if (meta.analyzers?.text === analyzers.text && meta.analyzers?.code === analyzers.code) return;
  const { created: _created, ...stored } = meta as StoreMeta & { created?: boolean };
  await writeFileAtomic(path.join(dir, META_FILE), `${JSON.stringify({ ...stored, analyzers }, null, 2)}\n`);
}

/**
 * Reads the store's metadata, or writes it for a new store, and checks that `embedder` is the one the
 * store was built with: vectors from another embedder would be silent garbage, so a mismatch is an
 * `EmbedderMismatch` error naming both. `created` tells whether the store is new.
 */
export async function ensureStoreMeta(dir: string, embedder: Embedder, analyzers?: StoreAnalyzers): Promise<StoreMeta & { created?: boolean }> {
  const file = path.join(dir, META_FILE);
  const wanted: StoreMeta = {
    format: "vltair-context-store",
    schemaVersion: SCHEMA_VERSION,
    embedder: { name: embedder.name, version: embedder.version, dim: embedder.dim },
    ...(analyzers ? { analyzers } : {}),
  };
  const existing = await readMeta(file);
  if (existing === undefined) {
    await fs.mkdir(dir, { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(wanted, null, 2)}\n`);
    return { ...wanted, created: true };
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
