#include "vesper/hnsw_index.h"

#include <algorithm>
#include <limits>
#include <string>

#include "vesper/crc32c.h"
#include "vesper/distance.h"
#include "vesper/error.h"

namespace vesper {
namespace {

constexpr std::uint32_t kMagic = 0x57534E48u;  // "HNSW" little-endian
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kNoEntry = 0xFFFFFFFFu;
// draw_level() cannot exceed 53·log_M(2) ≤ 53 (M ≥ 2); anything higher in a file is corruption.
constexpr int kMaxLevel = 64;

[[noreturn]] void corrupt(const std::string& message) {
  throw Error(ErrorCode::kCorruption, "hnsw", "hnsw index: " + message);
}

inline void prefetch(const void* p) noexcept { __builtin_prefetch(p, 0, 3); }

}  // namespace

// Per-thread search state, reused across queries (no allocation once warm). Epoch-stamped visited
// marks avoid clearing the array per query: a node is visited iff its mark equals the current epoch.
struct HnswIndex::Scratch {
  std::vector<std::uint16_t> visited;
  std::uint16_t epoch = 0;
  std::vector<Candidate> candidates;  // heap, best on top: what to expand next
  std::vector<Candidate> results;     // heap, worst on top: the ef best (allowed) nodes so far
  std::vector<DocId> batch;           // unvisited neighbours of the node being expanded
  // Insert only: candidates found on a level, the neighbours chosen per level, reverse-link buffers.
  std::vector<Candidate> found;
  std::vector<std::vector<Candidate>> chosen;
  std::vector<Candidate> pool, kept;

