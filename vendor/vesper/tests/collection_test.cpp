#include "vesper/collection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "vesper/error.h"

namespace vesper {
namespace {

CollectionOptions options(std::size_t dim, Metric metric = Metric::kCosine) {
  CollectionOptions o;
  o.dim = dim;
  o.metric = metric;
  return o;
}

DocumentInput doc(std::uint64_t id, std::vector<float> v, std::string text = "", Metadata md = {}) {
  DocumentInput d;
  d.id = id;
  d.owned_vector = std::move(v);
  if (!text.empty()) d.text = std::move(text);
  d.metadata = std::move(md);
  return d;
}

std::vector<std::uint64_t> ids(const std::vector<SearchHit>& hits) {
  std::vector<std::uint64_t> out;
  for (const SearchHit& h : hits) out.push_back(*h.id);
  return out;
}

}  // namespace

TEST(Collection, RejectedBatchChangesNothing) {
  Collection c(options(2));
  c.upsert({doc(1, {1, 0}, "kept")});
  std::vector<DocumentInput> batch;
  batch.push_back(doc(2, {0, 1}));
  batch.push_back(doc(3, {0, NAN}));
  try {
    c.upsert(std::move(batch));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()), "documents[1].vector[1] is NaN");
  }
  EXPECT_EQ(c.count(), 1u);
  EXPECT_FALSE(c.get(DocRef{2, std::nullopt}).has_value());
  EXPECT_EQ(*c.get(DocRef{1, std::nullopt})->text, "kept");
}

TEST(Collection, IdentityByIdAndKey) {
  Collection c(options(2));
  DocumentInput a;
  a.id = 1;
  a.key = "a";
  DocumentInput b;
  b.key = "b";
  c.upsert({a, b});
  EXPECT_EQ(*c.get(DocRef{std::nullopt, "a"})->id, 1u);
  EXPECT_FALSE(c.get(DocRef{std::nullopt, "b"})->id.has_value());

  // Re-keying id 1 within one batch is fine; taking another id's key conflicts.
  DocumentInput rekey;
  rekey.id = 1;
  rekey.key = "a2";
  c.upsert({rekey});
  EXPECT_FALSE(c.get(DocRef{std::nullopt, "a"}).has_value());
  DocumentInput other;
  other.id = 2;
  other.key = "a2";
  EXPECT_THROW(c.upsert({other}), Error);
  EXPECT_EQ(c.count(), 2u);

  // A later op in the same batch sees the earlier ones: remove then reuse the key.
  std::vector<WriteOp> batch(2);
  batch[0].kind = WriteOp::Kind::kRemove;
  batch[0].ref.id = 1;
  batch[1].doc.id = 2;
  batch[1].doc.key = "a2";
  WriteResult r = c.write(std::move(batch));
  EXPECT_EQ(r.removed, 1u);
  EXPECT_EQ(r.upserted, 1u);
  EXPECT_EQ(*c.get(DocRef{std::nullopt, "a2"})->id, 2u);
}

TEST(Collection, ReplacementTombstonesOldSlot) {
  Collection c(options(2));
  c.upsert({doc(1, {1, 0}, "old words", {{"lang", std::string("ts")}})});
  c.upsert({doc(1, {0, 1}, "new words")});
  EXPECT_EQ(c.count(), 1u);
  EXPECT_EQ(c.stats().tombstones, 1u);
  EXPECT_TRUE(c.search_text("old", {}).empty());
  EXPECT_EQ(ids(c.search_text("new", {})), std::vector<std::uint64_t>{1});
  TextSearchOptions filtered;
  filtered.filter = "lang=ts";
  EXPECT_TRUE(c.search_text("words", filtered).empty());
  auto hits = c.search_vector(std::vector<float>{0, 1}, {});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NEAR(hits[0].score, 1.0, 1e-6);
}

