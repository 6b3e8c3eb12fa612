// A Vesper collection: documents with ids/keys, vectors, text, metadata and payloads, searchable by
// dense similarity (flat or HNSW), BM25 and both fused. Thread-safe: reads run concurrently, writes are
// serialised, and every mutation goes through write(), the single place a WAL hooks into.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <stop_token>
#include <thread>
#include <string>
#include <unordered_map>
#include <vector>

#include "vesper/analyzer.h"
#include "vesper/bitset.h"
#include "vesper/bm25_index.h"
#include "vesper/durability.h"
#include "vesper/fusion.h"
#include "vesper/hnsw_index.h"
#include "vesper/metadata_index.h"
#include "vesper/metadata_value.h"
#include "vesper/metric.h"
#include "vesper/vector_store.h"

namespace vesper {

struct CollectionOptions {
  std::size_t dim = 0;
  Metric metric = Metric::kCosine;
  HnswParams hnsw;
  /// Default efSearch; 0 means max(100, candidates wanted).
  std::size_t ef_search = 0;
  Bm25Params bm25;
  AnalyzerKind analyzer = AnalyzerKind::kDefault;
  /// Per-document analyzers: a document whose string metadata field `analyzer_field` holds a value
  /// listed in `analyzer_values` is analysed with that value's analyzer (field "kind", "code" → code);
  /// every other document with `analyzer`. Queries are analysed with each analyzer in use, terms united.
  std::string analyzer_field;
  std::vector<std::pair<std::string, AnalyzerKind>> analyzer_values;
  /// The caller chose the analyzer settings: opening a collection created with other settings is then
  /// an error (kInvalidArgument naming both) unless `reindex_text`, which re-analyses every stored text
  /// with the new settings on open and records them. Unset, the stored settings apply.
  bool analyzer_explicit = false;
  bool reindex_text = false;
  /// Below this many live vectors, dense search is exact (flat).
  std::size_t flat_threshold = 10000;
  /// A filter leaving fewer than this share of live vectors, or fewer than flat_filter_count ids, is
  /// searched exactly: HNSW has little to gain and recall would suffer.
  double flat_filter_ratio = 0.02;
  std::size_t flat_filter_count = 2000;
};

/// Throws kInvalidArgument naming the bad option.
void validate_options(const CollectionOptions& options);

/// Names one document: by id, or by key when no id is given.
struct DocRef {
  std::optional<std::uint64_t> id;
  std::optional<std::string> key;
};

/// A document to upsert. The vector is either borrowed (`vector`, valid for the duration of the call)
/// or owned (`owned_vector`), so the binding can hand over a Float32Array without copying it.
struct DocumentInput {
  std::optional<std::uint64_t> id;
  std::optional<std::string> key;
  std::span<const float> vector;
  std::vector<float> owned_vector;
  std::optional<std::string> text;
  Metadata metadata;
  std::optional<std::string> payload;

