#include "vesper/collection.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "vesper/error.h"
#include "vesper/filter.h"
#include "collection_storage.h"
#include "vesper/flat_index.h"

namespace vesper {
namespace {

constexpr std::size_t kMaxKeyBytes = 1024;
constexpr std::size_t kMaxTextBytes = 64u << 20;
constexpr std::size_t kMaxPayloadBytes = 64u << 20;
constexpr std::size_t kMaxK = 10000;

std::string where(std::size_t index) { return "documents[" + std::to_string(index) + "]"; }

/// Re-raises an index's validation error with the location of the offending document.
[[noreturn]] void rethrow_at(const Error& e, const std::string& location) {
  throw Error(e.code(), e.component(), location + ": " + e.what());
}

void validate_vector(std::span<const float> v, const CollectionOptions& o, const std::string& location) {
  if (v.size() != o.dim) {
    throw_invalid("vector", location + ": expected " + std::to_string(o.dim) + " dimensions, got " +
                                std::to_string(v.size()));
  }
  double norm = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw_invalid("vector", location + "[" + std::to_string(i) + "] is " + (std::isnan(v[i]) ? "NaN" : "infinite"));
    }
    norm += static_cast<double>(v[i]) * v[i];
  }
  if (o.metric == Metric::kCosine && norm == 0) {
    throw_invalid("vector", location + ": a zero vector has no direction (metric cosine)");
  }
}

void validate_k(std::size_t k, const char* what) {
  if (k == 0 || k > kMaxK) throw_invalid("search", std::string(what) + ": k must be between 1 and " + std::to_string(kMaxK));
}

/// Default efSearch: max(100, wanted), never below what the caller needs (VESPER.md §2/§5).
std::size_t effective_ef(std::size_t requested, std::size_t collection_default, std::size_t wanted) {
  std::size_t ef = requested != 0 ? requested : collection_default != 0 ? collection_default : std::max<std::size_t>(100, wanted);
  return std::max(ef, wanted);
}

std::vector<ScoredId> to_public(std::vector<ScoredId> hits, Metric metric) {
  for (ScoredId& h : hits) h.score = public_score(metric, h.score);
  return hits;
}

}  // namespace

void validate_options(const CollectionOptions& o) {
  if (o.dim == 0 || o.dim > 65536) throw_invalid("collection", "dim must be between 1 and 65536, got " + std::to_string(o.dim));
  if (!(o.flat_filter_ratio >= 0 && o.flat_filter_ratio <= 1)) throw_invalid("collection", "flatFilterRatio must be within [0, 1]");
  if (o.analyzer_field.empty() != o.analyzer_values.empty()) {
    throw_invalid("bm25", "bm25.analyzerField and bm25.analyzerValues go together (a field and the analyzer of each of its values)");
  }
  if (o.analyzer_field.size() > 256) throw_invalid("bm25", "bm25.analyzerField is longer than 256 bytes");
  for (std::size_t i = 0; i < o.analyzer_values.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (o.analyzer_values[i].first == o.analyzer_values[j].first) {
        throw_invalid("bm25", "bm25.analyzerValues lists \"" + o.analyzer_values[i].first + "\" twice");
      }
    }
  }
}

QueryStrategy parse_strategy(std::string_view name) {
  std::string u(name);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (u == "AUTO") return QueryStrategy::kAuto;
  if (u == "DENSE_FIRST") return QueryStrategy::kDenseFirst;
  if (u == "SPARSE_FIRST") return QueryStrategy::kSparseFirst;
  if (u == "PARALLEL") return QueryStrategy::kParallel;
  throw_invalid("search", "unknown strategy '" + std::string(name) + "' (expected AUTO, DENSE_FIRST, SPARSE_FIRST or PARALLEL)");
}

Collection::Collection(CollectionOptions options)
    : options_((validate_options(options), std::move(options))),
      vectors_(options_.dim, options_.metric),
      hnsw_(vectors_, options_.hnsw),
      bm25_(options_.bm25) {}

