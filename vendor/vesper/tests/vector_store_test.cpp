// VectorStore: row storage by id, validation before mutation, per-metric similarity, public scores.
#include "vesper/vector_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "vesper/distance.h"
#include "vesper/error.h"
#include "vesper/metric.h"

namespace vesper {
namespace {

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

TEST(MetricTest, ParseAndName) {
  EXPECT_EQ(parse_metric("cosine"), Metric::kCosine);
  EXPECT_EQ(parse_metric("l2"), Metric::kL2);
  EXPECT_EQ(parse_metric("ip"), Metric::kInnerProduct);
  for (Metric m : {Metric::kCosine, Metric::kL2, Metric::kInnerProduct}) EXPECT_EQ(parse_metric(metric_name(m)), m);
  Error e = capture([] { parse_metric("euclid"); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.component(), "collection");
  EXPECT_NE(std::string(e.what()).find("\"euclid\""), std::string::npos) << e.what();
  EXPECT_THROW(parse_metric(""), Error);
  EXPECT_THROW(parse_metric("Cosine"), Error);
}

TEST(VectorStoreTest, RejectsZeroDim) {
  Error e = capture([] { VectorStore s(0, Metric::kL2); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
}

TEST(VectorStoreTest, PutGetWithGaps) {
  VectorStore s(3, Metric::kL2);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_FALSE(s.has(0));
  EXPECT_EQ(s.get(0), nullptr);
  float a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
  s.put(0, a);
  s.put(5, b);  // ids 1..4 are documents without vectors
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.id_bound(), 6u);
  EXPECT_TRUE(s.has(0));
  EXPECT_TRUE(s.has(5));
  for (DocId gap = 1; gap < 5; ++gap) {
    EXPECT_FALSE(s.has(gap));
    EXPECT_EQ(s.get(gap), nullptr);
  }
  EXPECT_FALSE(s.has(6));
  EXPECT_FALSE(s.has(1000000));
  EXPECT_EQ(s.get(5)[2], 6.0f);
  EXPECT_EQ(s.ids().to_vector(), (std::vector<DocId>{0, 5}));
  s.put(5, a);  // replace
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.get(5)[0], 1.0f);
  EXPECT_EQ(s.dim(), 3u);
  EXPECT_EQ(s.metric(), Metric::kL2);
}

TEST(VectorStoreTest, ManyIncreasingIdsKeepEarlierRows) {
  VectorStore s(7, Metric::kInnerProduct);
  std::vector<float> v(7);
  for (DocId id = 0; id < 5000; id += 2) {
    for (std::size_t j = 0; j < 7; ++j) v[j] = static_cast<float>(id) + static_cast<float>(j) * 0.5f;
    s.put(id, v.data());
  }
  EXPECT_EQ(s.size(), 2500u);
  for (DocId id = 0; id < 5000; ++id) {
    ASSERT_EQ(s.has(id), id % 2 == 0);
    if (id % 2 == 0) {
      ASSERT_EQ(s.get(id)[3], static_cast<float>(id) + 1.5f);
    }
  }
  EXPECT_GE(s.memory_bytes(), 5000u * 7 * sizeof(float));
}

TEST(VectorStoreTest, PutFromOwnRowSurvivesGrowth) {
  VectorStore s(4, Metric::kL2);
  float a[4] = {1, 2, 3, 4};
  s.put(0, a);
  s.put(100000, s.get(0));  // the source row moves when the store grows
  EXPECT_EQ(s.get(100000)[3], 4.0f);
}

TEST(VectorStoreTest, CosineNormalisesOthersDoNot) {
  float v[2] = {3, 4};
  VectorStore c(2, Metric::kCosine), ip(2, Metric::kInnerProduct), l2(2, Metric::kL2);
  c.put(0, v);
  ip.put(0, v);
  l2.put(0, v);
  EXPECT_FLOAT_EQ(c.get(0)[0], 0.6f);
  EXPECT_FLOAT_EQ(c.get(0)[1], 0.8f);
  EXPECT_EQ(ip.get(0)[0], 3.0f);
  EXPECT_EQ(l2.get(0)[1], 4.0f);
  EXPECT_EQ(v[0], 3.0f);  // the caller's buffer is untouched
}

TEST(VectorStoreTest, RejectsNanInfAndZeroNormLeavingStoreUnchanged) {
  VectorStore s(32, Metric::kCosine);
  std::vector<float> good(32, 1.0f);
  s.put(3, good.data());
  const std::size_t before_bytes = s.memory_bytes();
  std::vector<float> saved(s.get(3), s.get(3) + 32);

  auto expect_rejected = [&](std::vector<float> v, DocId id, const std::string& needle) {
    Error e = capture([&] { s.put(id, v.data()); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.component(), "vector");
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(s.size(), 1u);
    EXPECT_EQ(s.id_bound(), 4u);
    EXPECT_EQ(s.memory_bytes(), before_bytes);
    EXPECT_FALSE(s.has(id == 3 ? 99 : id));
    EXPECT_TRUE(s.has(3));
    EXPECT_EQ(std::vector<float>(s.get(3), s.get(3) + 32), saved);
  };
  std::vector<float> v = good;
  v[17] = std::numeric_limits<float>::quiet_NaN();
  expect_rejected(v, 10, "vector[17] is NaN");
  expect_rejected(v, 3, "vector[17] is NaN");  // replacing an existing row fails atomically too
  v = good;
  v[0] = std::numeric_limits<float>::infinity();
  expect_rejected(v, 1000, "vector[0] is +Infinity");
  v = good;
  v[31] = -std::numeric_limits<float>::infinity();
  expect_rejected(v, 7, "vector[31] is -Infinity");
  expect_rejected(std::vector<float>(32, 0.0f), 8, "zero norm");
  expect_rejected(std::vector<float>(32, -0.0f), 3, "zero norm");
}

TEST(VectorStoreTest, ZeroVectorIsFineForL2AndIp) {
  std::vector<float> z(4, 0.0f);
  VectorStore l2(4, Metric::kL2), ip(4, Metric::kInnerProduct);
  l2.put(0, z.data());
  ip.put(0, z.data());
  EXPECT_TRUE(l2.has(0));
  EXPECT_TRUE(ip.has(0));
  std::vector<float> q(4, 0.0f);
  l2.prepare_query(q.data(), q.data());
  EXPECT_EQ(l2.similarity(q.data(), 0), 0.0f);
}

TEST(VectorStoreTest, PrepareQueryValidatesAndNormalises) {
  VectorStore s(2, Metric::kCosine);
  float in[2] = {0, 5}, out[2] = {-1, -1};
  s.prepare_query(in, out);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 1.0f);
  EXPECT_EQ(in[1], 5.0f);
  s.prepare_query(in, in);  // in place
  EXPECT_EQ(in[1], 1.0f);
  float bad[2] = {std::numeric_limits<float>::quiet_NaN(), 1}, untouched[2] = {7, 7};
  Error e = capture([&] { s.prepare_query(bad, untouched); });
  EXPECT_EQ(e.component(), "vector");
  EXPECT_NE(std::string(e.what()).find("vector[0] is NaN"), std::string::npos);
  EXPECT_EQ(untouched[0], 7.0f);
  float zero[2] = {0, 0};
  EXPECT_THROW(s.prepare_query(zero, out), Error);
}

TEST(VectorStoreTest, SimilarityPerMetric) {
  float a[2] = {1, 0}, b[2] = {3, 4};
  VectorStore c(2, Metric::kCosine), ip(2, Metric::kInnerProduct), l2(2, Metric::kL2);
  for (VectorStore* s : {&c, &ip, &l2}) {
    s->put(0, a);
    s->put(1, b);
  }
  float q[2];
  c.prepare_query(b, q);
  EXPECT_FLOAT_EQ(c.similarity(q, 0), 0.6f);
  EXPECT_FLOAT_EQ(c.similarity(q, 1), 1.0f);
  ip.prepare_query(b, q);
  EXPECT_FLOAT_EQ(ip.similarity(q, 0), 3.0f);
  EXPECT_FLOAT_EQ(ip.similarity(q, 1), 25.0f);
  l2.prepare_query(a, q);
  EXPECT_FLOAT_EQ(l2.similarity(q, 1), -20.0f);  // −(2² + 4²)
  EXPECT_FLOAT_EQ(l2.similarity(q, 0), 0.0f);
  EXPECT_FLOAT_EQ(l2.similarity_between(0, 1), -20.0f);
  EXPECT_FLOAT_EQ(l2.similarity_between(1, 0), l2.similarity_between(0, 1));
}

TEST(VectorStoreTest, PublicScoreAndDistance) {
  EXPECT_FLOAT_EQ(public_score(Metric::kL2, -25.0f), -5.0f);
  EXPECT_FLOAT_EQ(public_distance(Metric::kL2, -25.0f), 5.0f);
  EXPECT_FLOAT_EQ(public_score(Metric::kCosine, 0.25f), 0.25f);
  EXPECT_FLOAT_EQ(public_distance(Metric::kCosine, 0.25f), 0.75f);
  EXPECT_FLOAT_EQ(public_score(Metric::kInnerProduct, -3.0f), -3.0f);
  EXPECT_FLOAT_EQ(public_distance(Metric::kInnerProduct, -3.0f), 3.0f);
  EXPECT_EQ(public_score(Metric::kL2, 0.0f), 0.0f);
  // Order is preserved: a higher internal similarity is a higher public score.
  EXPECT_GT(public_score(Metric::kL2, -1.0f), public_score(Metric::kL2, -4.0f));
}

TEST(VectorStoreTest, PutStoredKeepsRowsBitIdentical) {
  VectorStore s(5, Metric::kCosine);
  float v[5] = {0.3f, -1.7f, 2.9f, 0.01f, 5.5f};
  s.put(4, v);
  VectorStore reloaded(5, Metric::kCosine);
  reloaded.put_stored(4, s.get(4));  // a checkpoint's row: not normalised a second time
  EXPECT_EQ(std::memcmp(reloaded.get(4), s.get(4), 5 * sizeof(float)), 0);
  float bad[5] = {0, 0, std::numeric_limits<float>::quiet_NaN(), 0, 0};
  EXPECT_THROW(reloaded.put_stored(1, bad), Error);
  EXPECT_FALSE(reloaded.has(1));
}

TEST(VectorStoreTest, CopyIsDeep) {
  VectorStore s(2, Metric::kL2);
  float a[2] = {1, 2}, b[2] = {9, 9};
  s.put(1, a);
  VectorStore t = s;
  s.put(1, b);
  EXPECT_EQ(t.get(1)[0], 1.0f);
  EXPECT_FALSE(t.has(0));
  EXPECT_EQ(t.size(), 1u);
  VectorStore u(5, Metric::kCosine);
  u = t;
  EXPECT_EQ(u.dim(), 2u);
  EXPECT_EQ(u.get(1)[1], 2.0f);
}

}  // namespace
}  // namespace vesper
