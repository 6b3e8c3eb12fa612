/** Similarity measure of a collection. `cosine` normalises vectors on ingest. */
export type Metric = "cosine" | "l2" | "ip";

/**
 * Text analysis for BM25. Every analyzer splits words the same way for all scripts (letters, marks and
 * digits form words; the punctuation and spaces of every script separate them; CJK, Thai, Lao, Khmer and
 * Myanmar become overlapping character bigrams; emoji are terms) and folds them (NFKC, full case
 * folding, accents removed: "Café" matches "cafe"); one-letter words are kept and the English stop list
 * is dropped. `code` also splits camelCase / snake_case identifiers; `english` also stems (Porter2).
 */
export type Analyzer = "default" | "code" | "english";

/** Options of {@link openCollection}. Only `dim` is required. */
export interface CollectionOptions {
  /** Vector dimension (1…65536). */
  dim: number;
  /** Default `cosine`. */
  metric?: Metric;
  hnsw?: {
    /** Links per node (default 16). */
    M?: number;
    /** Build-time candidate list size (default 200). */
    efConstruction?: number;
    /** Default query-time candidate list size (default max(100, k)). */
    efSearch?: number;
    /** Level-assignment seed (default 42): same inserts + seed ⇒ same graph. */
    seed?: number;
  };
  bm25?: {
    /** Term-frequency saturation, > 0 (default 1.2). */
    k1?: number;
    /** Length normalisation in [0, 1] (default 0.75). */
    b?: number;
    /** Default `default`. */
    analyzer?: Analyzer;
    /**
     * Per-document analyzers: a document whose string metadata field `analyzerField` holds a value
     * listed in `analyzerValues` is analysed with that analyzer (e.g. `kind` → `{ code: "code" }`), the
     * others with `analyzer`. Queries are analysed with every analyzer in use.
     */
    analyzerField?: string;
    analyzerValues?: Record<string, Analyzer>;
    /**
     * The analyzer settings are recorded with the collection: opening it with other settings is an
     * error (`INVALID_ARGUMENT`) unless `reindex` is true, which re-analyses every stored text with the
     * new settings on open and records them. Without any analyzer option the recorded settings apply.
     */
    reindex?: boolean;
  };
  /** Below this many vectors, dense search is exact (default 10 000). */
  flatThreshold?: number;
  /** Filters leaving fewer than this share of vectors are searched exactly (default 0.02). */
  flatFilterRatio?: number;
  /** Filters leaving fewer than this many vectors are searched exactly (default 2 000). */
  flatFilterCount?: number;
  durability?: DurabilityOptions;
}

/**
 * How writes survive crashes. `commit` (default): a write resolves once fsynced (concurrent writers
 * share one fsync: group commit). `flush`: once written to the OS (survives a process crash, not a
 * power cut). `none`: no write-ahead log; state is saved at checkpoints and on close.
 */
export type DurabilityMode = "none" | "flush" | "commit";

export interface DurabilityOptions {
  /** Default `commit`. */
  mode?: DurabilityMode;
  /** A commit waits this long (0–1000 ms, default 0) so more concurrent writers share its fsync. */
  groupCommitMs?: number;
  /** Checkpoint automatically once the WAL holds this many bytes (default 64 MiB). */
  checkpointWalBytes?: number;
  /** WAL segment size (default 64 MiB). */
  walSegmentBytes?: number;
  /** Rebuild the indexes once tombstones exceed this share of slots (default 0.2)… */
  compactRatio?: number;
  /** …and this count (default 1 000). */
  compactMinTombstones?: number;
}

/** What opening the collection found: checkpoint, replayed WAL, and any torn tail that was cut off. */
export interface RecoveryReport {
  checkpointLsn: number;
  replayedBatches: number;
  lastLsn: number;
  /** A torn or corrupt WAL tail was truncated (uncommitted or damaged last batch). */
  truncated: boolean;
  truncatedFile?: string;
  truncatedOffset?: number;
  droppedBytes?: number;
  reason?: string;
  /** Why the text index was rebuilt from the stored texts instead of loaded (new analyzer settings, a
   * checkpoint of an older version); absent when it was loaded. */
  textReindexed?: string;
  durationMs: number;
}

/** A named snapshot for {@link Collection.restore}. */
export interface SnapshotInfo {
  label: string;
  lsn: number;
}

/** A document id: an integer `number` ≤ 2^53 − 1, or a `bigint` for the full u64 range. */
export type DocId = number | bigint;

/** A metadata value: indexed for filters. Arrays are tag sets (each tag matches as a term). */
export type MetadataValue = string | number | boolean | bigint | string[];

/** JSON-serialisable value (stored payloads). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A document to upsert: it needs an `id`, a `key`, or both. Upsert replaces the whole document. */
export interface Document {
  id?: DocId;
  key?: string;
  /** `dim` floats; a Float32Array is read in place without copying. */
  vector?: Float32Array | number[];
  /** Indexed by BM25. */
  text?: string;
  metadata?: Record<string, MetadataValue>;
  /** Stored as is and returned by `get`: bytes, or any JSON value. */
  payload?: Uint8Array | JsonValue;
}