  void begin(std::size_t id_bound) {
    if (visited.size() < id_bound) visited.resize(id_bound, 0);
    if (++epoch == 0) {  // wrapped: old marks could collide with the new epochs
      std::fill(visited.begin(), visited.end(), std::uint16_t{0});
      epoch = 1;
    }
    candidates.clear();
    results.clear();
  }
};

namespace {

// Similarity order with ties by id ascending: the total order of every search heap, of results and of
// greedy moves, which is what makes traversal (and so the graph and results) deterministic.
template <typename C>
inline bool better(const C& a, const C& b) noexcept {
  return a.score != b.score ? a.score > b.score : a.id < b.id;
}
// Neighbour selection breaks equal similarities the other way, newest (largest id) first, as hnswlib's
// heaps do. With many identical vectors this matters: oldest-first would make every new copy link to the
// same few old copies, whose lists then fill with copies, lose their outside links and strand the group.
template <typename C>
inline bool link_order(const C& a, const C& b) noexcept {
  return a.score != b.score ? a.score > b.score : a.id > b.id;
}
// Heap comparators: std heaps keep the "largest" on top.
struct BestOnTop {
  template <typename C>
  bool operator()(const C& a, const C& b) const noexcept { return better(b, a); }
};
struct WorstOnTop {
  template <typename C>
  bool operator()(const C& a, const C& b) const noexcept { return better(a, b); }
};

// splitmix64: tiny, seedable, and specified bit-for-bit (std::mt19937 + distributions is not portable).
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

void validate_hnsw_params(const HnswParams& params) {
  if (params.M < 2 || params.M > 256) {
    throw Error(ErrorCode::kInvalidArgument, "hnsw", "M must be in [2, 256], got " + std::to_string(params.M));
  }
  if (params.ef_construction < 1 || params.ef_construction > (std::size_t{1} << 31)) {
    throw Error(ErrorCode::kInvalidArgument, "hnsw",
                "efConstruction must be in [1, 2^31], got " + std::to_string(params.ef_construction));
  }
}

HnswIndex::HnswIndex(const VectorStore& store, HnswParams params)
    : store_(&store),
      params_(params),
      max_links0_(2 * params.M),
      stride0_(1 + 2 * params.M),
      stride_up_(1 + params.M),
      rng_state_(params.seed) {
  validate_hnsw_params(params);
}

std::uint32_t* HnswIndex::links_at(DocId id, int level) noexcept {
  if (level == 0) return links0(id);
  return upper_links_.data() + upper_offset_[id] + static_cast<std::size_t>(level - 1) * stride_up_;
}

const std::uint32_t* HnswIndex::links_at(DocId id, int level) const noexcept {
  if (level == 0) return links0(id);
  return upper_links_.data() + upper_offset_[id] + static_cast<std::size_t>(level - 1) * stride_up_;
}

// level = floor(−ln(U)·mL) with mL = 1/ln(M) and U uniform in (0, 1], i.e. the largest L with
// U ≤ M^−L. With U = r/2^53 (r in [1, 2^53]) that is the largest L with r·M^L ≤ 2^53: exact integer
// arithmetic, so no libm rounding can make two platforms disagree.
int HnswIndex::draw_level() noexcept {
  std::uint64_t r = (splitmix64(rng_state_) >> 11) + 1;
  const std::uint64_t limit = std::uint64_t{1} << 53;
  const std::uint64_t m = params_.M;
  int level = 0;
  while (r <= limit / m) {
    r *= m;
    ++level;
  }
  return level;
}

void HnswIndex::grow(std::size_t id_bound) {
  if (id_bound <= levels_.size()) return;
  // levels_ defines the id range and grows last, so a bad_alloc part-way leaves the index consistent
  // (the other arrays may just be larger). std::vector grows geometrically on its own.
  links0_.resize(id_bound * stride0_, 0);
  upper_offset_.resize(id_bound, 0);
  levels_.resize(id_bound, -1);
}

void HnswIndex::insert(DocId id) {
  if (!store_->has(id)) {
    throw Error(ErrorCode::kInvalidArgument, "hnsw", "cannot index doc " + std::to_string(id) + ": it has no vector");
  }
  if (contains(id)) {
    throw Error(ErrorCode::kInvalidArgument, "hnsw", "doc " + std::to_string(id) + " is already in the index");
  }
  // Everything that can throw (allocation, the neighbour searches) happens before the graph is touched,
  // and a failure restores the level generator: a failed insert changes nothing observable.
  const std::size_t bound_before = levels_.size();
  const std::uint64_t rng_before = rng_state_;
  const std::size_t upper_before = upper_links_.size();
  const int level = draw_level();
  const bool l2 = store_->metric() == Metric::kL2;
  try {
    grow(static_cast<std::size_t>(id) + 1);
    if (level > 0) {
      std::size_t words = static_cast<std::size_t>(level) * stride_up_;
      if (upper_before + words > std::numeric_limits<std::uint32_t>::max()) {
        throw Error(ErrorCode::kInternal, "hnsw", "upper-level link storage exhausted");
      }
      upper_links_.resize(upper_before + words, 0);
    }
    if (size_ != 0) l2 ? plan_links<true>(id, level) : plan_links<false>(id, level);
  } catch (...) {
    rng_state_ = rng_before;
    upper_links_.resize(upper_before);  // shrinking never allocates
    if (levels_.size() > bound_before) {
      levels_.resize(bound_before);
      upper_offset_.resize(bound_before);
      links0_.resize(bound_before * stride0_);
    }
    throw;
  }
  if (level > 0) upper_offset_[id] = static_cast<std::uint32_t>(upper_before);
  levels_[id] = static_cast<std::int8_t>(level);
  if (size_ != 0) l2 ? write_links<true>(id, level) : write_links<false>(id, level);
  ++size_;
  if (level > max_level_) {
    entry_ = id;
    max_level_ = level;
  }
}

// One per thread, shared by inserts and searches of every index (they never nest).
HnswIndex::Scratch& HnswIndex::thread_scratch() {
  static thread_local Scratch scratch;
  return scratch;
}

// Chooses the new node's neighbours on each of its levels (hnswlib's addPoint search), without changing
// the graph. Searching every level before linking any builds the same graph as hnswlib's interleaved
// order: the search on level l reads only level-l links, which linking the levels above never touches.
template <bool kL2>
void HnswIndex::plan_links(DocId id, int level) {
  Scratch& scratch = thread_scratch();
  const float* q = store_->row(id);
  DocId cur = entry_;
  if (level < max_level_) cur = greedy_descend<kL2>(q, cur, max_level_, level + 1);
  const int top = std::min(level, max_level_);
  scratch.chosen.resize(static_cast<std::size_t>(top) + 1);
  for (int l = top; l >= 0; --l) {
    search_layer<kL2, false>(q, cur, l, params_.ef_construction, nullptr, scratch);
    scratch.found.assign(scratch.results.begin(), scratch.results.end());
    std::sort(scratch.found.begin(), scratch.found.end(), link_order<Candidate>);
    std::vector<Candidate>& chosen = scratch.chosen[static_cast<std::size_t>(l)];
    chosen.reserve(params_.M);
    select_neighbors<kL2>(scratch.found, params_.M, chosen);
    cur = chosen.front().id;  // the most similar: entry point for the level below
  }
  // write_links() must not allocate: size its buffers now.
  scratch.pool.reserve(max_links0_ + 1);
  scratch.kept.reserve(max_links0_ + 1);
}

// Writes the planned links and the reverse links (allocation-free, so it cannot fail half-way).
template <bool kL2>
void HnswIndex::write_links(DocId id, int level) {
  Scratch& scratch = thread_scratch();
  for (int l = std::min(level, max_level_); l >= 0; --l) {
    const std::vector<Candidate>& chosen = scratch.chosen[static_cast<std::size_t>(l)];
    std::uint32_t* own = links_at(id, l);
    own[0] = static_cast<std::uint32_t>(chosen.size());
    for (std::size_t i = 0; i < chosen.size(); ++i) own[1 + i] = chosen[i].id;
    for (const Candidate& c : chosen) connect_back<kL2>(c.id, id, l, scratch);
  }
}

template <bool kL2>
DocId HnswIndex::greedy_descend(const float* query, DocId entry, int from_level, int to_level) const {
  const DistanceKernels& kernels = active_distance_kernels();
  const std::size_t dim = store_->dim();
  auto sim = [&](DocId x) {
    const float* v = store_->row(x);
    return kL2 ? -kernels.l2_squared(query, v, dim) : kernels.dot(query, v, dim);
  };
  Candidate cur{sim(entry), entry};
  for (int level = from_level; level >= to_level; --level) {
    bool changed = true;
    while (changed) {  // terminates: every move is to a strictly better node in a total order
      changed = false;
      const std::uint32_t* links = links_at(cur.id, level);
      for (std::uint32_t j = 1; j <= links[0]; ++j) {
        Candidate c{sim(links[j]), links[j]};
        if (better(c, cur)) {
          cur = c;
          changed = true;
        }
      }
    }
  }
  return cur.id;
}

// hnswlib's searchBaseLayer(ST): best-first expansion keeping the ef best nodes. With a filter, only
// allowed nodes enter `results`, and both the admission bound and the stop test use those results, so the
// search walks through disallowed regions until it has ef allowed nodes (or runs out of graph).
template <bool kL2, bool kFiltered>
void HnswIndex::search_layer(const float* query, DocId entry, int level, std::size_t ef, const Bitset* allowed,
                             Scratch& s) const {
  const DistanceKernels& kernels = active_distance_kernels();
  const std::size_t dim = store_->dim();
  const float* base = store_->row(0);
  const std::size_t lines = (dim * sizeof(float) + 63) / 64;
  const std::size_t head_lines = std::min<std::size_t>(lines, 4);
  auto sim = [&](DocId x) {
    const float* v = base + static_cast<std::size_t>(x) * dim;
    return kL2 ? -kernels.l2_squared(query, v, dim) : kernels.dot(query, v, dim);
  };
  auto admitted = [&](DocId x) { return !kFiltered || allowed->test(x); };

  s.begin(levels_.size());
  s.batch.resize(std::max(max_links0_, params_.M));
  std::uint16_t* visited = s.visited.data();
  const std::uint16_t epoch = s.epoch;

  Candidate first{sim(entry), entry};
  visited[entry] = epoch;
  s.candidates.push_back(first);
  if (admitted(entry)) s.results.push_back(first);

  while (!s.candidates.empty()) {
    Candidate c = s.candidates.front();
    if (s.results.size() >= ef && better(s.results.front(), c)) break;  // c cannot improve the results
    std::pop_heap(s.candidates.begin(), s.candidates.end(), BestOnTop{});
    s.candidates.pop_back();

    const std::uint32_t* links = level == 0 ? links0(c.id) : links_at(c.id, level);
    const std::uint32_t count = links[0];
    // Collect the unvisited neighbours and prefetch the head of all their vectors at once, so the
    // misses overlap instead of being paid one after another; the rest of each vector is prefetched two
    // neighbours ahead of the distance computation (more at once only saturates the fill buffers).
    std::size_t m = 0;
    for (std::uint32_t j = 1; j <= count; ++j) {
      DocId nb = links[j];
      if (visited[nb] == epoch) continue;
      visited[nb] = epoch;
      s.batch[m++] = nb;
      const char* v = reinterpret_cast<const char*>(base + static_cast<std::size_t>(nb) * dim);
      for (std::size_t l = 0; l < head_lines; ++l) prefetch(v + 64 * l);
    }
    if (m > 1) {
      const char* v = reinterpret_cast<const char*>(base + static_cast<std::size_t>(s.batch[1]) * dim);
      for (std::size_t l = head_lines; l < lines; ++l) prefetch(v + 64 * l);
    }
    for (std::size_t i = 0; i < m; ++i) {
      if (i + 2 < m) {
        const char* v = reinterpret_cast<const char*>(base + static_cast<std::size_t>(s.batch[i + 2]) * dim);
        for (std::size_t l = head_lines; l < lines; ++l) prefetch(v + 64 * l);
      }
      DocId nb = s.batch[i];
      Candidate cand{sim(nb), nb};
      if (s.results.size() < ef || better(cand, s.results.front())) {
        s.candidates.push_back(cand);
        std::push_heap(s.candidates.begin(), s.candidates.end(), BestOnTop{});
        if (admitted(nb)) {
          s.results.push_back(cand);
          std::push_heap(s.results.begin(), s.results.end(), WorstOnTop{});
          if (s.results.size() > ef) {
            std::pop_heap(s.results.begin(), s.results.end(), WorstOnTop{});
            s.results.pop_back();
          }
        }
      }
    }
    if (!s.candidates.empty()) prefetch(links0(s.candidates.front().id));
  }
}

// hnswlib's getNeighborsByHeuristic2: walk candidates best first and keep one only if it is more similar
// to the base than to every neighbour already kept, which spreads links across directions. Fewer than m
// candidates are all kept.
template <bool kL2>
void HnswIndex::select_neighbors(const std::vector<Candidate>& sorted, std::size_t m,
                                 std::vector<Candidate>& selected) const {
  selected.clear();
  if (sorted.size() < m) {
    selected = sorted;
    return;
  }
  const DistanceKernels& kernels = active_distance_kernels();
  const std::size_t dim = store_->dim();
  for (const Candidate& c : sorted) {
    if (selected.size() >= m) break;
    const float* cv = store_->row(c.id);
    bool good = true;
    for (const Candidate& kept : selected) {
      const float* kv = store_->row(kept.id);
      float between = kL2 ? -kernels.l2_squared(cv, kv, dim) : kernels.dot(cv, kv, dim);
      if (between > c.score) {
        good = false;
        break;
      }
    }
    if (good) selected.push_back(c);
  }
}

// Adds the reverse link neighbor → id; a full list is re-selected by the heuristic among old links + id.
template <bool kL2>
void HnswIndex::connect_back(DocId neighbor, DocId id, int level, Scratch& scratch) {
  std::uint32_t* links = links_at(neighbor, level);
  const std::size_t cap = level == 0 ? max_links0_ : params_.M;
  const std::uint32_t count = links[0];
  if (count < cap) {
    links[1 + count] = id;
    links[0] = count + 1;
    return;
  }
  const DistanceKernels& kernels = active_distance_kernels();
  const std::size_t dim = store_->dim();
  const float* nv = store_->row(neighbor);
  auto sim = [&](DocId x) {
    const float* v = store_->row(x);
    return kL2 ? -kernels.l2_squared(nv, v, dim) : kernels.dot(nv, v, dim);
  };
  std::vector<Candidate>& pool = scratch.pool;
  std::vector<Candidate>& kept = scratch.kept;
  pool.clear();
  pool.push_back({sim(id), id});
  for (std::uint32_t j = 1; j <= count; ++j) pool.push_back({sim(links[j]), links[j]});
  std::sort(pool.begin(), pool.end(), link_order<Candidate>);
  select_neighbors<kL2>(pool, cap, kept);
  links[0] = static_cast<std::uint32_t>(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) links[1 + i] = kept[i].id;
}

std::vector<ScoredId> HnswIndex::search(const float* prepared_query, std::size_t k, std::size_t ef,
                                        const Bitset* allowed) const {
  if (size_ == 0 || k == 0) return {};
  ef = std::max(ef, k);
  return store_->metric() == Metric::kL2 ? search_impl<true>(prepared_query, k, ef, allowed)
                                         : search_impl<false>(prepared_query, k, ef, allowed);
}

template <bool kL2>
std::vector<ScoredId> HnswIndex::search_impl(const float* query, std::size_t k, std::size_t ef,
                                             const Bitset* allowed) const {
  Scratch& scratch = thread_scratch();
  DocId cur = max_level_ > 0 ? greedy_descend<kL2>(query, entry_, max_level_, 1) : entry_;
  if (allowed != nullptr) {
    search_layer<kL2, true>(query, cur, 0, ef, allowed, scratch);
  } else {
    search_layer<kL2, false>(query, cur, 0, ef, nullptr, scratch);
  }
  std::vector<Candidate>& r = scratch.results;
  std::sort(r.begin(), r.end(), better<Candidate>);
  std::vector<ScoredId> out;
  out.reserve(std::min(k, r.size()));
  for (std::size_t i = 0; i < r.size() && i < k; ++i) out.push_back({r[i].id, r[i].score});
  return out;
}

std::size_t HnswIndex::memory_bytes() const noexcept {
  return sizeof(*this) + levels_.capacity() * sizeof(std::int8_t) + links0_.capacity() * sizeof(std::uint32_t) +
         upper_offset_.capacity() * sizeof(std::uint32_t) + upper_links_.capacity() * sizeof(std::uint32_t);
}

// ---- serialisation ---------------------------------------------------------------------------------

namespace {

// Little-endian writer into a buffer sized up front (the byte shifts compile to plain stores).
class Writer {
 public:
  explicit Writer(char* at) : at_(at) {}
  void u8(std::uint8_t v) noexcept { *at_++ = static_cast<char>(v); }
  void u32(std::uint32_t v) noexcept {
    for (int i = 0; i < 4; ++i) *at_++ = static_cast<char>((v >> (8 * i)) & 0xFFu);
  }
  void u64(std::uint64_t v) noexcept {
    u32(static_cast<std::uint32_t>(v));
    u32(static_cast<std::uint32_t>(v >> 32));
  }