TEST(Collection, StrategiesAndFusion) {
  Collection c(options(2));
  c.upsert({doc(1, {1, 0}, "apple banana"), doc(2, {0.9f, 0.1f}, "cherry"), doc(3, {0, 1}, "apple")});
  std::vector<float> q{1, 0};
  HybridQuery query{std::string("apple"), q, std::nullopt};
  HybridSearchConfig config;
  auto parallel = c.search(query, config);
  ASSERT_EQ(parallel.size(), 3u);
  EXPECT_EQ(*parallel[0].id, 1u);
  EXPECT_DOUBLE_EQ(parallel[0].score, 1.0 / 61 + 1.0 / (60 + parallel[0].sparse_rank));

  config.strategy = QueryStrategy::kDenseFirst;
  config.k = 1;
  config.rerank_factor = 1;  // dense candidates: doc 1 only
  auto dense_first = c.search(query, config);
  ASSERT_EQ(dense_first.size(), 1u);
  EXPECT_EQ(*dense_first[0].id, 1u);
  EXPECT_GT(dense_first[0].sparse_rank, 0u);

  config.strategy = QueryStrategy::kSparseFirst;
  config.k = 10;
  config.rerank_factor = 10;
  auto sparse_first = c.search(query, config);
  EXPECT_EQ(sparse_first.size(), 2u);  // only docs containing "apple" are candidates
  for (const SearchHit& h : sparse_first) EXPECT_GT(h.dense_rank, 0u);

  HybridQuery empty;
  EXPECT_THROW(c.search(empty, HybridSearchConfig{}), Error);
  config.strategy = QueryStrategy::kDenseFirst;
  HybridQuery text_only{std::string("apple"), {}, std::nullopt};
  EXPECT_THROW(c.search(text_only, config), Error);
  EXPECT_THROW(parse_strategy("sideways"), Error);
}

TEST(Collection, HnswPathAgreesWithFlatOnClusteredData) {
  const std::size_t dim = 16;
  CollectionOptions o = options(dim);
  o.flat_threshold = 0;
  o.flat_filter_count = 0;
  o.flat_filter_ratio = 0;
  Collection hnsw(o);
  Collection flat(options(dim));
  std::mt19937 gen(7);
  std::normal_distribution<float> noise(0, 1);
  std::vector<std::vector<float>> centroids(20, std::vector<float>(dim));
  for (auto& c : centroids)
    for (float& x : c) x = noise(gen);
  std::vector<DocumentInput> docs;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    std::vector<float> v = centroids[i % centroids.size()];
    for (float& x : v) x += 0.3f * noise(gen);
    docs.push_back(doc(i, v, "", {{"bucket", static_cast<std::int64_t>(i % 10)}}));
  }
  hnsw.upsert(docs);
  flat.upsert(std::move(docs));
  std::size_t found = 0;
  std::size_t total = 0;
  for (int qi = 0; qi < 50; ++qi) {
    std::vector<float> q = centroids[qi % centroids.size()];
    for (float& x : q) x += 0.3f * noise(gen);
    VectorSearchOptions vo;
    vo.k = 10;
    vo.filter = R"({"bucket": {"$in": [1, 2]}})";
    auto truth = ids(flat.search_vector(q, vo));
    auto got = ids(hnsw.search_vector(q, vo));
    ASSERT_EQ(got.size(), 10u);
    for (std::uint64_t id : got) found += std::count(truth.begin(), truth.end(), id);
    total += truth.size();
  }
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(total), 0.95);
}

TEST(Collection, ValidatesOptionsAndQueries) {
  EXPECT_THROW(Collection(options(0)), Error);
  Collection c(options(3));
  EXPECT_THROW(c.search_vector(std::vector<float>{1, 2}, {}), Error);
  VectorSearchOptions zero_k;
  zero_k.k = 0;
  EXPECT_THROW(c.search_vector(std::vector<float>{1, 2, 3}, zero_k), Error);
  TextSearchOptions bad_filter;
  bad_filter.filter = R"({"and": [{"range": {"field": "n", "min": "x"}}]})";
  try {
    c.search_text("x", bad_filter);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.component(), "filter");
    EXPECT_NE(std::string(e.what()).find("$.and[0].range.min"), std::string::npos);
  }
}

}  // namespace vesper
