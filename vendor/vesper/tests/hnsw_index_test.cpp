// HNSW: recall against exact search on clustered data, filtered traversal, determinism, persistence and
// rejection of corrupt images.
#include "vesper/hnsw_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "vesper/crc32c.h"
#include "vesper/error.h"
#include "vesper/flat_index.h"
#include "vesper/vector_store.h"

namespace vesper {
namespace {

// splitmix64 + Box–Muller: the data must be the same on every platform, which std distributions
// do not promise.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() { return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }
};

// Points around `clusters` centroids in a `latent`-d space, mixed linearly into `dim` dims plus noise:
// the low-rank, clustered shape of real embeddings (i.i.d. uniform vectors make every HNSW look broken).
struct Clustered {
  std::size_t dim;
  std::vector<float> points, queries;
  std::vector<std::size_t> cluster;  // of each point
};

Clustered make_clustered(std::size_t n, std::size_t nq, std::size_t dim, std::size_t latent, std::size_t clusters,
                         std::uint64_t seed) {
  Rng rng{seed};
  std::vector<double> mix(latent * dim), centroids(clusters * latent);
  for (auto& x : mix) x = rng.normal() / std::sqrt(static_cast<double>(latent));
  for (auto& x : centroids) x = rng.normal();
  Clustered out{dim, {}, {}, {}};
  std::vector<double> z(latent);
  auto draw = [&](std::vector<float>& to) {
    std::size_t c = rng.next() % clusters;
    for (std::size_t j = 0; j < latent; ++j) z[j] = centroids[c * latent + j] + 1.5 * rng.normal();
    for (std::size_t i = 0; i < dim; ++i) {
      double s = 0;
      for (std::size_t j = 0; j < latent; ++j) s += z[j] * mix[j * dim + i];
      to.push_back(static_cast<float>(s + 0.05 * rng.normal()));
    }
    return c;
  };
  out.points.reserve(n * dim);
  for (std::size_t i = 0; i < n; ++i) out.cluster.push_back(draw(out.points));
  for (std::size_t i = 0; i < nq; ++i) draw(out.queries);
  return out;
}

// A store + index built from a data set, plus prepared queries.
struct Built {
  std::unique_ptr<VectorStore> store;
  std::unique_ptr<HnswIndex> index;
  std::vector<float> queries;  // prepared
  std::size_t nq = 0;
  const float* query(std::size_t i) const { return queries.data() + i * store->dim(); }
};

Built build(const Clustered& data, Metric metric, HnswParams params, std::size_t limit = SIZE_MAX) {
  Built b;
  b.store = std::make_unique<VectorStore>(data.dim, metric);
  std::size_t n = std::min(limit, data.points.size() / data.dim);
  for (std::size_t i = 0; i < n; ++i) b.store->put(static_cast<DocId>(i), data.points.data() + i * data.dim);
  b.index = std::make_unique<HnswIndex>(*b.store, params);
  for (std::size_t i = 0; i < n; ++i) b.index->insert(static_cast<DocId>(i));
  b.nq = data.queries.size() / data.dim;
  b.queries.resize(data.queries.size());
  for (std::size_t i = 0; i < b.nq; ++i) b.store->prepare_query(data.queries.data() + i * data.dim, b.queries.data() + i * data.dim);
  return b;
}

double recall_at(const Built& b, std::size_t k, std::size_t ef, const Bitset* allowed, std::size_t* short_results = nullptr) {
  Bitset all(b.store->id_bound(), true);
  std::size_t hits = 0, wanted = 0;
  for (std::size_t q = 0; q < b.nq; ++q) {
    auto truth = flat_search(*b.store, b.query(q), k, allowed != nullptr ? *allowed : all);
    auto got = b.index->search(b.query(q), k, ef, allowed);
    if (short_results != nullptr && got.size() < truth.size()) ++*short_results;
    for (const auto& t : truth) {
      hits += std::count_if(got.begin(), got.end(), [&](const ScoredId& g) { return g.id == t.id; });
    }
    wanted += truth.size();
  }
  return wanted == 0 ? 1.0 : static_cast<double>(hits) / static_cast<double>(wanted);
}

bool same_hits(const std::vector<ScoredId>& a, const std::vector<ScoredId>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || std::memcmp(&a[i].score, &b[i].score, sizeof(float)) != 0) return false;
  }
  return true;
}

template <typename Fn>
Error capture(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected vesper::Error";
  return Error(ErrorCode::kInternal, "", "");
}