 private:
  char* at_;
};

// Bounds-checked little-endian reader: every read past the end is a corruption error.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  std::uint8_t u8() {
    need(1);
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t lo = u32();
    std::uint64_t hi = u32();
    return lo | (hi << 32);
  }

 private:
  void need(std::size_t n) const {
    if (remaining() < n) corrupt("truncated at byte " + std::to_string(pos_) + " (needed " + std::to_string(n) + " more)");
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

constexpr std::size_t kHeaderBytes = 4 * 5 + 8 * 3 + 4 * 4;

}  // namespace

void HnswIndex::serialize(std::string& out) const {
  std::size_t words = 0;  // link-list words: a count plus the links, per level per node
  for (std::size_t id = 0; id < levels_.size(); ++id) {
    for (int l = 0; l <= levels_[id]; ++l) words += 1 + links_at(static_cast<DocId>(id), l)[0];
  }
  const std::size_t start = out.size();
  const std::size_t total = kHeaderBytes + levels_.size() + 4 * words + 4;
  out.resize(start + total);
  Writer w(out.data() + start);
  w.u32(kMagic);
  w.u32(kVersion);
  w.u32(static_cast<std::uint32_t>(store_->dim()));
  w.u32(static_cast<std::uint32_t>(store_->metric()));
  w.u32(static_cast<std::uint32_t>(params_.M));
  w.u64(params_.ef_construction);
  w.u64(params_.seed);
  w.u64(rng_state_);
  w.u32(static_cast<std::uint32_t>(levels_.size()));
  w.u32(static_cast<std::uint32_t>(size_));
  w.u32(size_ == 0 ? kNoEntry : entry_);
  w.u32(static_cast<std::uint32_t>(max_level_));
  for (std::int8_t level : levels_) w.u8(static_cast<std::uint8_t>(level));
  for (std::size_t id = 0; id < levels_.size(); ++id) {
    for (int l = 0; l <= levels_[id]; ++l) {
      const std::uint32_t* links = links_at(static_cast<DocId>(id), l);
      for (std::uint32_t j = 0; j <= links[0]; ++j) w.u32(links[j]);
    }
  }
  w.u32(crc32c(out.data() + start, total - 4));
}

HnswIndex HnswIndex::deserialize(const VectorStore& store, std::string_view bytes) {
  if (bytes.size() < kHeaderBytes + 4) corrupt("truncated: " + std::to_string(bytes.size()) + " bytes");
  Reader r(bytes.substr(0, bytes.size() - 4));
  if (r.u32() != kMagic) corrupt("bad magic (not an HNSW index image)");
  std::uint32_t version = r.u32();
  if (version != kVersion) corrupt("unsupported format version " + std::to_string(version));
  std::uint32_t stored_crc = Reader(bytes.substr(bytes.size() - 4)).u32();
  if (crc32c(bytes.data(), bytes.size() - 4) != stored_crc) corrupt("checksum mismatch");

  std::uint32_t dim = r.u32();
  if (dim != store.dim()) {
    corrupt("dim " + std::to_string(dim) + " does not match the vector store's " + std::to_string(store.dim()));
  }
  std::uint32_t metric = r.u32();
  if (metric != static_cast<std::uint32_t>(store.metric())) corrupt("metric does not match the vector store's");
  HnswParams params;
  params.M = r.u32();
  params.ef_construction = r.u64();
  params.seed = r.u64();
  try {
    validate_hnsw_params(params);
  } catch (const Error& e) {
    corrupt(e.what());
  }
  HnswIndex index(store, params);
  index.rng_state_ = r.u64();
  std::uint32_t id_bound = r.u32();
  std::uint32_t size = r.u32();
  std::uint32_t entry = r.u32();
  auto max_level = static_cast<std::int32_t>(r.u32());
  // A graph only holds ids that have vectors, so its id range never exceeds the store's; checking this
  // first also bounds every allocation below by the store's size, whatever the header claims.
  if (id_bound > store.id_bound()) {
    corrupt("id range " + std::to_string(id_bound) + " exceeds the vector store's " + std::to_string(store.id_bound()));
  }
  if (size > id_bound) corrupt("node count " + std::to_string(size) + " exceeds id range " + std::to_string(id_bound));
  if (max_level < -1 || max_level > kMaxLevel) corrupt("bad max level " + std::to_string(max_level));

  index.grow(id_bound);
  std::size_t present = 0, upper_levels = 0;
  int highest = -1;
  for (std::uint32_t id = 0; id < id_bound; ++id) {
    auto level = static_cast<std::int8_t>(r.u8());
    if (level < -1 || level > kMaxLevel) corrupt("node " + std::to_string(id) + " has bad level " + std::to_string(level));
    index.levels_[id] = level;
    if (level < 0) continue;
    if (!store.has(id)) corrupt("node " + std::to_string(id) + " has no vector in the store");
    ++present;
    upper_levels += static_cast<std::size_t>(level);
    highest = std::max<int>(highest, level);
  }
  if (present != size) corrupt("node count " + std::to_string(size) + " but " + std::to_string(present) + " nodes present");
  if (highest != max_level) corrupt("max level " + std::to_string(max_level) + " but highest node level " + std::to_string(highest));
  if (size == 0) {
    if (entry != kNoEntry) corrupt("empty graph with an entry point");
  } else if (entry >= id_bound || index.levels_[entry] != max_level) {
    corrupt("entry point " + std::to_string(entry) + " is not a node of the top level");
  }
  // Every level of every node costs at least its 4-byte count, so the remaining bytes bound the
  // allocation before it is made.
  if (present + upper_levels > r.remaining() / 4) corrupt("more link lists than the data can hold");
  index.upper_links_.resize(upper_levels * index.stride_up_, 0);
  std::size_t offset = 0;
  for (std::uint32_t id = 0; id < id_bound; ++id) {
    int level = index.levels_[id];
    if (level <= 0) continue;
    index.upper_offset_[id] = static_cast<std::uint32_t>(offset);
    offset += static_cast<std::size_t>(level) * index.stride_up_;
  }
  if (offset > std::numeric_limits<std::uint32_t>::max()) corrupt("upper-level links too large");

  for (std::uint32_t id = 0; id < id_bound; ++id) {
    for (int l = 0; l <= index.levels_[id]; ++l) {
      std::uint32_t* links = index.links_at(id, l);
      std::uint32_t count = r.u32();
      std::size_t cap = l == 0 ? index.max_links0_ : params.M;
      if (count > cap) {
        corrupt("node " + std::to_string(id) + " level " + std::to_string(l) + " has " + std::to_string(count) +
                " links (max " + std::to_string(cap) + ")");
      }
      links[0] = count;
      for (std::uint32_t j = 1; j <= count; ++j) {
        std::uint32_t to = r.u32();
        if (to >= id_bound || index.levels_[to] < l || to == id) {
          corrupt("node " + std::to_string(id) + " level " + std::to_string(l) + " links to invalid node " +
                  std::to_string(to));
        }
        links[j] = to;
      }
    }
  }
  if (r.remaining() != 0) corrupt(std::to_string(r.remaining()) + " unexpected trailing bytes");
  index.size_ = size;
  index.entry_ = size == 0 ? 0 : entry;
  index.max_level_ = max_level;
  return index;
}

}  // namespace vesper