  std::span<const float> vector_span() const {
    return vector.data() != nullptr ? vector : std::span<const float>(owned_vector);
  }
};

/// One mutation of a batch: an upsert or a removal.
struct WriteOp {
  enum class Kind { kUpsert, kRemove };
  Kind kind = Kind::kUpsert;
  DocumentInput doc;  // kUpsert
  DocRef ref;         // kRemove
};

struct WriteResult {
  std::size_t upserted = 0;
  std::size_t removed = 0;   // removals that found a document
};

/// A stored document as get() returns it (the vector as stored: normalised for cosine).
struct StoredDocument {
  std::optional<std::uint64_t> id;
  std::optional<std::string> key;
  std::optional<std::vector<float>> vector;
  std::optional<std::string> text;
  Metadata metadata;
  std::optional<std::string> payload;
};

enum class QueryStrategy { kAuto, kDenseFirst, kSparseFirst, kParallel };
/// "AUTO" | "DENSE_FIRST" | "SPARSE_FIRST" | "PARALLEL" (case-insensitive).
QueryStrategy parse_strategy(std::string_view name);

struct HybridQuery {
  std::optional<std::string> text;
  std::span<const float> vector;  // empty = none
  std::optional<std::string> filter;  // JSON or key=value shorthand
};

struct HybridSearchConfig {
  std::size_t k = 10;
  QueryStrategy strategy = QueryStrategy::kAuto;
  FusionParams fusion;
  std::size_t rerank_factor = 10;
  std::size_t ef_search = 0;  // 0 = collection default
  bool include_metadata = true;
};

struct VectorSearchOptions {
  std::size_t k = 10;
  std::size_t ef_search = 0;
  std::optional<std::string> filter;
  bool include_metadata = true;
};

struct TextSearchOptions {
  std::size_t k = 10;
  std::optional<std::string> filter;
  bool include_metadata = true;
};

/// A search result. `score` is the fused score for hybrid search, else the one list's similarity.
/// Ranks are 1-based, 0 = absent from that list.
struct SearchHit {
  std::optional<std::uint64_t> id;
  std::optional<std::string> key;
  double score = 0;
  std::optional<float> dense_score;
  std::optional<float> distance;
  std::optional<float> sparse_score;
  std::uint32_t dense_rank = 0;
  std::uint32_t sparse_rank = 0;
  std::optional<Metadata> metadata;
};

/// How the last dense search was executed (exposed in stats for tuning).
enum class DensePath { kNone, kFlat, kHnsw };

struct CollectionStats {
  std::size_t count = 0;          // live documents
  std::size_t vectors = 0;        // live documents with a vector
  std::size_t texts = 0;          // live documents with indexed text
  std::size_t tombstones = 0;     // removed or replaced internal slots not yet compacted
  std::size_t hnsw_nodes = 0;
  std::size_t unindexed = 0;      // vectors waiting for the background graph insert (searched exactly meanwhile)
  std::size_t dim = 0;
  Metric metric = Metric::kCosine;
  AnalyzerKind analyzer = AnalyzerKind::kDefault;
  std::size_t memory_vectors = 0, memory_hnsw = 0, memory_bm25 = 0, memory_metadata = 0, memory_documents = 0;
  bool persistent = false;
  DurabilityMode durability = DurabilityMode::kNone;
  std::uint64_t last_lsn = 0;        // of the last write
  std::uint64_t checkpoint_lsn = 0;  // of the newest checkpoint
  std::uint64_t wal_bytes = 0;
  RecoveryReport recovery;           // what the last open found
};

class DirLock;
class WalWriter;

class Collection {
 public:
  /// An in-memory collection (nothing is written to disk).
  explicit Collection(CollectionOptions options);
  ~Collection();
  Collection(const Collection&) = delete;
  Collection& operator=(const Collection&) = delete;

  /// Opens (creating if needed) the durable collection in `dir`: takes the directory lock, loads the
  /// newest checkpoint and replays the committed WAL after it (a torn tail is cut and reported in
  /// stats().recovery; corruption elsewhere is an error naming file and offset). An existing
  /// collection keeps the dim, metric, HNSW and BM25 settings it was created with; a different dim or
  /// metric is an error.
  static std::shared_ptr<Collection> open(const std::filesystem::path& dir, CollectionOptions options,
                                          DurabilityOptions durability);

  const CollectionOptions& options() const noexcept { return options_; }

  /// Applies a batch atomically: it is validated whole first, so a rejected batch changes nothing.
  WriteResult write(std::vector<WriteOp> batch);
  WriteResult upsert(std::vector<DocumentInput> docs);
  WriteResult remove(std::vector<DocRef> refs);

  std::optional<StoredDocument> get(const DocRef& ref) const;
  std::size_t count() const;

  std::vector<SearchHit> search(const HybridQuery& query, const HybridSearchConfig& config) const;
  std::vector<SearchHit> search_vector(std::span<const float> vector, const VectorSearchOptions& options) const;
  std::vector<SearchHit> search_text(std::string_view text, const TextSearchOptions& options) const;

  CollectionStats stats() const;

  /// Makes every write so far durable now (fsync), whatever the mode.
  void flush();
  /// Writes a checkpoint and drops the WAL it covers; returns its LSN. No-op for in-memory collections.
  std::uint64_t checkpoint();
  /// Saves the current state under `label` (a checkpoint copy) for a later restore().
  void snapshot(const std::string& label);
  std::vector<SnapshotInfo> list_snapshots() const;
  /// Rolls the collection back to a snapshot (durably: the restored state becomes the checkpoint).
  void restore(const std::string& label);
  /// Rebuilds every index from the live documents, dropping tombstones.
  void compact();
  /// Flushes, checkpoints if anything changed, releases the directory lock. Later calls throw kClosed.
  void close();

