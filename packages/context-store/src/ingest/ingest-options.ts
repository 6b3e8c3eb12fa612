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
}

/** A file ingest left out, and why. */
export interface SkippedFile {
  path: string;
  reason: "binary" | "too-large" | "unreadable";
  bytes?: number;
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
  /** Binary, too-large or unreadable files. */
  skipped: SkippedFile[];
}