// ---- writes ------------------------------------------------------------------------------------

WriteResult Collection::upsert(std::vector<DocumentInput> docs) {
  std::vector<WriteOp> batch(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) batch[i].doc = std::move(docs[i]);
  return write(std::move(batch));
}

WriteResult Collection::remove(std::vector<DocRef> refs) {
  std::vector<WriteOp> batch(refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    batch[i].kind = WriteOp::Kind::kRemove;
    batch[i].ref = std::move(refs[i]);
  }
  return write(std::move(batch));
}

WriteResult Collection::write(std::vector<WriteOp> batch) {
  WriteResult result;
  std::uint64_t lsn = 0;
  {
    std::lock_guard order(write_mutex_);
    check_open();
    {
      std::shared_lock read(mutex_);  // writers are serialised, so the state cannot change under validation
      validate_batch(batch);
    }
    lsn = log_batch(batch);  // the single place mutations enter the WAL, in apply order
    std::unique_lock lock(mutex_);
    apply(batch, result);
  }
  if (storage_ && storage_->durability.mode == DurabilityMode::kCommit) sync_to(lsn);
  after_write();
  return result;
}

void Collection::validate_batch(std::vector<WriteOp>& batch) const {
  // Identity is resolved as apply() will, over an overlay of the batch's own effects, so that an
  // id/key conflict anywhere rejects the whole batch before anything changes.
  using Token = std::uint64_t;  // internal id of an existing doc, or (1<<32) + batch index for a new one
  std::unordered_map<std::uint64_t, std::optional<Token>> id_overlay;
  std::unordered_map<std::string, std::optional<Token>> key_overlay;
  std::unordered_map<Token, DocRef> token_identity;
  auto lookup_id = [&](std::uint64_t id) -> std::optional<Token> {
    if (auto it = id_overlay.find(id); it != id_overlay.end()) return it->second;
    if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
    return std::nullopt;
  };
  auto lookup_key = [&](const std::string& key) -> std::optional<Token> {
    if (auto it = key_overlay.find(key); it != key_overlay.end()) return it->second;
    if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
    return std::nullopt;
  };
  auto identity_of = [&](Token t) -> DocRef {
    if (auto it = token_identity.find(t); it != token_identity.end()) return it->second;
    const Record& r = records_[static_cast<DocId>(t)];
    return DocRef{r.id, r.key};
  };
  auto forget = [&](Token t) {
    DocRef old = identity_of(t);
    if (old.id) id_overlay[*old.id] = std::nullopt;
    if (old.key) key_overlay[*old.key] = std::nullopt;
  };

  for (std::size_t i = 0; i < batch.size(); ++i) {
    WriteOp& op = batch[i];
    const std::string at = where(i);
    if (op.kind == WriteOp::Kind::kRemove) {
      if (!op.ref.id && !op.ref.key) throw_invalid("collection", at + ": a removal needs an id or a key");
      std::optional<Token> t = op.ref.id ? lookup_id(*op.ref.id) : lookup_key(*op.ref.key);
      if (t) forget(*t);
      continue;
    }
    DocumentInput& d = op.doc;
    if (!d.id && !d.key) throw_invalid("collection", at + ": a document needs an id or a key");
    if (d.key && (d.key->empty() || d.key->size() > kMaxKeyBytes)) {
      throw_invalid("collection", at + ".key: must be 1 to " + std::to_string(kMaxKeyBytes) + " bytes");
    }
    if (d.text && d.text->size() > kMaxTextBytes) throw_invalid("collection", at + ".text: larger than 64 MiB");
    if (d.payload && d.payload->size() > kMaxPayloadBytes) throw_invalid("collection", at + ".payload: larger than 64 MiB");
    if (!d.vector_span().empty()) validate_vector(d.vector_span(), options_, at + ".vector");
    try {
      d.metadata = MetadataIndex::validate(std::move(d.metadata));
    } catch (const Error& e) {
      rethrow_at(e, at + ".metadata");
    }
    std::optional<Token> by_id = d.id ? lookup_id(*d.id) : std::nullopt;
    std::optional<Token> by_key = d.key ? lookup_key(*d.key) : std::nullopt;
    if (by_id && by_key && *by_id != *by_key) {
      throw Error(ErrorCode::kConflict, "collection",
                  at + ": key '" + *d.key + "' already belongs to another document than id " + std::to_string(*d.id));
    }
    if (d.id && !by_id && by_key) {
      DocRef owner = identity_of(*by_key);
      if (owner.id) {
        throw Error(ErrorCode::kConflict, "collection",
                    at + ": key '" + *d.key + "' already belongs to id " + std::to_string(*owner.id));
      }
    }
    if (auto target = by_id ? by_id : by_key) forget(*target);
    const Token token = (Token{1} << 32) + i;
    token_identity[token] = DocRef{d.id, d.key};
    if (d.id) id_overlay[*d.id] = token;
    if (d.key) key_overlay[*d.key] = token;
  }
}

