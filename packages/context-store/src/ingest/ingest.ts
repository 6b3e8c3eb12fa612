import { createHash } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { MAX_KEY_BYTES, type ContextDocument, type DocKind, type JsonValue } from "../document.js";
import { ContextStoreError } from "../errors.js";
import type { Chunk } from "./chunk.js";
import type { IngestOptions, IngestReport, SkippedFile } from "./ingest-options.js";
import {
  legacyManifestKey, manifestKey, rootId, rootIndexKey, type IngestManifest, type ManifestEntry, type RootIndex,
} from "./ingest-records.js";
import { walkFiles } from "../files/walk-files.js";
import { isCodeLanguage, isTypeScriptFamily, languageOf } from "./language.js";
import { chunkText } from "./text-chunker.js";
import { chunkTypeScript } from "./ts-chunker.js";

/** The store operations ingest needs (called inside the store's write queue). */
export interface IngestSink {
  /** The store's redaction: applied to the root, every path and every file's text before chunking. */
  redactText(text: string): string;
  /** Checks a chunk as the store would on write; throws `InvalidDocument`. */
  validate(doc: ContextDocument, where: string): ContextDocument;
  readRecord<T>(key: string): Promise<T | undefined>;
  writeRecord(key: string, payload: JsonValue): Promise<void>;
  removeRecords(keys: string[]): Promise<void>;
  /** Writes already redacted and validated chunks. */
  writeChunks(scope: string, docs: ContextDocument[]): Promise<void>;
  removeChunks(scope: string, refs: [DocKind, string][]): Promise<void>;
}

const DEFAULT_BATCH = 64;
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Longest symbol kept on a chunk (`export const a, b, …` joins every name). */
const MAX_SYMBOL_CHARS = 256;
// Open flags: never block on a FIFO swapped in after the walk, never follow a symlink swapped in.
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOFOLLOW ?? 0);
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A NUL byte in the first 8 KiB marks a binary file (git's own heuristic). */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

function errorMessage(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? (e?.message || String(error));
}

/**
 * A path as the store records it: redacted, and when redaction changed it, suffixed with a short hash of
 * the real path, so two files whose names differ only in a secret stay two documents.
 */
function recordedPath(redactText: (t: string) => string, real: string): string {
  const redacted = redactText(real);
  return redacted === real ? real : `${redacted}~${shortHash(real)}`;
}

/** The outcome of reading one file: its bytes, or why it is skipped. */
type ReadOutcome = { bytes: Buffer } | { skip: Omit<SkippedFile, "path"> } | { gone: true };

/** Reads a regular file of at most `maxBytes`, without blocking on a FIFO or following a symlink. */
async function readRegularFile(abs: string, maxBytes: number): Promise<ReadOutcome> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(abs, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { gone: true }; // removed since the walk (others edit the tree)
    if (code === "ELOOP") return { skip: { reason: "symlink", message: "symbolic links are not followed" } };
    return { skip: { reason: "unreadable", message: errorMessage(error) } };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { skip: { reason: "not-regular", message: "not a regular file" } };
    if (info.size > maxBytes) return { skip: { reason: "too-large", bytes: info.size } };
    return { bytes: await handle.readFile() };
  } catch (error) {
    return { skip: { reason: "unreadable", message: errorMessage(error) } };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The documents of one file, or why it is skipped. Everything that can go wrong with one file's content
 * (invalid UTF-8, a parser that overflows its stack on deep nesting, a key or chunk the store rejects) is
 * caught here, so one bad file never aborts an ingest.
 */
function fileDocuments(bytes: Buffer, real: string, rel: string, rootLabel: string, sink: IngestSink): ContextDocument[] | Omit<SkippedFile, "path"> {
  if (looksBinary(bytes)) return { reason: "binary", bytes: bytes.length };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: "invalid-utf8", bytes: bytes.length, message: "not valid UTF-8" };
  }
  const fileKey = `${rootLabel}/${rel}`;
  if (Buffer.byteLength(`${fileKey}#@1`) > MAX_KEY_BYTES) {
    return { reason: "path-too-long", message: `its document key would exceed ${MAX_KEY_BYTES} bytes` };
  }
  // Redact the whole text before chunking: a secret split across two chunks (a long PEM block) would
  // escape a per-chunk scan. Redaction keeps the line count, so line ranges stay those of the file.
  const clean = sink.redactText(text);
  // The language (and the parser's script kind) come from the real name: a redacted one may have lost
  // its extension to the disambiguating suffix.
  const language = languageOf(real);
  let chunks: Chunk[];
  try {
    chunks = isTypeScriptFamily(language) ? chunkTypeScript(real, clean) : chunkText(clean);
  } catch (error) {
    // Deep nesting overflows the TypeScript parser's stack (RangeError); any chunker failure is one file's.
    return { reason: "unparsable", message: `${(error as Error).name ?? "Error"}: ${(error as Error).message ?? String(error)}` };
  }
  try {
    return chunks.map((chunk, i) => sink.validate(toDocument(rel, rootLabel, language, chunk), `chunk ${i} of ${rel}`));
  } catch (error) {
    return { reason: "invalid", message: (error as Error).message };
  }
}

