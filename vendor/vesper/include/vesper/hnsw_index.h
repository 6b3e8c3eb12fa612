// HNSW approximate nearest-neighbour graph over a VectorStore (Malkov & Yashunin; hnswlib's algorithm:
// random levels with mL = 1/ln(M), 2·M links at level 0, heuristic neighbour selection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vesper/bitset.h"
#include "vesper/ids.h"
#include "vesper/vector_store.h"

namespace vesper {

struct HnswParams {
  std::size_t M = 16;                 // links per node above level 0; 2·M at level 0. In [2, 256].
  std::size_t ef_construction = 200;  // candidate list size while inserting. ≥ 1.
  std::uint64_t seed = 42;            // seeds the level generator
};

/// Throws kInvalidArgument (component "hnsw") naming the bad parameter.
void validate_hnsw_params(const HnswParams& params);

/// Nodes are internal document ids and read their vectors from the store, which must outlive the index
/// and keep every inserted id's vector unchanged.
///
/// Single writer: the graph is a pure function of (insert order, params, vectors), so the same inserts
/// give byte-identical serialize() output and identical search results, on any CPU (the distance
/// kernels are bit-identical across SIMD variants). Search heaps and results order equal similarities by
/// ascending id; neighbour selection prefers the newest id among equals (as hnswlib does), which keeps
/// groups of identical vectors connected to the rest of the graph.
///
/// Concurrency: search() is safe from many threads at once while no insert() runs; the caller serialises
/// writers and excludes readers during a write. Searches take no locks and reuse per-thread scratch
/// (a visited array of 2 bytes per id, kept by each thread that has searched).
class HnswIndex {
 public:
  HnswIndex(const VectorStore& store, HnswParams params);

  /// Links `id` (which must have a vector in the store and not be in the index yet) into the graph.
  /// kInvalidArgument (component "hnsw") otherwise. A failed insert (including std::bad_alloc) leaves the
  /// index unchanged: everything that can throw happens before the first link is written.
  void insert(DocId id);

  /// The k nodes most similar to `prepared_query` (from VectorStore::prepare_query) among `allowed`
  /// (nullptr = every node), best first by better_hit, scores as VectorStore::similarity. The search
  /// keeps max(ef, k) candidates. Nodes outside `allowed` are still traversed (they keep the graph
  /// connected) but never returned, so a selective filter still yields k hits when k are reachable.
  std::vector<ScoredId> search(const float* prepared_query, std::size_t k, std::size_t ef,
                               const Bitset* allowed) const;

  std::size_t size() const noexcept { return size_; }
  bool contains(DocId id) const noexcept { return id < levels_.size() && levels_[id] >= 0; }
  const HnswParams& params() const noexcept { return params_; }
  /// Highest level in the graph, −1 when empty.
  int max_level() const noexcept { return max_level_; }
  std::size_t memory_bytes() const noexcept;

  /// Appends a versioned, checksummed little-endian image of the graph (not the vectors) to `out`.
  void serialize(std::string& out) const;
  /// Rebuilds an index from serialize() output over `store` (which must hold the same vectors).
  /// Anything malformed — truncation, bad magic/version/checksum, counts or ids out of range, a node
  /// without a vector, dim or metric mismatch — throws kCorruption (component "hnsw").
  static HnswIndex deserialize(const VectorStore& store, std::string_view bytes);

 private:
  struct Candidate {
    float score;
    DocId id;
  };
  struct Scratch;
  static Scratch& thread_scratch();

  std::uint32_t* links0(DocId id) noexcept { return links0_.data() + static_cast<std::size_t>(id) * stride0_; }
  const std::uint32_t* links0(DocId id) const noexcept {
    return links0_.data() + static_cast<std::size_t>(id) * stride0_;
  }
  std::uint32_t* links_at(DocId id, int level) noexcept;
  const std::uint32_t* links_at(DocId id, int level) const noexcept;

  int draw_level() noexcept;
  void grow(std::size_t id_bound);
  template <bool kL2>
  void plan_links(DocId id, int level);
  template <bool kL2>
  void write_links(DocId id, int level);
  template <bool kL2>
  std::vector<ScoredId> search_impl(const float* query, std::size_t k, std::size_t ef, const Bitset* allowed) const;
  template <bool kL2>
  DocId greedy_descend(const float* query, DocId entry, int from_level, int to_level) const;
  template <bool kL2, bool kFiltered>
  void search_layer(const float* query, DocId entry, int level, std::size_t ef, const Bitset* allowed,
                    Scratch& scratch) const;
  template <bool kL2>
  void select_neighbors(const std::vector<Candidate>& sorted_candidates, std::size_t m,
                        std::vector<Candidate>& selected) const;
  template <bool kL2>
  void connect_back(DocId neighbor, DocId id, int level, Scratch& scratch);

  const VectorStore* store_;
  HnswParams params_;
  std::size_t max_links0_;  // 2·M
  std::size_t stride0_;     // 1 + max_links0_: [count, link…] per id at level 0
  std::size_t stride_up_;   // 1 + M: [count, link…] per id per level above 0
  std::uint64_t rng_state_;
  std::size_t size_ = 0;
  DocId entry_ = 0;
  int max_level_ = -1;
  std::vector<std::int8_t> levels_;         // by id; −1 = not in the graph
  std::vector<std::uint32_t> links0_;       // stride0_ words per id
  std::vector<std::uint32_t> upper_offset_; // by id: start of its levels 1..L in upper_links_
  std::vector<std::uint32_t> upper_links_;  // stride_up_ words per level ≥ 1, per node that has any
};

}  // namespace vesper