// The clustered fixture (12k × 128 from 100 centroids in 32-d), built once per test process (ctest runs
// each test in its own process, so it is sized to build in well under a second).
class HnswClusteredTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new Clustered(make_clustered(12000, 200, 128, 32, 100, 2024));
    built_ = new Built(build(*data_, Metric::kCosine, HnswParams{16, 100, 42}));
  }
  static void TearDownTestSuite() {
    delete built_;
    delete data_;
    built_ = nullptr;
    data_ = nullptr;
  }
  static Clustered* data_;
  static Built* built_;
};
Clustered* HnswClusteredTest::data_ = nullptr;
Built* HnswClusteredTest::built_ = nullptr;

TEST_F(HnswClusteredTest, RecallAt10AgainstExact) {
  const Built& b = *built_;
  EXPECT_EQ(b.index->size(), 12000u);
  double recall = recall_at(b, 10, 64, nullptr);
  EXPECT_GE(recall, 0.95) << "recall@10 at ef=64";
  EXPECT_GE(recall_at(b, 10, 100, nullptr), recall - 1e-9);
  // Hits come best first, with the exact similarity of each node.
  for (std::size_t q = 0; q < 20; ++q) {
    auto hits = b.index->search(b.query(q), 25, 50, nullptr);
    ASSERT_EQ(hits.size(), 25u);
    for (std::size_t i = 0; i < hits.size(); ++i) {
      EXPECT_EQ(hits[i].score, b.store->similarity(b.query(q), hits[i].id));
      if (i > 0) {
        EXPECT_TRUE(better_hit(hits[i - 1], hits[i]));
      }
    }
  }
}

TEST_F(HnswClusteredTest, PerQueryEf) {
  const Built& b = *built_;
  // ef below k is raised to k: k results, never fewer.
  for (std::size_t q = 0; q < 10; ++q) EXPECT_EQ(b.index->search(b.query(q), 50, 1, nullptr).size(), 50u);
  double low = recall_at(b, 10, 10, nullptr);
  double high = recall_at(b, 10, 200, nullptr);
  EXPECT_GE(high, 0.99);
  EXPECT_GE(high, low);
  // A larger ef is a superset search here: results at ef=200 are at least as good rank by rank.
  auto narrow = b.index->search(b.query(0), 10, 10, nullptr);
  auto wide = b.index->search(b.query(0), 10, 200, nullptr);
  ASSERT_EQ(narrow.size(), wide.size());
  for (std::size_t i = 0; i < wide.size(); ++i) EXPECT_GE(wide[i].score, narrow[i].score);
}

TEST_F(HnswClusteredTest, TenPercentFilterFillsKWithHighRecall) {
  const Built& b = *built_;
  Bitset allowed(b.store->id_bound());
  Rng rng{7};
  for (DocId id = 0; id < b.store->id_bound(); ++id) {
    if (rng.next() % 10 == 0) allowed.set(id);
  }
  std::size_t short_results = 0;
  double recall = recall_at(b, 10, 64, &allowed, &short_results);
  EXPECT_EQ(short_results, 0u);
  EXPECT_GE(recall, 0.95);
  for (std::size_t q = 0; q < 20; ++q) {
    for (const auto& h : b.index->search(b.query(q), 10, 64, &allowed)) EXPECT_TRUE(allowed.test(h.id));
  }
}

TEST_F(HnswClusteredTest, ClusterCorrelatedFilterStillFillsK) {
  // Only 10 of the 100 clusters are allowed: most queries start far from any allowed node, and the
  // search has to walk through disallowed regions to reach them.
  const Built& b = *built_;
  Bitset allowed(b.store->id_bound());
  for (DocId id = 0; id < b.store->id_bound(); ++id) {
    if (data_->cluster[id] % 10 == 0) allowed.set(id);
  }
  std::size_t short_results = 0;
  double recall = recall_at(b, 10, 64, &allowed, &short_results);
  EXPECT_EQ(short_results, 0u);
  EXPECT_GE(recall, 0.9);
}

