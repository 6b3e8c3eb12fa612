/**
 * The agents' shared memory over the embedded Vesper engine: scoped, typed, versioned documents with
 * hybrid search, idempotent writes, three-way merges and incremental repository ingestion.
 * Start with {@link openContextStore}.
 *
 * @packageDocumentation
 */
export { DEFAULT_ANALYZERS, openContextStore, VesperContextStore, type ContextStoreOptions } from "./vesper-context-store.js";
export type {
  ContextStore, DropScopeReport, KeyOptions, MergeOptions, MergeResult, PutOptions, PutResult, ScopeInput, SearchHit, SearchMode, SearchOptions,
} from "./context-store.js";
export {
  DOC_KINDS, DEFAULT_MAX_CONTENT_BYTES, MAX_KEY_BYTES, RESERVED_METADATA, validateDocument,
  type ContextDocument, type DocKind, type JsonObject, type JsonValue, type MetadataValue, type StoredDocument,
} from "./document.js";
export { documentId } from "./doc-id.js";
export { ContextStoreError, type ContextStoreErrorCode } from "./errors.js";
export { formatScope, parseScope, ScopeError, type Scope } from "./scope.js";
export type { SearchFilter } from "./search-filter.js";
export { threeWayMerge, type MergeConflict, type ThreeWayResult } from "./three-way-merge.js";
export type { Embedder } from "./embedder.js";
export { HashingEmbedder, type HashingEmbedderOptions } from "./hashing-embedder.js";
export type { IngestOptions, IngestProgress, IngestReport, SkippedFile, SkipReason } from "./ingest/ingest-options.js";
export { META_FILE, SCHEMA_VERSION, type StoreAnalyzers, type StoreMeta } from "./store-meta.js";
export { OpenAIEmbedder, type FetchLike, type OpenAIEmbedderOptions } from "./openai-embedder.js";
export { OnnxEmbedder, meanPool, type OnnxEmbedderOptions, type OnnxTokenizer } from "./onnx-embedder.js";
/** The shared directory walker and atomic file writer (also at `@vltair/context-store/files`, without the engine). */
export { DEFAULT_SKIPPED_DIRECTORIES, walkFiles, writeFileAtomic, type WalkFilesOptions, type WalkSkip } from "./files/index.js";
/** Redaction of secrets (also at `@vltair/context-store/redaction`, without the engine). */
export {
  createTextRedactor, splitRedactionList, SECRET_PATTERNS, findSecrets, compileSecretMatcher,
  type TextRedactor, type TextRedactorOptions, type SecretPattern, type SecretMatch, type SecretMatcher,
} from "./redaction/index.js";