function toDocument(rel: string, rootLabel: string, language: string, chunk: Chunk): ContextDocument {
  const fileKey = `${rootLabel}/${rel}`;
  const kind: DocKind = isCodeLanguage(language) ? "code" : "text";
  const symbol = chunk.symbol === undefined ? undefined : chunk.symbol.length > MAX_SYMBOL_CHARS ? `${chunk.symbol.slice(0, MAX_SYMBOL_CHARS - 1)}…` : chunk.symbol;
  // The key names the root, the file, the symbol and where it starts, so it is unique within the scope.
  let key = `${fileKey}#${symbol ?? ""}@${chunk.startLine}`;
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) key = `${fileKey}#~${shortHash(chunk.symbol ?? "")}@${chunk.startLine}`;
  const doc: ContextDocument = {
    kind, key, content: chunk.content, path: rel, language, startLine: chunk.startLine, endLine: chunk.endLine, metadata: { root: rootLabel },
  };
  if (symbol !== undefined) doc.symbol = symbol;
  return doc;
}

/**
 * Indexes the repository at `dir` into `scope`: walks it honouring .gitignore, skips (and reports) files
 * it cannot or should not index, re-chunks only files whose content hash changed, removes chunks of files
 * that are gone, and embeds and writes chunks in batches. Each root keeps its own manifest and documents
 * (keys start with the root), so other repositories in the scope stay unless `replace` is set. Paths and
 * contents are redacted before anything is written. The manifest is saved after every batch, so an
 * interrupted run redoes at most the files of its last batch.
 */
