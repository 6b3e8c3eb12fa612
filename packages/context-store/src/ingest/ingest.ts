import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { ContextDocument, DocKind } from "../document.js";
import { ContextStoreError } from "../errors.js";
import type { Chunk } from "./chunk.js";
import type { IngestOptions, IngestReport, SkippedFile } from "./ingest-options.js";
import { isCodeLanguage, isTypeScriptFamily, languageOf } from "./language.js";
import { walkFiles } from "../files/walk-files.js";
import { chunkText } from "./text-chunker.js";
import { chunkTypeScript } from "./ts-chunker.js";

/** What the store remembers per ingested scope: each file's content hash and the chunks it produced. */
export interface IngestManifest {
  files: Record<string, { hash: string; chunks: [DocKind, string][] }>;
}

/** The store operations ingest needs (called inside the store's write queue). */
export interface IngestSink {
  readManifest(scope: string): Promise<IngestManifest>;
  writeManifest(scope: string, manifest: IngestManifest): Promise<void>;
  writeChunks(scope: string, docs: ContextDocument[]): Promise<void>;
  removeChunks(scope: string, refs: [DocKind, string][]): Promise<void>;
}

const DEFAULT_BATCH = 64;
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** A NUL byte in the first 8 KiB marks a binary file (git's own heuristic). */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

function chunkFile(rel: string, text: string, language: string): Chunk[] {
  return isTypeScriptFamily(language) ? chunkTypeScript(rel, text) : chunkText(text);
}

function toDocument(rel: string, language: string, chunk: Chunk): ContextDocument {
  const kind: DocKind = isCodeLanguage(language) ? "code" : "text";
  // The key names the file, the symbol and where it starts, so it is unique within a file.
  const key = `${rel}#${chunk.symbol ?? ""}@${chunk.startLine}`;
  const doc: ContextDocument = { kind, key, content: chunk.content, path: rel, language, startLine: chunk.startLine, endLine: chunk.endLine };
  if (chunk.symbol !== undefined) doc.symbol = chunk.symbol;
  return doc;
}

/**
 * Indexes the repository at `dir` into `scope`: walks it honouring .gitignore, skips binary and large
 * files, re-chunks only files whose content hash changed, removes chunks of files that are gone, and
 * embeds and writes chunks in batches. The manifest is saved after every batch, so an interrupted run
 * redoes at most the files of its last batch.
 */
export async function ingestRepository(dir: string, scope: string, options: IngestOptions, sink: IngestSink): Promise<IngestReport> {
  const started = performance.now();
  const root = path.resolve(dir);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ContextStoreError("InvalidOptions", `ingest options.batchSize: must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) throw new ContextStoreError("InvalidOptions", `ingest options.maxFileBytes: must be a positive integer, got ${maxFileBytes}`);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ContextStoreError("IngestFailure", `ingest: ${root} is not a directory`, { dir: root });
  const progress = options.onProgress ?? (() => {});

  const files = await walkFiles(root);
  progress({ phase: "scan", filesDone: 0, filesTotal: files.length });
  const manifest = await sink.readManifest(scope);
  const saved: IngestManifest = { files: { ...manifest.files } };
  const seen = new Set<string>();
  const skipped: SkippedFile[] = [];
  let pending: ContextDocument[] = [];
  let pendingFiles: [string, { hash: string; chunks: [DocKind, string][] }][] = [];
  let filesIndexed = 0;
  let unchanged = 0;
  let chunks = 0;

  const flush = async () => {
    if (pending.length > 0) await sink.writeChunks(scope, pending);
    chunks += pending.length;
    for (const [rel, entry] of pendingFiles) saved.files[rel] = entry;
    if (pendingFiles.length > 0) await sink.writeManifest(scope, saved);
    pending = [];
    pendingFiles = [];
  };

  for (const [i, rel] of files.entries()) {
    const abs = path.join(root, rel);
    // A file can vanish between the walk and here (others edit the tree): then it is simply gone.
    const size = (await fs.stat(abs).catch(() => undefined))?.size;
    if (size === undefined) {
      progress({ phase: "index", filesDone: i + 1, filesTotal: files.length, path: rel });
      continue;
    }
    if (size > maxFileBytes) {
      skipped.push({ path: rel, reason: "too-large", bytes: size });
    } else {
      let bytes: Buffer | undefined;
      try {
        bytes = await fs.readFile(abs);
      } catch {
        skipped.push({ path: rel, reason: "unreadable" });
      }
      if (bytes !== undefined && looksBinary(bytes)) skipped.push({ path: rel, reason: "binary", bytes: bytes.length });
      else if (bytes !== undefined) {
        seen.add(rel);
        const hash = createHash("sha256").update(bytes).digest("hex");
        const before = saved.files[rel];
        if (before?.hash === hash) unchanged++;
        else {
          if (before !== undefined) await sink.removeChunks(scope, before.chunks);
          delete saved.files[rel];
          const language = languageOf(rel);
          const docs = chunkFile(rel, bytes.toString("utf8"), language).map((c) => toDocument(rel, language, c));
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

  const gone = Object.keys(saved.files).filter((rel) => !seen.has(rel)).sort();
  for (const [i, rel] of gone.entries()) {
    await sink.removeChunks(scope, saved.files[rel]!.chunks);
    delete saved.files[rel];
    progress({ phase: "remove", filesDone: i + 1, filesTotal: gone.length, path: rel });
  }
  if (gone.length > 0) await sink.writeManifest(scope, saved);
  progress({ phase: "done", filesDone: files.length, filesTotal: files.length });
  return {
    filesScanned: files.length,
    filesIndexed,
    filesSkipped: unchanged + skipped.length,
    filesRemoved: gone.length,
    chunks,
    durationMs: performance.now() - started,
    skipped,
  };
}