void Collection::tombstone(DocId internal) {
  Record& r = records_[internal];
  if (r.id) by_id_.erase(*r.id);
  if (r.key) by_key_.erase(*r.key);
  live_.reset(internal);
  --live_count_;
  if (with_vector_.test(internal)) {
    with_vector_.reset(internal);
    --live_vectors_;
  }
  if (bm25_.contains(internal)) {
    bm25_.remove(internal);
    --live_texts_;
  }
  metadata_.remove(internal);
  // Text and payload are no longer reachable; free them now rather than at compaction.
  r.text.reset();
  r.payload.reset();
}

void Collection::apply(const std::vector<WriteOp>& batch, WriteResult& result) {
  for (const WriteOp& op : batch) {
    if (op.kind == WriteOp::Kind::kRemove) {
      if (auto found = find(op.ref)) {
        tombstone(*found);
        ++result.removed;
      }
      continue;
    }
    const DocumentInput& d = op.doc;
    std::optional<DocId> old = d.id ? find(DocRef{d.id, std::nullopt}) : std::nullopt;
    if (!old && d.key) old = find(DocRef{std::nullopt, d.key});
    if (old) tombstone(*old);

    // Every upsert takes a fresh internal id: indexes stay append-only and the graph deterministic.
    const auto internal = static_cast<DocId>(records_.size());
    records_.push_back(Record{d.id, d.key, d.text, d.payload});
    live_.resize(records_.size());
    with_vector_.resize(records_.size());
    live_.set(internal);
    ++live_count_;
    if (d.id) by_id_[*d.id] = internal;
    if (d.key) by_key_[*d.key] = internal;
    if (std::span<const float> v = d.vector_span(); !v.empty()) {
      vectors_.put_validated(internal, v.data());  // validate_batch checked it
      // Keep graph insertion in id order: once anything is queued, later vectors queue behind it.
      if (defer_indexing_ || unindexed_head_ < unindexed_.size()) unindexed_.push_back(internal);
      else hnsw_.insert(internal);
      with_vector_.set(internal);
      ++live_vectors_;
    }
    if (d.text) {
      std::vector<std::string> tokens = analyze(analyzer_for(&d.metadata), *d.text);
      bm25_.add(internal, tokens);
      ++live_texts_;
    }
    if (!d.metadata.empty()) metadata_.set(internal, d.metadata);
    ++result.upserted;
  }
}

// ---- reads -------------------------------------------------------------------------------------

std::optional<DocId> Collection::find(const DocRef& ref) const {
  if (ref.id) {
    auto it = by_id_.find(*ref.id);
    return it == by_id_.end() ? std::nullopt : std::optional<DocId>(it->second);
  }
  if (ref.key) {
    auto it = by_key_.find(*ref.key);
    return it == by_key_.end() ? std::nullopt : std::optional<DocId>(it->second);
  }
  return std::nullopt;
}