 private:
  struct Storage;

  /// Writes the whole state (all slots, vectors, metadata, HNSW graph) as a checkpoint image.
  std::string encode_state(std::uint64_t lsn) const;
  /// Replaces the state with a checkpoint image; returns its LSN. Throws kCorruption. `text_reindexed`
  /// receives why the text index was rebuilt from the texts instead of loaded ("" if it was loaded).
  std::uint64_t decode_state(std::string_view image, const std::string& what, std::string* text_reindexed = nullptr);
  /// Empties every index (options kept).
  void reset_state();
  void check_open() const;
  /// Appends a validated batch to the WAL (unless durability is none); returns its LSN. Needs write_mutex_.
  std::uint64_t log_batch(const std::vector<WriteOp>& batch);
  std::uint64_t checkpoint_locked();
  void sync_to(std::uint64_t lsn);
  void after_write();
  bool needs_compaction() const;
  void compact_locked();
  /// Starts the background graph insert of unindexed_ if there is work and it is not running.
  void start_indexer();
  void stop_indexer();
  /// Inserts up to `limit` queued vectors into the graph; returns whether the queue is now empty.
  bool index_some(std::size_t limit);

  struct Record {
    std::optional<std::uint64_t> id;
    std::optional<std::string> key;
    std::optional<std::string> text;
    std::optional<std::string> payload;
  };

  void validate_batch(std::vector<WriteOp>& batch) const;
  void apply(const std::vector<WriteOp>& batch, WriteResult& result);
  std::optional<DocId> find(const DocRef& ref) const;
  void tombstone(DocId internal);

  Bitset allowed_set(const std::optional<std::string>& filter, const Bitset& base) const;
  std::vector<ScoredId> dense_candidates(std::span<const float> query, std::size_t k, std::size_t ef,
                                         const Bitset& allowed) const;
  std::vector<ScoredId> sparse_candidates(std::string_view text, std::size_t k, const Bitset* allowed) const;
  /// The analyzer of a document with this metadata (analyzer_field / analyzer_values, else the default).
  AnalyzerKind analyzer_for(const Metadata* md) const;
  /// The query's terms under every analyzer the settings use, united.
  std::vector<std::string> analyze_query(std::string_view text) const;
  /// Analyzer version + settings: a persisted text index is used only if it was built with these.
  std::string text_index_signature() const;
  /// Re-analyses every live text into a fresh BM25 index.
  void rebuild_text_index();
  SearchHit make_hit(DocId internal, bool include_metadata) const;

  CollectionOptions options_;
  // Writers take write_mutex_ for their whole write (it orders WAL appends and guards the WAL writer)
  // and mutex_ exclusively only while applying, so readers never wait for an fsync.
  mutable std::mutex write_mutex_;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<Storage> storage_;
  bool closed_ = false;
  std::vector<Record> records_;  // by internal id
  std::unordered_map<std::uint64_t, DocId> by_id_;
  std::unordered_map<std::string, DocId> by_key_;
  Bitset live_;
  Bitset with_vector_;  // live documents that have a vector
  std::size_t live_count_ = 0;
  std::size_t live_vectors_ = 0;
  std::size_t live_texts_ = 0;
  VectorStore vectors_;
  HnswIndex hnsw_;
  // Vectors stored but not yet in the graph, in id order. Recovery fills it instead of inserting (so
  // reopening after a crash is fast); a background thread drains it in order, so the graph ends up
  // exactly as an uninterrupted run builds it. Searches scan these exactly and merge.
  std::vector<DocId> unindexed_;
  std::size_t unindexed_head_ = 0;
  bool defer_indexing_ = false;
  std::jthread indexer_;
  bool indexer_active_ = false;  // changed only under write_mutex_ (or before the thread exists)
  Bm25Index bm25_;
  MetadataIndex metadata_;
};

}  // namespace vesper
