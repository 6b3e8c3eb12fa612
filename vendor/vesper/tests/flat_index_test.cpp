// Exact search: identical to brute force, including the order of equal scores.
#include "vesper/flat_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "vesper/vector_store.h"

namespace vesper {
namespace {

std::vector<ScoredId> brute_force(const VectorStore& s, const float* q, std::size_t k, const Bitset& allowed) {
  std::vector<ScoredId> all;
  for (DocId id = 0; id < s.id_bound(); ++id) {
    if (s.has(id) && allowed.test(id)) all.push_back({id, s.similarity(q, id)});
  }
  std::sort(all.begin(), all.end(), better_hit);
  if (all.size() > k) all.resize(k);
  return all;
}

void expect_same(const std::vector<ScoredId>& got, const std::vector<ScoredId>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, want[i].id) << "rank " << i;
    EXPECT_EQ(got[i].score, want[i].score) << "rank " << i;
  }
}

// Vectors drawn from a small grid so that many scores tie exactly; every 7th id has no vector.
VectorStore make_store(Metric metric, std::size_t n, std::size_t dim, std::uint32_t seed) {
  VectorStore s(dim, metric);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> grid(-2, 2);
  std::vector<float> v(dim);
  for (DocId id = 0; id < n; ++id) {
    if (id % 7 == 3) continue;
    do {
      for (auto& x : v) x = static_cast<float>(grid(rng));
    } while (std::all_of(v.begin(), v.end(), [](float x) { return x == 0; }));
    s.put(id, v.data());
  }
  return s;
}

TEST(FlatIndexTest, MatchesBruteForceWithTiesById) {
  for (Metric metric : {Metric::kCosine, Metric::kL2, Metric::kInnerProduct}) {
    VectorStore s = make_store(metric, 600, 5, 11);
    Bitset all(700, true);
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> grid(-2, 2);
    for (int t = 0; t < 20; ++t) {
      float raw[5], q[5];
      for (auto& x : raw) x = static_cast<float>(grid(rng));
      raw[0] = 1;  // never the zero vector
      s.prepare_query(raw, q);
      for (std::size_t k : {1u, 10u, 100u, 1000u}) {
        SCOPED_TRACE(testing::Message() << metric_name(metric) << " k=" << k);
        expect_same(flat_search(s, q, k, all), brute_force(s, q, k, all));
      }
    }
  }
}

TEST(FlatIndexTest, EqualScoresComeOutByAscendingId) {
  VectorStore s(3, Metric::kInnerProduct);
  float same[3] = {1, 1, 1}, other[3] = {0, 0, 1};
  for (DocId id : {9u, 2u, 40u, 7u}) s.put(id, same);
  s.put(5, other);
  float q[3] = {1, 1, 1};
  Bitset all(64, true);
  auto hits = flat_search(s, q, 10, all);
  ASSERT_EQ(hits.size(), 5u);
  EXPECT_EQ(hits[0].id, 2u);
  EXPECT_EQ(hits[1].id, 7u);
  EXPECT_EQ(hits[2].id, 9u);
  EXPECT_EQ(hits[3].id, 40u);
  EXPECT_EQ(hits[4].id, 5u);
  EXPECT_EQ(hits[0].score, 3.0f);
  auto top2 = flat_search(s, q, 2, all);
  ASSERT_EQ(top2.size(), 2u);
  EXPECT_EQ(top2[0].id, 2u);
  EXPECT_EQ(top2[1].id, 7u);
}

TEST(FlatIndexTest, OnlyAllowedIdsWithVectors) {
  VectorStore s = make_store(Metric::kL2, 300, 4, 3);
  Bitset allowed(1000);
  for (DocId id = 0; id < 1000; id += 3) allowed.set(id);  // includes ids without vectors and past the end
  float q[4] = {0.5f, -1, 2, 0};
  auto hits = flat_search(s, q, 1000, allowed);
  expect_same(hits, brute_force(s, q, 1000, allowed));
  for (const auto& h : hits) {
    EXPECT_TRUE(allowed.test(h.id));
    EXPECT_TRUE(s.has(h.id));
    EXPECT_LE(h.score, 0.0f);  // l2 similarity is −(squared distance)
  }
  // An allowed set smaller than the store (ids past its end are simply not allowed).
  Bitset small(10, true);
  expect_same(flat_search(s, q, 50, small), brute_force(s, q, 50, small));
}

TEST(FlatIndexTest, EmptyCases) {
  VectorStore s = make_store(Metric::kCosine, 50, 4, 1);
  float q[4] = {1, 0, 0, 0};
  EXPECT_TRUE(flat_search(s, q, 0, Bitset(50, true)).empty());
  EXPECT_TRUE(flat_search(s, q, 10, Bitset(50, false)).empty());
  EXPECT_TRUE(flat_search(s, q, 10, Bitset()).empty());
  VectorStore empty(4, Metric::kCosine);
  EXPECT_TRUE(flat_search(empty, q, 10, Bitset(50, true)).empty());
}

}  // namespace
}  // namespace vesper