TEST_F(HnswClusteredTest, VerySelectiveFilters) {
  const Built& b = *built_;
  // 1 %: still k results.
  Bitset one_percent(b.store->id_bound());
  for (DocId id = 0; id < b.store->id_bound(); id += 100) one_percent.set(id);
  for (std::size_t q = 0; q < 10; ++q) EXPECT_EQ(b.index->search(b.query(q), 10, 10, &one_percent).size(), 10u);
  // Fewer allowed nodes than k: every one of them, exactly as flat search orders them.
  Bitset five(b.store->id_bound());
  for (DocId id : {3u, 777u, 5000u, 8765u, 11999u}) five.set(id);
  for (std::size_t q = 0; q < 5; ++q) {
    EXPECT_TRUE(same_hits(b.index->search(b.query(q), 10, 10, &five), flat_search(*b.store, b.query(q), 10, five)));
  }
  // Nothing allowed: nothing returned; an allowed set shorter than the id range just excludes the rest.
  EXPECT_TRUE(b.index->search(b.query(0), 10, 10, std::make_unique<Bitset>(b.store->id_bound()).get()).empty());
  Bitset prefix(100, true);
  for (const auto& h : b.index->search(b.query(0), 10, 50, &prefix)) EXPECT_LT(h.id, 100u);
}

TEST_F(HnswClusteredTest, TombstonedNodesStillNavigate) {
  // Half the documents deleted (absent from `allowed`): the graph keeps them as stepping stones.
  const Built& b = *built_;
  Bitset live(b.store->id_bound());
  for (DocId id = 0; id < b.store->id_bound(); id += 2) live.set(id);
  EXPECT_GE(recall_at(b, 10, 64, &live), 0.95);
}

TEST_F(HnswClusteredTest, SerializeRoundTripGivesIdenticalResults) {
  const Built& b = *built_;
  std::string bytes;
  b.index->serialize(bytes);
  HnswIndex back = HnswIndex::deserialize(*b.store, bytes);
  EXPECT_EQ(back.size(), b.index->size());
  EXPECT_EQ(back.max_level(), b.index->max_level());
  std::string again;
  back.serialize(again);
  EXPECT_EQ(again, bytes);
  for (std::size_t q = 0; q < b.nq; ++q) {
    ASSERT_TRUE(same_hits(back.search(b.query(q), 10, 40, nullptr), b.index->search(b.query(q), 10, 40, nullptr)));
  }
}