std::optional<StoredDocument> Collection::get(const DocRef& ref) const {
  std::shared_lock lock(mutex_);
  check_open();
  auto internal = find(ref);
  if (!internal) return std::nullopt;
  const Record& r = records_[*internal];
  StoredDocument doc{r.id, r.key, std::nullopt, r.text, {}, r.payload};
  if (with_vector_.test(*internal)) {
    const float* v = vectors_.get(*internal);
    doc.vector.emplace(v, v + options_.dim);
  }
  if (const Metadata* md = metadata_.get(*internal)) doc.metadata = *md;
  return doc;
}

std::size_t Collection::count() const {
  std::shared_lock lock(mutex_);
  check_open();
  return live_count_;
}

Bitset Collection::allowed_set(const std::optional<std::string>& filter, const Bitset& base) const {
  if (!filter) return base;
  Filter parsed = parse_filter(*filter);
  Bitset allowed = metadata_.evaluate(parsed, live_);
  allowed &= base;
  return allowed;
}

std::vector<ScoredId> Collection::dense_candidates(std::span<const float> query, std::size_t k, std::size_t ef,
                                                   const Bitset& allowed) const {
  std::vector<float> prepared(options_.dim);
  vectors_.prepare_query(query.data(), prepared.data());
  const std::size_t candidates = allowed.count();
  const bool exact = live_vectors_ < options_.flat_threshold || candidates < options_.flat_filter_count ||
                     static_cast<double>(candidates) < options_.flat_filter_ratio * static_cast<double>(live_vectors_);
  if (exact) return flat_search(vectors_, prepared.data(), k, allowed);
  // Without tombstones or a filter every graph node is allowed: skip the per-node bitset test.
  const bool everything = candidates == hnsw_.size();
  std::vector<ScoredId> hits = hnsw_.search(prepared.data(), k, ef, everything ? nullptr : &allowed);
  if (unindexed_head_ == unindexed_.size()) return hits;
  // Vectors still waiting for the graph are compared exactly and merged in.
  Bitset pending(allowed.size());
  for (std::size_t i = unindexed_head_; i < unindexed_.size(); ++i) {
    if (allowed.test(unindexed_[i])) pending.set(unindexed_[i]);
  }
  std::vector<ScoredId> extra = flat_search(vectors_, prepared.data(), k, pending);
  hits.insert(hits.end(), extra.begin(), extra.end());
  std::sort(hits.begin(), hits.end(), better_hit);
  if (hits.size() > k) hits.resize(k);
  return hits;
}

std::vector<ScoredId> Collection::sparse_candidates(std::string_view text, std::size_t k, const Bitset* allowed) const {
  return bm25_.search(analyze_query(text), k, allowed);
}

AnalyzerKind Collection::analyzer_for(const Metadata* md) const {
  if (options_.analyzer_field.empty() || md == nullptr) return options_.analyzer;
  for (const auto& [field, value] : *md) {
    if (field != options_.analyzer_field) continue;
    const auto* s = std::get_if<std::string>(&value);
    if (s == nullptr) break;
    for (const auto& [name, kind] : options_.analyzer_values) {
      if (name == *s) return kind;
    }
    break;
  }
  return options_.analyzer;
}

