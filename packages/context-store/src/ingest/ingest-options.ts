/** A progress report of {@link ContextStore.ingest}. */
export interface IngestProgress {
  /** `scan`: walking the tree; `index`: chunking, embedding and storing; `remove`: dropping deleted files; `done`. */
  phase: "scan" | "index" | "remove" | "done";
  filesDone: number;
  filesTotal: number;
  /** The file just handled, when there is one (relative, `/`-separated). */
  path?: string;
}

/** Options of {@link ContextStore.ingest}. */
export interface IngestOptions {
  /** Scope of the chunks (default `global`). */
  scope?: string;
  /** Called as files are scanned, indexed and removed. */
  onProgress?: (progress: IngestProgress) => void;
  /** Chunks embedded and written per batch (default 64). */
  batchSize?: number;
  /** Files larger than this are skipped and reported (default 1 MiB). */
  maxFileBytes?: number;
  /**
   * Remove the documents of every other repository ingested into the scope (default false: each
   * ingested root keeps its own documents, keyed by root, so several repositories share a scope).
   */
  replace?: boolean;
}

/**
 * Why a file was left out: `binary` (a NUL byte in its first 8 KiB), `too-large`, `invalid-utf8`,
 * `unreadable` (the read failed), `unparsable` (the chunker failed, e.g. nesting deep enough to overflow
 * the parser's stack), `path-too-long` (its document key would exceed 512 bytes), `invalid`
 * (a chunk the store rejects), `symlink` (links are not followed) or `not-regular` (a FIFO, socket or
 * device).
 */
export type SkipReason = "binary" | "too-large" | "invalid-utf8" | "unreadable" | "unparsable" | "path-too-long" | "invalid" | "symlink" | "not-regular";

/** A file ingest left out, and why: one bad file never stops an ingest. */
export interface SkippedFile {
  /** Relative, `/`-separated, redacted like everything the store keeps. */
  path: string;
  reason: SkipReason;
  bytes?: number;
  /** What went wrong, for the warning (e.g. the parser's error). */
  message?: string;
}

/** What {@link ContextStore.ingest} did. */
export interface IngestReport {
  /** Files found (after ignore rules). */
  filesScanned: number;
  /** Files (re-)chunked and stored because they were new or changed. */
  filesIndexed: number;
  /** Files left as they were (unchanged) or skipped (see `skipped`). */
  filesSkipped: number;
  /** Files indexed before that are gone now; their chunks were removed. */
  filesRemoved: number;
  /** Chunks written in this run. */
  chunks: number;
  /** Wall time (for reports only). */
  durationMs: number;
  /** Files left out, each with the reason (see {@link SkipReason}). */
  skipped: SkippedFile[];
  /** The ingested root as the store records it (absolute; redacted like everything the store keeps). */
  root: string;
  /** Other roots whose documents `replace: true` removed from the scope. */
  replacedRoots: string[];
}