TEST_F(HnswClusteredTest, ConcurrentSearchesMatchSequential) {
  const Built& b = *built_;
  Bitset half(b.store->id_bound());
  for (DocId id = 1; id < b.store->id_bound(); id += 2) half.set(id);
  std::vector<std::vector<ScoredId>> expected(b.nq);
  for (std::size_t q = 0; q < b.nq; ++q) expected[q] = b.index->search(b.query(q), 10, 48, q % 2 ? &half : nullptr);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 2; ++round) {
        for (std::size_t q = static_cast<std::size_t>(t); q < b.nq; q += 2) {
          if (!same_hits(b.index->search(b.query(q), 10, 48, q % 2 ? &half : nullptr), expected[q])) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(HnswIndexTest, ValidatesParams) {
  VectorStore store(4, Metric::kCosine);
  for (HnswParams bad : {HnswParams{1, 200, 42}, HnswParams{257, 200, 42}, HnswParams{16, 0, 42}}) {
    Error e = capture([&] { HnswIndex index(store, bad); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.component(), "hnsw");
  }
  EXPECT_NO_THROW(HnswIndex(store, HnswParams{2, 1, 0}));
  EXPECT_NO_THROW(HnswIndex(store, HnswParams{256, 1, 0}));
  Error e = capture([&] { validate_hnsw_params(HnswParams{0, 10, 1}); });
  EXPECT_NE(std::string(e.what()).find("M"), std::string::npos);
}

TEST(HnswIndexTest, EmptyIndex) {
  VectorStore store(3, Metric::kL2);
  HnswIndex index(store, HnswParams{});
  float q[3] = {1, 2, 3};
  EXPECT_TRUE(index.search(q, 10, 10, nullptr).empty());
  EXPECT_EQ(index.size(), 0u);
  EXPECT_FALSE(index.contains(0));
  EXPECT_EQ(index.max_level(), -1);
  std::string bytes;
  index.serialize(bytes);
  HnswIndex back = HnswIndex::deserialize(store, bytes);
  EXPECT_EQ(back.size(), 0u);
  EXPECT_TRUE(back.search(q, 10, 10, nullptr).empty());
}

TEST(HnswIndexTest, InsertRejectsMissingVectorAndDuplicates) {
  VectorStore store(2, Metric::kL2);
  float v[2] = {1, 2};
  store.put(0, v);
  store.put(2, v);
  HnswIndex index(store, HnswParams{});
  index.insert(0);
  std::string before;
  index.serialize(before);
  Error missing = capture([&] { index.insert(1); });
  EXPECT_EQ(missing.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.component(), "hnsw");
  Error dup = capture([&] { index.insert(0); });
  EXPECT_EQ(dup.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index.size(), 1u);
  std::string after;
  index.serialize(after);
  EXPECT_EQ(after, before);  // a rejected insert changes nothing, not even the level generator
  index.insert(2);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_TRUE(index.contains(2));
  EXPECT_FALSE(index.contains(1));
  EXPECT_FALSE(index.contains(100));
  float q[2] = {1, 2};
  auto hits = index.search(q, 5, 5, nullptr);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 0u);  // equal scores: ascending id
  EXPECT_EQ(hits[1].id, 2u);
  EXPECT_EQ(index.search(q, 0, 5, nullptr).size(), 0u);
}

TEST(HnswIndexTest, ExhaustiveEfEqualsFlatSearchIncludingTies) {
  // Vectors on a coarse grid, many exact duplicates: with ef ≥ size the search is exhaustive and must
  // reproduce flat search exactly, tie order included.
  for (Metric metric : {Metric::kCosine, Metric::kL2, Metric::kInnerProduct}) {
    VectorStore store(3, metric);
    Rng rng{5};
    for (DocId id = 0; id < 300; ++id) {
      float v[3];
      do {
        for (auto& x : v) x = static_cast<float>(static_cast<int>(rng.next() % 3) - 1);
      } while (v[0] == 0 && v[1] == 0 && v[2] == 0);
      if (id % 11 != 5) store.put(id, v);
    }
    HnswIndex index(store, HnswParams{16, 20, 1});
    store.ids().for_each([&](DocId id) { index.insert(id); });
    Bitset all(store.id_bound(), true);
    for (int t = 0; t < 10; ++t) {
      float raw[3] = {1, static_cast<float>(t % 3) - 1, static_cast<float>(t % 2)}, q[3];
      store.prepare_query(raw, q);
      SCOPED_TRACE(metric_name(metric));
      EXPECT_TRUE(same_hits(index.search(q, 40, 1000, nullptr), flat_search(store, q, 40, all)));
    }
  }
}

TEST(HnswIndexTest, ExactDuplicatesStayReachable) {
  // 20 distinct vectors × 25 copies, inserted interleaved or copy after copy: groups of identical vectors
  // larger than a link list must not cut themselves (or the rest) off the graph.
  for (Metric metric : {Metric::kCosine, Metric::kL2}) {
    for (bool grouped : {false, true}) {
      SCOPED_TRACE(testing::Message() << metric_name(metric) << (grouped ? " grouped" : " interleaved"));
      const std::size_t groups = 20, copies = 25, dim = 16;
      Rng rng{9};
      std::vector<float> distinct(groups * dim);
      for (auto& x : distinct) x = static_cast<float>(rng.normal());
      VectorStore store(dim, metric);
      DocId id = 0;
      for (std::size_t i = 0; i < groups * copies; ++i) {
        std::size_t g = grouped ? i / copies : i % groups;
        store.put(id++, distinct.data() + g * dim);
      }
      HnswIndex index(store, HnswParams{8, 50, 1});
      store.ids().for_each([&](DocId d) { index.insert(d); });
      for (std::size_t g = 0; g < groups; ++g) {
        std::vector<float> q(dim);
        store.prepare_query(distinct.data() + g * dim, q.data());
        auto hits = index.search(q.data(), 1000, 1000, nullptr);
        ASSERT_EQ(hits.size(), groups * copies);
      }
    }
  }
}

TEST(HnswIndexTest, L2AndInnerProductRecall) {
  Clustered data = make_clustered(4000, 100, 48, 16, 40, 99);
  for (Metric metric : {Metric::kL2, Metric::kInnerProduct}) {
    SCOPED_TRACE(metric_name(metric));
    Built b = build(data, metric, HnswParams{12, 60, 3});
    EXPECT_GE(recall_at(b, 10, 64, nullptr), 0.95);
    auto hits = b.index->search(b.query(0), 10, 64, nullptr);
    ASSERT_EQ(hits.size(), 10u);
    for (const auto& h : hits) EXPECT_EQ(h.score, b.store->similarity(b.query(0), h.id));
    if (metric == Metric::kL2) {
      EXPECT_LE(hits[0].score, 0.0f);
    }
  }
}

TEST(HnswIndexTest, DeterministicBuilds) {
  Clustered data = make_clustered(3000, 30, 32, 8, 30, 17);
  HnswParams params{8, 40, 42};
  Built a = build(data, Metric::kCosine, params), b = build(data, Metric::kCosine, params);
  std::string bytes_a, bytes_b;
  a.index->serialize(bytes_a);
  b.index->serialize(bytes_b);
  EXPECT_EQ(bytes_a, bytes_b);
  for (std::size_t q = 0; q < a.nq; ++q) {
    EXPECT_TRUE(same_hits(a.index->search(a.query(q), 10, 20, nullptr), b.index->search(b.query(q), 10, 20, nullptr)));
  }
  // Another seed draws other levels: another graph.
  Built c = build(data, Metric::kCosine, HnswParams{8, 40, 43});
  std::string bytes_c;
  c.index->serialize(bytes_c);
  EXPECT_NE(bytes_a, bytes_c);
}

TEST(HnswIndexTest, ReloadThenContinueEqualsUninterruptedBuild) {
  // The level generator's state is persisted, so a checkpoint + more inserts builds the same graph as
  // inserting everything in one go.
  Clustered data = make_clustered(1500, 0, 16, 6, 20, 8);
  HnswParams params{6, 30, 9};
  Built whole = build(data, Metric::kL2, params);
  Built half = build(data, Metric::kL2, params, 700);
  for (std::size_t i = 700; i < 1500; ++i) half.store->put(static_cast<DocId>(i), data.points.data() + i * data.dim);
  std::string snapshot;
  half.index->serialize(snapshot);
  HnswIndex resumed = HnswIndex::deserialize(*half.store, snapshot);
  for (std::size_t i = 700; i < 1500; ++i) resumed.insert(static_cast<DocId>(i));
  std::string a, b;
  whole.index->serialize(a);
  resumed.serialize(b);
  EXPECT_EQ(a, b);
}

TEST(HnswIndexTest, SparseIdsAndMemory) {
  VectorStore store(8, Metric::kInnerProduct);
  HnswIndex index(store, HnswParams{8, 32, 1});
  std::size_t empty_bytes = index.memory_bytes();
  Rng rng{3};
  std::vector<DocId> ids;
  for (DocId id = 0; id < 3000; id += 1 + static_cast<DocId>(rng.next() % 4)) {
    float v[8];
    for (auto& x : v) x = static_cast<float>(rng.normal());
    store.put(id, v);
    index.insert(id);
    ids.push_back(id);
  }
  EXPECT_EQ(index.size(), ids.size());
  EXPECT_GT(index.memory_bytes(), empty_bytes);
  for (DocId id : ids) EXPECT_TRUE(index.contains(id));
  // Every node finds itself first under l2-free ip only if it has the largest norm; just check k hits.
  EXPECT_EQ(index.search(store.get(ids[10]), 10, 20, nullptr).size(), 10u);
}

// ---- corruption ------------------------------------------------------------------------------------

struct Small {
  VectorStore store{4, Metric::kCosine};
  std::unique_ptr<HnswIndex> index;
  std::string bytes;
  Small() {
    Rng rng{11};
    for (DocId id = 0; id < 60; ++id) {
      float v[4];
      for (auto& x : v) x = static_cast<float>(rng.normal());
      store.put(id, v);
    }
    index = std::make_unique<HnswIndex>(store, HnswParams{2, 8, 5});  // M=2: several levels
    for (DocId id = 0; id < 60; ++id) index->insert(id);
    index->serialize(bytes);
  }
};

void expect_corrupt(const VectorStore& store, const std::string& bytes, const std::string& needle = "") {
  try {
    HnswIndex::deserialize(store, bytes);
    ADD_FAILURE() << "accepted a corrupt image";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCorruption) << e.what();
    EXPECT_EQ(e.component(), "hnsw");
    if (!needle.empty()) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  }
}

// Rewrites the trailing CRC so that a deliberate edit reaches the structural checks.
std::string reseal(std::string bytes) {
  std::uint32_t crc = crc32c(bytes.data(), bytes.size() - 4);
  for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return bytes;
}

void put_u32_at(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

constexpr std::size_t kHeader = 60;  // fixed header size of format version 1

TEST(HnswCorruptionTest, SmallIndexHasSeveralLevels) {
  Small s;
  EXPECT_GE(s.index->max_level(), 2);
  EXPECT_NO_THROW(HnswIndex::deserialize(s.store, s.bytes));
}

TEST(HnswCorruptionTest, EveryTruncationIsRejected) {
  Small s;
  for (std::size_t len = 0; len < s.bytes.size(); ++len) expect_corrupt(s.store, s.bytes.substr(0, len));
}

TEST(HnswCorruptionTest, EveryBitFlipIsRejected) {
  Small s;
  for (std::size_t i = 0; i < s.bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = s.bytes;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      expect_corrupt(s.store, bad);
    }
  }
}

TEST(HnswCorruptionTest, StructuralErrorsBehindAValidChecksum) {
  Small s;
  std::string b = s.bytes;
  // Header fields.
  { std::string x = b; put_u32_at(x, 0, 0x12345678); expect_corrupt(s.store, reseal(x), "magic"); }
  { std::string x = b; put_u32_at(x, 4, 2); expect_corrupt(s.store, reseal(x), "version"); }
  { std::string x = b; put_u32_at(x, 8, 5); expect_corrupt(s.store, reseal(x), "dim"); }
  { std::string x = b; put_u32_at(x, 12, 1); expect_corrupt(s.store, reseal(x), "metric"); }
  { std::string x = b; put_u32_at(x, 16, 1); expect_corrupt(s.store, reseal(x), "M"); }
  { std::string x = b; put_u32_at(x, 44, 1000000); expect_corrupt(s.store, reseal(x), "id range"); }
  { std::string x = b; put_u32_at(x, 48, 61); expect_corrupt(s.store, reseal(x)); }
  { std::string x = b; put_u32_at(x, 48, 59); expect_corrupt(s.store, reseal(x), "node count"); }
  { std::string x = b; put_u32_at(x, 52, 60); expect_corrupt(s.store, reseal(x), "entry point"); }
  { std::string x = b; put_u32_at(x, 56, 40); expect_corrupt(s.store, reseal(x), "max level"); }
  // A node level byte out of range, and a node dropped from the level table.
  { std::string x = b; x[kHeader + 3] = 100; expect_corrupt(s.store, reseal(x), "level"); }
  { std::string x = b; x[kHeader + 3] = static_cast<char>(-1); expect_corrupt(s.store, reseal(x)); }
  // The first link list (node 0, level 0): its count and first link.
  const std::size_t links = kHeader + 60;
  { std::string x = b; put_u32_at(x, links, 5); expect_corrupt(s.store, reseal(x), "links (max 4)"); }
  { std::string x = b; put_u32_at(x, links + 4, 60); expect_corrupt(s.store, reseal(x), "invalid node"); }
  { std::string x = b; put_u32_at(x, links + 4, 0); expect_corrupt(s.store, reseal(x), "invalid node"); }
  // Extra bytes before the checksum.
  { std::string x = b; x.insert(x.size() - 4, "junk"); expect_corrupt(s.store, reseal(x), "trailing"); }
  // A store that lacks one of the graph's vectors, or has another dim.
  VectorStore partial(4, Metric::kCosine);
  s.store.ids().for_each([&](DocId id) {
    if (id != 30) partial.put(id, s.store.get(id));
  });
  expect_corrupt(partial, b, "node 30 has no vector");
  expect_corrupt(VectorStore(8, Metric::kCosine), b, "dim");
  expect_corrupt(VectorStore(4, Metric::kL2), b, "metric");
}

TEST(HnswCorruptionTest, GarbageWithValidChecksumNeverCrashes) {
  Small s;
  Rng rng{123};
  for (int round = 0; round < 2000; ++round) {
    std::string x = s.bytes;
    // Keep magic and version so the parser goes deep; scramble a few random bytes elsewhere.
    int edits = 1 + static_cast<int>(rng.next() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = 8 + rng.next() % (x.size() - 12);
      x[at] = static_cast<char>(rng.next() & 0xFF);
    }
    x = reseal(x);
    if (x == s.bytes) continue;
    try {
      HnswIndex back = HnswIndex::deserialize(s.store, x);
      // Accepted edits (e.g. a different rng state or link order) must still give a searchable graph.
      float q[4] = {1, 0, 0, 0};
      EXPECT_LE(back.search(q, 5, 10, nullptr).size(), 5u);
    } catch (const Error& e) {
      ASSERT_EQ(e.code(), ErrorCode::kCorruption) << e.what();
    }
  }
}

}  // namespace
}  // namespace vesper