std::vector<std::string> Collection::analyze_query(std::string_view text) const {
  std::vector<std::string> terms = analyze(options_.analyzer, text);
  std::vector<AnalyzerKind> done{options_.analyzer};
  for (const auto& [name, kind] : options_.analyzer_values) {
    if (std::find(done.begin(), done.end(), kind) != done.end()) continue;
    done.push_back(kind);
    std::vector<std::string> more = analyze(kind, text);
    terms.insert(terms.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return terms;  // BM25 counts each distinct term once
}

std::string Collection::text_index_signature() const {
  std::string s = "analyzer-v" + std::to_string(kAnalyzerVersion) + ";" + analyzer_name(options_.analyzer);
  if (!options_.analyzer_field.empty()) {
    s += ";" + options_.analyzer_field;
    for (const auto& [name, kind] : options_.analyzer_values) s += ";" + name + "=" + analyzer_name(kind);
  }
  return s;
}

void Collection::rebuild_text_index() {
  bm25_ = Bm25Index(options_.bm25);
  live_.for_each([&](DocId i) {
    if (records_[i].text) bm25_.add(i, analyze(analyzer_for(metadata_.get(i)), *records_[i].text));
  });
}

SearchHit Collection::make_hit(DocId internal, bool include_metadata) const {
  SearchHit hit;
  hit.id = records_[internal].id;
  hit.key = records_[internal].key;
  if (include_metadata) {
    const Metadata* md = metadata_.get(internal);
    hit.metadata = md ? *md : Metadata{};
  }
  return hit;
}

std::vector<SearchHit> Collection::search_vector(std::span<const float> vector, const VectorSearchOptions& o) const {
  validate_k(o.k, "searchVector");
  validate_vector(vector, options_, "query.vector");
  std::shared_lock lock(mutex_);
  check_open();
  const Bitset allowed = allowed_set(o.filter, with_vector_);
  auto hits = dense_candidates(vector, o.k, effective_ef(o.ef_search, options_.ef_search, o.k), allowed);
  std::vector<SearchHit> out;
  out.reserve(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    SearchHit hit = make_hit(hits[i].id, o.include_metadata);
    hit.score = public_score(options_.metric, hits[i].score);
    hit.dense_score = static_cast<float>(hit.score);
    hit.distance = public_distance(options_.metric, hits[i].score);
    hit.dense_rank = static_cast<std::uint32_t>(i + 1);
    out.push_back(std::move(hit));
  }
  return out;
}

std::vector<SearchHit> Collection::search_text(std::string_view text, const TextSearchOptions& o) const {
  validate_k(o.k, "searchText");
  std::shared_lock lock(mutex_);
  check_open();
  std::optional<Bitset> allowed;
  if (o.filter) allowed = allowed_set(o.filter, live_);
  auto hits = sparse_candidates(text, o.k, allowed ? &*allowed : nullptr);
  std::vector<SearchHit> out;
  out.reserve(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    SearchHit hit = make_hit(hits[i].id, o.include_metadata);
    hit.score = hits[i].score;
    hit.sparse_score = hits[i].score;
    hit.sparse_rank = static_cast<std::uint32_t>(i + 1);
    out.push_back(std::move(hit));
  }
  return out;
}

std::vector<SearchHit> Collection::search(const HybridQuery& q, const HybridSearchConfig& c) const {
  validate_k(c.k, "search");
  validate_fusion(c.fusion);
  if (c.rerank_factor == 0 || c.rerank_factor > 1000) throw_invalid("search", "rerankFactor must be between 1 and 1000");
  const bool has_vector = !q.vector.empty();
  const bool has_text = q.text.has_value();
  if (has_vector) validate_vector(q.vector, options_, "query.vector");
  QueryStrategy strategy = c.strategy;
  if (strategy == QueryStrategy::kAuto) {
    if (!has_vector && !has_text) throw_invalid("search", "query needs text, a vector or both");
    strategy = QueryStrategy::kParallel;
  }
  if (strategy == QueryStrategy::kDenseFirst && !has_vector) throw_invalid("search", "strategy DENSE_FIRST needs query.vector");
  if (strategy == QueryStrategy::kSparseFirst && !has_text) throw_invalid("search", "strategy SPARSE_FIRST needs query.text");
  if (strategy == QueryStrategy::kParallel && !has_vector && !has_text) throw_invalid("search", "query needs text, a vector or both");

  std::shared_lock lock(mutex_);
  check_open();
  const std::size_t wanted = c.k * c.rerank_factor;
  const std::size_t ef = effective_ef(c.ef_search, options_.ef_search, wanted);
  const Bitset allowed = allowed_set(q.filter, live_);
  std::vector<ScoredId> dense;
  std::vector<ScoredId> sparse;

  if (strategy == QueryStrategy::kParallel) {
    if (has_vector) {
      Bitset dense_allowed = allowed;
      dense_allowed &= with_vector_;
      dense = to_public(dense_candidates(q.vector, wanted, ef, dense_allowed), options_.metric);
    }
    // BM25 only holds live documents, so without a filter it needs no mask.
    if (has_text) sparse = sparse_candidates(*q.text, wanted, q.filter ? &allowed : nullptr);
  } else if (strategy == QueryStrategy::kDenseFirst) {
    Bitset dense_allowed = allowed;
    dense_allowed &= with_vector_;
    dense = to_public(dense_candidates(q.vector, wanted, ef, dense_allowed), options_.metric);
    if (has_text) {
      Bitset pool(records_.size());
      for (const ScoredId& h : dense) pool.set(h.id);
      sparse = sparse_candidates(*q.text, wanted, &pool);
    }
  } else {  // kSparseFirst
    sparse = sparse_candidates(*q.text, wanted, q.filter ? &allowed : nullptr);
    if (has_vector) {
      std::vector<float> prepared(options_.dim);
      vectors_.prepare_query(q.vector.data(), prepared.data());
      for (const ScoredId& h : sparse) {
        if (with_vector_.test(h.id)) {
          dense.push_back(ScoredId{h.id, public_score(options_.metric, vectors_.similarity(prepared.data(), h.id))});
        }
      }
      std::sort(dense.begin(), dense.end(), better_hit);
    }
  }

  std::vector<FusedHit> fused = fuse(dense, sparse, c.fusion, c.k);
  std::vector<SearchHit> out;
  out.reserve(fused.size());
  for (const FusedHit& f : fused) {
    SearchHit hit = make_hit(f.id, c.include_metadata);
    hit.score = f.fused_score;
    hit.dense_rank = f.dense_rank;
    hit.sparse_rank = f.sparse_rank;
    if (f.dense_rank) hit.dense_score = f.dense_score;
    if (f.sparse_rank) hit.sparse_score = f.sparse_score;
    out.push_back(std::move(hit));
  }
  return out;
}

CollectionStats Collection::stats() const {
  std::lock_guard order(write_mutex_);  // WAL counters belong to the writer side
  std::shared_lock lock(mutex_);
  check_open();
  CollectionStats s;
  if (storage_) {
    s.persistent = true;
    s.durability = storage_->durability.mode;
    s.last_lsn = storage_->wal->written_lsn();
    s.checkpoint_lsn = storage_->manifest.checkpoint_lsn;
    s.wal_bytes = storage_->wal->total_bytes();
    s.recovery = storage_->recovery;
  }
  s.count = live_count_;
  s.vectors = live_vectors_;
  s.texts = live_texts_;
  s.tombstones = records_.size() - live_count_;
  s.hnsw_nodes = hnsw_.size();
  s.unindexed = unindexed_.size() - unindexed_head_;
  s.dim = options_.dim;
  s.metric = options_.metric;
  s.analyzer = options_.analyzer;
  s.memory_vectors = vectors_.memory_bytes();
  s.memory_hnsw = hnsw_.memory_bytes();
  s.memory_bm25 = bm25_.memory_bytes();
  s.memory_metadata = metadata_.memory_bytes();
  std::size_t docs = records_.capacity() * sizeof(Record);
  for (const Record& r : records_) {
    docs += (r.key ? r.key->capacity() : 0) + (r.text ? r.text->capacity() : 0) + (r.payload ? r.payload->capacity() : 0);
  }
  s.memory_documents = docs;
  return s;
}

}  // namespace vesper
