/**
 * Node-API bindings over Vesper, VLTAIR's embedded C++ hybrid-search engine: exact and HNSW dense search,
 * BM25, metadata filters and rank fusion. Start with {@link openCollection}.
 *
 * @packageDocumentation
 */
export { analyze, Collection, openCollection } from "./collection.js";
export { ErrorCode, VesperError, type ErrorCodeName } from "./errors.js";
export type {
  Analyzer,
  CollectionOptions,
  CollectionStats,
  DocId,
  Document,
  DurabilityMode,
  DurabilityOptions,
  FieldOperators,
  Filter,
  FilterScalar,
  FusionAlgorithm,
  HybridQuery,
  HybridSearchConfig,
  JsonValue,
  MetadataValue,
  Metric,
  QueryStrategy,
  RecoveryReport,
  SearchHit,
  SnapshotInfo,
  StoredDocument,
  TextSearchOptions,
  VectorSearchOptions,
} from "./types.js";