export async function ingestRepository(dir: string, scope: string, options: IngestOptions, sink: IngestSink): Promise<IngestReport> {
  const started = performance.now();
  const root = path.resolve(dir);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ContextStoreError("InvalidOptions", `ingest options.batchSize: must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) throw new ContextStoreError("InvalidOptions", `ingest options.maxFileBytes: must be a positive integer, got ${maxFileBytes}`);
  const stat = await fs.stat(root).catch(() => undefined);
  const redactText = (text: string) => sink.redactText(text);
  const rootLabel = recordedPath(redactText, root);
  if (!stat?.isDirectory()) throw new ContextStoreError("IngestFailure", `ingest: ${rootLabel} is not a directory`, { dir: rootLabel });
  const progress = options.onProgress ?? (() => {});
  const redactPath = (rel: string) => recordedPath(redactText, rel);

  // Entries the walk leaves out (links, FIFOs, unreadable directories) are reported like skipped files.
  const walked: SkippedFile[] = [];
  let files: string[];
  try {
    files = await walkFiles(root, { onSkip: (s) => walked.push({ ...s, path: redactPath(s.path) }) });
  } catch (error) {
    throw new ContextStoreError("IngestFailure", `ingest: cannot read ${rootLabel}: ${errorMessage(error)}`, { dir: rootLabel });
  }
  const skipped = walked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  progress({ phase: "scan", filesDone: 0, filesTotal: files.length });

  // Register the root before writing its documents, so dropScope and replace always find them.
  const id = rootId(root);
  const index: RootIndex = (await sink.readRecord<RootIndex>(rootIndexKey(scope))) ?? { roots: {} };
  if (index.roots[id] !== rootLabel) {
    index.roots = { ...index.roots, [id]: rootLabel };
    await sink.writeRecord(rootIndexKey(scope), index as unknown as JsonValue);
  }
  let filesRemoved = await removeLegacyManifest(scope, sink);

  const manifest = (await sink.readRecord<IngestManifest>(manifestKey(scope, id))) ?? { files: {} };
  const saved: IngestManifest = { files: { ...manifest.files } };
  const seen = new Set<string>();
  let pending: ContextDocument[] = [];
  let pendingFiles: [string, ManifestEntry][] = [];
  let filesIndexed = 0;
  let unchanged = 0;
  let chunks = 0;

  const flush = async () => {
    if (pending.length > 0) await sink.writeChunks(scope, pending);
    chunks += pending.length;
    for (const [rel, entry] of pendingFiles) saved.files[rel] = entry;
    if (pendingFiles.length > 0) await sink.writeRecord(manifestKey(scope, id), saved as unknown as JsonValue);
    pending = [];
    pendingFiles = [];
  };

  for (const [i, real] of files.entries()) {
    const rel = redactPath(real);
    const read = await readRegularFile(path.join(root, real), maxFileBytes);
    if ("skip" in read) skipped.push({ path: rel, ...read.skip });
    else if ("bytes" in read) {
      const hash = createHash("sha256").update(read.bytes).digest("hex");
      const before = saved.files[rel];
      if (before?.hash === hash) {
        seen.add(rel);
        unchanged++;
      } else {
        const docs = fileDocuments(read.bytes, real, rel, rootLabel, sink);
        if (!Array.isArray(docs)) skipped.push({ path: rel, ...docs });
        else {
          seen.add(rel);
          if (before !== undefined) await sink.removeChunks(scope, before.chunks);
          delete saved.files[rel];
          pending.push(...docs);
          pendingFiles.push([rel, { hash, chunks: docs.map((d) => [d.kind, d.key]) }]);
          filesIndexed++;
          if (pending.length >= batchSize) await flush();
        }
      }
    }
    progress({ phase: "index", filesDone: i + 1, filesTotal: files.length, path: rel });
  }
  await flush();

  // Files indexed before and gone (or now skipped): their chunks go.
  const gone = Object.keys(saved.files).filter((rel) => !seen.has(rel)).sort();
  for (const [i, rel] of gone.entries()) {
    await sink.removeChunks(scope, saved.files[rel]!.chunks);
    delete saved.files[rel];
    progress({ phase: "remove", filesDone: i + 1, filesTotal: gone.length, path: rel });
  }
  if (gone.length > 0) await sink.writeRecord(manifestKey(scope, id), saved as unknown as JsonValue);
  filesRemoved += gone.length;

  const replacedRoots: string[] = [];
  if (options.replace === true) {
    for (const [other, label] of Object.entries(index.roots).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (other === id) continue;
      filesRemoved += await removeRoot(scope, other, sink);
      replacedRoots.push(label);
    }
    if (replacedRoots.length > 0) await sink.writeRecord(rootIndexKey(scope), { roots: { [id]: rootLabel } });
  }
  progress({ phase: "done", filesDone: files.length, filesTotal: files.length });
  return {
    filesScanned: files.length,
    filesIndexed,
    filesSkipped: unchanged + skipped.length,
    filesRemoved,
    chunks,
    durationMs: performance.now() - started,
    skipped,
    root: rootLabel,
    replacedRoots,
  };
}

/** Removes every document and the manifest of one root of a scope; returns the number of files it had. */
async function removeRoot(scope: string, id: string, sink: IngestSink): Promise<number> {
  const manifest = await sink.readRecord<IngestManifest>(manifestKey(scope, id));
  const entries = Object.values(manifest?.files ?? {});
  for (const entry of entries) await sink.removeChunks(scope, entry.chunks);
  await sink.removeRecords([manifestKey(scope, id)]);
  return entries.length;
}

/**
 * A scope ingested before roots were kept apart has one manifest whose chunk keys carry no root: those
 * documents cannot be told apart by repository, so they are removed (and re-created, keyed by root, as
 * each repository is ingested again).
 */
async function removeLegacyManifest(scope: string, sink: IngestSink): Promise<number> {
  const legacy = await sink.readRecord<IngestManifest>(legacyManifestKey(scope));
  if (legacy?.files === undefined) return 0;
  const entries = Object.values(legacy.files);
  for (const entry of entries) await sink.removeChunks(scope, entry.chunks);
  await sink.removeRecords([legacyManifestKey(scope)]);
  return entries.length;
}