/** A stored document as {@link Collection.get} returns it. */
export interface StoredDocument {
  id?: DocId;
  key?: string;
  /** As stored (normalised for `cosine`). */
  vector?: Float32Array;
  text?: string;
  metadata: Record<string, MetadataValue>;
  payload?: Uint8Array | JsonValue;
}

/** A scalar a filter compares with. */
export type FilterScalar = string | number | boolean;

/** Operators of the `{ field: { $op: … } }` form. */
export interface FieldOperators {
  $eq?: FilterScalar;
  $ne?: FilterScalar;
  $in?: FilterScalar[];
  $nin?: FilterScalar[];
  $lt?: number;
  $lte?: number;
  $gt?: number;
  $gte?: number;
  $prefix?: string;
  $exists?: boolean;
}

/**
 * A metadata filter: the canonical JSON (`{ term: { field, value } }`, `{ range: { field, min, max } }`,
 * `{ and: [...] }`, `{ or: [...] }`, `{ not: … }`), the short form `{ lang: "ts" }`, the operator form
 * `{ size: { $gte: 10 } }`, or a string: JSON text or the `key=value,key2=value2` shorthand.
 */
export type Filter =
  | string
  | { term: { field: string; value: FilterScalar } }
  | { range: { field: string; min?: number; max?: number; minInclusive?: boolean; maxInclusive?: boolean } }
  | { prefix: { field: string; value: string } }
  | { exists: { field: string } }
  | { and: Filter[] }
  | { or: Filter[] }
  | { not: Filter }
  | { [field: string]: FilterScalar | FieldOperators };

/** What a hybrid search looks for: text, a vector or both, optionally filtered. */
export interface HybridQuery {
  text?: string;
  vector?: Float32Array | number[];
  filter?: Filter;
}

export type QueryStrategy = "AUTO" | "DENSE_FIRST" | "SPARSE_FIRST" | "PARALLEL";
export type FusionAlgorithm = "RECIPROCAL_RANK" | "WEIGHTED_SUM" | "MAX_SCORE" | "LATE_INTERACTION";

/** How a hybrid search runs and fuses. Defaults follow the Vesper design. */
export interface HybridSearchConfig {
  /** Results wanted (default 10). */
  k?: number;
  /** Default `AUTO`: both inputs → `PARALLEL`, one input → that side. */
  strategy?: QueryStrategy;
  /** Default `RECIPROCAL_RANK`. */
  fusion?: FusionAlgorithm;
  /** RRF constant (default 60): a doc ranked 1st in both lists scores 2/61. */
  rrfK?: number;
  /** Weighted fusion weights (default 0.5 / 0.5, renormalised to sum 1). */
  denseWeight?: number;
  sparseWeight?: number;
  /** Each side fetches k × rerankFactor candidates (default 10). */
  rerankFactor?: number;
  /** HNSW candidate list size; raised to at least the candidates wanted. */
  efSearch?: number;
  /** Return each hit's metadata (default true). */
  includeMetadata?: boolean;
}

export interface VectorSearchOptions {
  k?: number;
  efSearch?: number;
  filter?: Filter;
  includeMetadata?: boolean;
}

export interface TextSearchOptions {
  k?: number;
  filter?: Filter;
  includeMetadata?: boolean;
}

/**
 * One result. `score` is higher-is-better: the fused score for hybrid search, else the similarity
 * (cosine/ip: dot product; l2: −distance) or the BM25 score. Ranks are 1-based; 0 = absent from that list.
 */
export interface SearchHit {
  id?: DocId;
  key?: string;
  score: number;
  denseScore?: number;
  /** Raw distance of a dense hit (cosine: 1 − similarity; l2: Euclidean; ip: −dot). */
  distance?: number;
  sparseScore?: number;
  denseRank: number;
  sparseRank: number;
  metadata?: Record<string, MetadataValue>;
}

/** Counters and memory use of a collection. */
export interface CollectionStats {
  count: number;
  vectors: number;
  texts: number;
  /** Replaced or removed documents whose slots are not yet compacted. */
  tombstones: number;
  hnswNodes: number;
  /** Vectors recovered from the WAL that a background thread is still adding to the HNSW graph
   * (searched exactly until then, so results are complete). */
  unindexed: number;
  dim: number;
  metric: Metric;
  memoryBytes: { vectors: number; hnsw: number; bm25: number; metadata: number; documents: number };
  persistent: boolean;
  durability: DurabilityMode;
  /** LSN of the last logged write. */
  lastLsn: number;
  /** LSN of the newest checkpoint. */
  checkpointLsn: number;
  walBytes: number;
  recovery: RecoveryReport;
}
