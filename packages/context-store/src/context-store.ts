import type { ContextDocument, DocKind, StoredDocument } from "./document.js";
import type { IngestOptions, IngestReport } from "./ingest/ingest-options.js";
import type { Scope } from "./scope.js";
import type { SearchFilter } from "./search-filter.js";
import type { MergeConflict } from "./three-way-merge.js";

/** A scope as text (`global`, `session:<id>`, `task:<id>`) or as a parsed {@link Scope}. */
export type ScopeInput = string | Scope;

/** Options of {@link ContextStore.put}. */
export interface PutOptions {
  /** Where the document lives. */
  scope: ScopeInput;
  /** The version the caller last saw (0 = must not exist yet); another current version is a `Conflict`. */
  expectedVersion?: number;
  /**
   * Makes a retried write a no-op: once a write with this key was applied (and its document still
   * exists), repeating it returns `applied: false`. Without it, writing the content the document
   * already has is the no-op.
   */
  idempotencyKey?: string;
}

/** What a write did. */
export interface PutResult {
  id: string;
  /** The document's version after the call. */
  version: number;
  /** False when the write was a repeat and changed nothing. */
  applied: boolean;
}

/** Addresses one logical document. Without `kind`, the key must be unambiguous in the scope. */
export interface KeyOptions {
  scope: ScopeInput;
  kind?: DocKind;
}

/** How a search matches: vectors only, BM25 text only, or both fused. */
export type SearchMode = "dense" | "sparse" | "hybrid";

/** Options of {@link ContextStore.search}. */
export interface SearchOptions {
  /** The scopes the search may see (required, non-empty). */
  scopes: readonly ScopeInput[];
  /** Hits wanted (1-1000, default 10). */
  k?: number;
  /** Default `hybrid`. */
  mode?: SearchMode;
  /** Metadata filter (object, JSON text or `k=v,k2=v2`), combined with the scopes by AND. */
  filters?: SearchFilter;
  /** Only these kinds. */
  kinds?: readonly DocKind[];
  /** RRF constant for hybrid search (default 60). */
  rrfK?: number;
  /** With `sparseWeight`: hybrid search fuses by weighted sum instead of RRF. */
  denseWeight?: number;
  sparseWeight?: number;
  /** Each side of a hybrid search fetches k × rerankFactor candidates (default 10). */
  rerankFactor?: number;
}

/** One search result: the stored document and its scores (higher is better). */
export interface SearchHit {
  id: string;
  /** Fused score (hybrid) or the one side's score. */
  score: number;
  denseScore?: number;
  sparseScore?: number;
  doc: StoredDocument;
}

/** Options of {@link ContextStore.merge}. */
export interface MergeOptions {
  scope: ScopeInput;
  /** The version the caller's edit started from. */
  baseVersion: number;
  idempotencyKey?: string;
}

/** A merge that succeeded (and was written) or the conflicts that stopped it (nothing written). */
export type MergeResult =
  | { merged: true; id: string; version: number; content: string; applied: boolean }
  | { merged: false; id: string; currentVersion: number; baseVersion: number; conflicts: MergeConflict[] };

/** What {@link ContextStore.dropScope} removed. */
export interface DropScopeReport {
  scope: string;
  documents: number;
}

/**
 * The agents' shared memory: scoped, typed, versioned documents with hybrid search. Every read names
 * the scopes it may see; every write names its scope.
 */
export interface ContextStore {
  put(doc: ContextDocument, options: PutOptions): Promise<PutResult>;
  get(key: string, options: KeyOptions): Promise<StoredDocument | undefined>;
  history(key: string, options: KeyOptions): Promise<StoredDocument[]>;
  delete(key: string, options: KeyOptions): Promise<boolean>;
  search(text: string, options: SearchOptions): Promise<SearchHit[]>;
  merge(doc: ContextDocument, options: MergeOptions): Promise<MergeResult>;
  ingest(dir: string, options?: IngestOptions): Promise<IngestReport>;
  dropScope(scope: ScopeInput): Promise<DropScopeReport>;
  close(): Promise<void>;
}
