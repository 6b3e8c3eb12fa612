#include "vesper/bm25_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "vesper/error.h"

namespace vesper {
namespace {

using Tokens = std::vector<std::string>;

// prefix + decimal n. (Appending, rather than `"w" + std::to_string(n)`, sidesteps a GCC 12 -O3
// false positive, -Wrestrict, in std::string's operator+.)
std::string cat(std::string_view prefix, std::uint64_t n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

// Toy corpus for hand-computed scores.
//   doc0: apple banana apple        (len 3)
//   doc1: banana cherry             (len 2)
//   doc2: cherry date elder fig     (len 4)
//   doc3: apple                     (len 1)
// N = 4, avgdl = 10/4 = 2.5, k1 = 1.2, b = 0.75.
// df(apple) = df(banana) = df(cherry) = 2: IDF = ln(1 + (4 − 2 + 0.5)/(2 + 0.5)) = ln 2 = 0.693147180560
// df(date) = 1:                            IDF = ln(1 + 3.5/1.5) = ln(10/3)   = 1.203972804326
// Length normaliser k1·(1 − b + b·len/avgdl) = 1.2·(0.25 + 0.3·len) = 0.3 + 0.36·len:
//   len 1 → 0.66, len 2 → 1.02, len 3 → 1.38, len 4 → 1.74.
Bm25Index toy_index() {
  Bm25Index index(Bm25Params{});
  index.add(0, {"apple", "banana", "apple"});
  index.add(1, {"banana", "cherry"});
  index.add(2, {"cherry", "date", "elder", "fig"});
  index.add(3, {"apple"});
  return index;
}

void expect_same_hits(const std::vector<ScoredId>& a, const std::vector<ScoredId>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].id, b[i].id) << what << " rank " << i;
    ASSERT_EQ(a[i].score, b[i].score) << what << " rank " << i;  // bit-identical, not just close
  }
}

void expect_ordered(const std::vector<ScoredId>& hits) {
  for (std::size_t i = 1; i < hits.size(); ++i) ASSERT_TRUE(better_hit(hits[i - 1], hits[i])) << "rank " << i;
}

/// Zipf-distributed word source: "w0" is the most frequent word.
class Zipf {
 public:
  Zipf(std::size_t vocab, double s) {
    double acc = 0;
    for (std::size_t r = 1; r <= vocab; ++r) cdf_.push_back(acc += 1.0 / std::pow(static_cast<double>(r), s));
    for (double& c : cdf_) c /= acc;
  }
  std::string operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const auto r = static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
    return cat("w", std::min(r, cdf_.size() - 1));
  }

 private:
  std::vector<double> cdf_;
};

/// The test's own model of the corpus, scored independently from the formula.
struct Model {
  std::map<DocId, Tokens> docs;
  Bm25Params params;
  // Filled by prepare(): per-doc term frequencies, document frequencies, average length.
  std::map<DocId, std::map<std::string, double>> tf;
  std::map<std::string, double> df;
  double avgdl = 0;

  void prepare() {
    tf.clear();
    df.clear();
    double total = 0;
    for (const auto& [id, t] : docs) {
      auto& m = tf[id];
      for (const std::string& term : t) m[term] += 1;
      for (const auto& [term, n] : m) df[term] += 1;
      total += static_cast<double>(t.size());
    }
    avgdl = total / static_cast<double>(docs.size());
  }

  std::vector<ScoredId> top(const Tokens& query, std::size_t k, const Bitset* allowed) const {
    const std::set<std::string> distinct(query.begin(), query.end());
    const auto n = static_cast<double>(docs.size());
    std::vector<ScoredId> hits;
    for (const auto& [id, t] : docs) {
      if (allowed != nullptr && !allowed->test(id)) continue;
      const auto& m = tf.at(id);
      double score = 0;
      bool matched = false;
      for (const std::string& term : distinct) {
        auto it = m.find(term);
        if (it == m.end()) continue;
        matched = true;
        const double f = it->second;
        const double d = df.at(term);
        const double idf = std::log(1 + (n - d + 0.5) / (d + 0.5));
        const double len = static_cast<double>(t.size());
        score += idf * f * (params.k1 + 1) / (f + params.k1 * (1 - params.b + params.b * len / avgdl));
      }
      if (matched) hits.push_back(ScoredId{id, static_cast<float>(score)});
    }
    std::sort(hits.begin(), hits.end(), better_hit);
    if (hits.size() > k) hits.resize(k);
    return hits;
  }
};

// Hits agree with the independent model: same count, and the same score at every rank (so no better
// document was missed); ids may differ only between documents whose scores tie within rounding.
void expect_matches_model(const std::vector<ScoredId>& got, const std::vector<ScoredId>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i].score, want[i].score, 1e-5 * std::max(1.0f, want[i].score)) << what << " rank " << i;
  }
}

}  // namespace

TEST(Bm25Index, RejectsBadParameters) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double k1 : {0.0, -1.0, nan, inf}) {
    try {
      Bm25Index index(Bm25Params{k1, 0.75});
      ADD_FAILURE() << "accepted k1 = " << k1;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.component(), "bm25");
      EXPECT_NE(std::string(e.what()).find("k1"), std::string::npos) << e.what();
    }
  }
  for (double b : {-0.01, 1.01, nan, inf}) {
    try {
      Bm25Index index(Bm25Params{1.2, b});
      ADD_FAILURE() << "accepted b = " << b;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.component(), "bm25");
      EXPECT_NE(std::string(e.what()).find("bm25.b"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(Bm25Index(Bm25Params{1e-9, 0.0}));
  EXPECT_NO_THROW(Bm25Index(Bm25Params{100.0, 1.0}));
}

TEST(Bm25Index, StatisticsOfToyCorpus) {
  const Bm25Index index = toy_index();
  EXPECT_EQ(index.doc_count(), 4u);
  EXPECT_DOUBLE_EQ(index.average_length(), 2.5);
  EXPECT_EQ(index.doc_frequency("apple"), 2u);
  EXPECT_EQ(index.doc_frequency("date"), 1u);
  EXPECT_EQ(index.doc_frequency("nope"), 0u);
  EXPECT_NEAR(index.idf("apple"), 0.693147180560, 1e-12);
  EXPECT_NEAR(index.idf("date"), 1.203972804326, 1e-12);
  // Unknown term: df = 0, IDF = ln(1 + 4.5/0.5) = ln 10.
  EXPECT_NEAR(index.idf("nope"), 2.302585092994, 1e-12);
  EXPECT_TRUE(index.contains(3));
  EXPECT_FALSE(index.contains(4));
  EXPECT_GT(index.memory_bytes(), 0u);
}

TEST(Bm25Index, ScoresMatchHandComputedValues) {
  const Bm25Index index = toy_index();
  // "apple": doc3 (tf 1, len 1): 0.693147 · 2.2 / (1 + 0.66) = 0.918628794
  //          doc0 (tf 2, len 3): 0.693147 · 4.4 / (2 + 1.38) = 0.902321774
  // The short document wins despite the lower tf.
  auto hits = index.search({"apple"}, 10, nullptr);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 3u);
  EXPECT_NEAR(hits[0].score, 0.918628794, 1e-6);
  EXPECT_EQ(hits[1].id, 0u);
  EXPECT_NEAR(hits[1].score, 0.902321774, 1e-6);

  // "banana date": doc2 date (tf 1, len 4): 1.203973 · 2.2 / (1 + 1.74) = 0.966693493
  //                doc1 banana (len 2):     0.693147 · 2.2 / (1 + 1.02) = 0.754912771
  //                doc0 banana (len 3):     0.693147 · 2.2 / (1 + 1.38) = 0.640724285
  hits = index.search({"banana", "date"}, 10, nullptr);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 2u);
  EXPECT_NEAR(hits[0].score, 0.966693493, 1e-6);
  EXPECT_EQ(hits[1].id, 1u);
  EXPECT_NEAR(hits[1].score, 0.754912771, 1e-6);
  EXPECT_EQ(hits[2].id, 0u);
  EXPECT_NEAR(hits[2].score, 0.640724285, 1e-6);

  // "banana cherry": doc1 has both: 2 · 0.754912771 = 1.509825542;
  //                  doc0 banana 0.640724285; doc2 cherry (len 4): 0.693147 · 2.2 / 2.74 = 0.556541532.
  hits = index.search({"banana", "cherry"}, 2, nullptr);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 1u);
  EXPECT_NEAR(hits[0].score, 1.509825542, 1e-6);
  EXPECT_EQ(hits[1].id, 0u);
  EXPECT_NEAR(hits[1].score, 0.640724285, 1e-6);
}

TEST(Bm25Index, RepeatedQueryTermCountsOnce) {
  const Bm25Index index = toy_index();
  expect_same_hits(index.search({"apple", "apple", "apple"}, 10, nullptr), index.search({"apple"}, 10, nullptr),
                   "repeated term");
  expect_same_hits(index.search({"date", "banana", "date"}, 10, nullptr), index.search({"date", "banana"}, 10, nullptr),
                   "repeated term among others");
}

TEST(Bm25Index, NonMatchingDocumentsAreNeverReturned) {
  const Bm25Index index = toy_index();
  EXPECT_TRUE(index.search({"zebra"}, 10, nullptr).empty());
  EXPECT_TRUE(index.search({}, 10, nullptr).empty());
  EXPECT_TRUE(index.search({"apple"}, 0, nullptr).empty());
  const auto hits = index.search({"date", "zebra"}, 10, nullptr);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, 2u);
  EXPECT_TRUE(Bm25Index().search({"apple"}, 10, nullptr).empty());
}

TEST(Bm25Index, RemovalUpdatesStatisticsExactly) {
  Bm25Index index = toy_index();
  index.remove(3);
  index.remove(3);   // already gone: no-op
  index.remove(99);  // never added: no-op
  // N = 3, avgdl = 9/3 = 3, df(apple) = 1: IDF = ln(1 + 2.5/1.5) = ln(8/3) = 0.980829253.
  // doc0 "apple" (tf 2, len 3): normaliser 1.2·(0.25 + 0.75·3/3) = 1.2; 0.980829253 · 4.4 / 3.2 = 1.348640223.
  EXPECT_EQ(index.doc_count(), 3u);
  EXPECT_DOUBLE_EQ(index.average_length(), 3.0);
  EXPECT_EQ(index.doc_frequency("apple"), 1u);
  EXPECT_NEAR(index.idf("apple"), std::log(8.0 / 3.0), 1e-12);
  const auto hits = index.search({"apple"}, 10, nullptr);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, 0u);
  EXPECT_NEAR(hits[0].score, 1.348640223, 1e-6);
  EXPECT_FALSE(index.contains(3));

  // A fresh index without doc3 agrees bit for bit.
  Bm25Index fresh(Bm25Params{});
  fresh.add(0, {"apple", "banana", "apple"});
  fresh.add(1, {"banana", "cherry"});
  fresh.add(2, {"cherry", "date", "elder", "fig"});
  for (const Tokens& q : std::vector<Tokens>{{"apple"}, {"banana", "cherry"}, {"date", "fig", "apple"}}) {
    expect_same_hits(index.search(q, 10, nullptr), fresh.search(q, 10, nullptr), "after removal");
  }

  // Removing the last document of a term forgets the term.
  index.remove(0);
  EXPECT_EQ(index.doc_frequency("apple"), 0u);
  EXPECT_TRUE(index.search({"apple"}, 10, nullptr).empty());
  index.remove(1);
  index.remove(2);
  EXPECT_EQ(index.doc_count(), 0u);
  EXPECT_EQ(index.average_length(), 0.0);
  EXPECT_TRUE(index.search({"cherry"}, 10, nullptr).empty());
}

TEST(Bm25Index, AddReplacesAndReAddsAfterRemoval) {
  Bm25Index index = toy_index();
  index.add(0, {"kiwi"});  // replaces doc0 ("apple banana apple")
  EXPECT_EQ(index.doc_count(), 4u);
  EXPECT_EQ(index.doc_frequency("apple"), 1u);
  EXPECT_EQ(index.doc_frequency("kiwi"), 1u);
  EXPECT_DOUBLE_EQ(index.average_length(), 8.0 / 4.0);
  index.remove(1);
  index.add(1, {"banana", "banana"});  // same id back, new text (revives the tombstoned posting)
  Bm25Index fresh(Bm25Params{});
  fresh.add(0, {"kiwi"});
  fresh.add(1, {"banana", "banana"});
  fresh.add(2, {"cherry", "date", "elder", "fig"});
  fresh.add(3, {"apple"});
  for (const Tokens& q : std::vector<Tokens>{{"apple"}, {"banana"}, {"kiwi", "cherry"}, {"fig", "banana", "apple"}}) {
    expect_same_hits(index.search(q, 10, nullptr), fresh.search(q, 10, nullptr), "after replace");
  }
  // An empty document counts in N and avgdl.
  index.add(7, {});
  EXPECT_EQ(index.doc_count(), 5u);
  EXPECT_DOUBLE_EQ(index.average_length(), 8.0 / 5.0);
}

TEST(Bm25Index, TiesBreakByAscendingId) {
  Bm25Index index(Bm25Params{});
  for (DocId id = 20; id > 10; --id) index.add(id, {"same", "words"});  // inserted out of order on purpose
  index.add(5, {"other", "text"});
  const auto hits = index.search({"same"}, 3, nullptr);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 11u);
  EXPECT_EQ(hits[1].id, 12u);
  EXPECT_EQ(hits[2].id, 13u);
  EXPECT_EQ(hits[0].score, hits[2].score);
}

TEST(Bm25Index, FilterRestrictsAndStillFillsK) {
  Bm25Index index(Bm25Params{});
  for (DocId id = 0; id < 100; ++id) index.add(id, {"common", id % 10 == 0 ? "rare" : "filler", cat("x", id)});
  Bitset odd(100);
  for (DocId id = 1; id < 100; id += 2) odd.set(id);
  auto hits = index.search({"common", "rare"}, 10, &odd);
  ASSERT_EQ(hits.size(), 10u);  // the rare docs are all even: k is filled from the odd ones
  for (const ScoredId& h : hits) EXPECT_EQ(h.id % 2, 1u);
  expect_same_hits(hits, index.search_exhaustive({"common", "rare"}, 10, &odd), "odd filter");

  Bitset two(100);  // fewer allowed matches than k: all of them
  two.set(40);
  two.set(41);
  hits = index.search({"rare"}, 10, &two);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, 40u);

  const Bitset none;
  EXPECT_TRUE(index.search({"common"}, 10, &none).empty());  // empty filter
  Bitset small(5, true);  // shorter than the id space: ids beyond it are not allowed
  hits = index.search({"common"}, 10, &small);
  ASSERT_EQ(hits.size(), 5u);
  EXPECT_EQ(hits.back().id, 4u);
}

// MaxScore must return exactly what scoring every candidate returns, and both must agree with an
// independent model of the corpus, across random corpora with deletions, re-adds and filters.
TEST(Bm25Index, MaxScoreEqualsExhaustiveOnRandomCorpora) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    const Bm25Params params{std::vector<double>{1.2, 0.5, 2.0}[seed % 3], std::vector<double>{0.75, 0.0, 1.0, 0.3}[seed % 4]};
    const std::size_t vocab = 30 + rng() % 1500;
    const Zipf zipf(vocab, 0.8 + static_cast<double>(rng() % 50) / 100.0);
    Bm25Index index(params);
    Model model;
    model.params = params;

    const auto random_doc = [&] {
      Tokens t;
      const std::size_t len = rng() % 10 == 0 ? 0 : 1 + rng() % 40;
      if (rng() % 8 == 0) {  // repetitive: exercises the tf >= 4 bound
        const std::string w = zipf(rng);
        for (std::size_t i = 0; i < len; ++i) t.push_back(i % 3 == 0 ? zipf(rng) : w);
      } else {
        for (std::size_t i = 0; i < len; ++i) t.push_back(zipf(rng));
      }
      return t;
    };
    const auto put = [&](DocId id, Tokens t) {
      index.add(id, t);
      model.docs[id] = std::move(t);
    };
    const auto drop = [&](DocId id) {
      index.remove(id);
      model.docs.erase(id);
    };

    DocId next_id = 0;
    const std::size_t n_docs = 200 + rng() % 1300;
    for (std::size_t i = 0; i < n_docs; ++i) {
      put(next_id, random_doc());
      next_id += 1 + static_cast<DocId>(rng() % 3);
      if (i > 10 && rng() % 4 == 0) {  // upsert: old id removed, fresh id added
        auto it = model.docs.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng() % model.docs.size()));
        drop(it->first);
      }
    }
    for (int i = 0; i < 30; ++i) {  // same ids back (tombstone revival) and in-place replacement
      const auto id = static_cast<DocId>(rng() % next_id);
      put(id, random_doc());
    }
    ASSERT_EQ(index.doc_count(), model.docs.size());
    model.prepare();

    for (int q = 0; q < 40; ++q) {
      Tokens query;
      const std::size_t terms = 1 + rng() % 5;
      for (std::size_t i = 0; i < terms; ++i) query.push_back(zipf(rng));
      if (rng() % 10 == 0) query.push_back("unknown-term");
      if (rng() % 10 == 0) query.push_back(query.front());
      const std::size_t k = std::vector<std::size_t>{1, 2, 5, 10, 37, 200, 100000}[rng() % 7];

      Bitset filter(next_id);
      const Bitset* allowed = nullptr;
      switch (rng() % 5) {
        case 0: break;
        case 1:
          for (DocId id = 0; id < next_id; ++id) if (rng() % 2) filter.set(id);
          allowed = &filter;
          break;
        case 2:  // selective: drives the traversal
          for (DocId id = 0; id < next_id; ++id) if (rng() % 60 == 0) filter.set(id);
          allowed = &filter;
          break;
        case 3:
          filter = Bitset(next_id / 2, true);
          allowed = &filter;
          break;
        default: break;
      }
      const std::string what = cat("seed ", seed) + cat(" query ", q);
      const auto got = index.search(query, k, allowed);
      expect_same_hits(got, index.search_exhaustive(query, k, allowed), what);
      expect_ordered(got);
      expect_matches_model(got, model.top(query, k, allowed), what);
    }
  }
}

// A larger corpus where the MaxScore partition really moves (common terms become non-essential).
TEST(Bm25Index, MaxScoreEqualsExhaustiveOnZipfCorpus) {
  std::mt19937_64 rng(42);
  const Zipf zipf(5000, 1.0);
  Bm25Index index(Bm25Params{});
  for (DocId id = 0; id < 12000; ++id) {
    Tokens t;
    const std::size_t len = 10 + rng() % 21;
    for (std::size_t i = 0; i < len; ++i) t.push_back(zipf(rng));
    index.add(id, t);
    if (id % 7 == 3) index.remove(id - 2);
  }
  for (int q = 0; q < 100; ++q) {
    Tokens query;
    for (int i = 0; i < 3; ++i) query.push_back(zipf(rng));
    for (std::size_t k : {10, 100}) {
      expect_same_hits(index.search(query, k, nullptr), index.search_exhaustive(query, k, nullptr),
                       cat("query ", q));
    }
  }
}

// Removing documents leaves the index equal to one built without them.
TEST(Bm25Index, DeletionMatchesFreshIndex) {
  std::mt19937_64 rng(9);
  const Zipf zipf(300, 1.1);
  std::map<DocId, Tokens> docs;
  Bm25Index index(Bm25Params{0.9, 0.4});
  for (DocId id = 0; id < 3000; ++id) {
    Tokens t;
    for (std::size_t i = 0, len = 1 + rng() % 25; i < len; ++i) t.push_back(zipf(rng));
    index.add(id, t);
    docs[id] = t;
  }
  for (DocId id = 0; id < 3000; ++id) {
    if (rng() % 3 == 0) {
      index.remove(id);
      docs.erase(id);
    }
  }
  Bm25Index fresh(Bm25Params{0.9, 0.4});
  for (const auto& [id, t] : docs) fresh.add(id, t);
  EXPECT_EQ(index.doc_count(), fresh.doc_count());
  EXPECT_EQ(index.average_length(), fresh.average_length());
  for (int w = 0; w < 300; ++w) {
    const std::string term = cat("w", w);
    EXPECT_EQ(index.doc_frequency(term), fresh.doc_frequency(term)) << term;
    EXPECT_EQ(index.idf(term), fresh.idf(term)) << term;
  }
  for (int q = 0; q < 100; ++q) {
    Tokens query{zipf(rng), zipf(rng), zipf(rng)};
    expect_same_hits(index.search(query, 20, nullptr), fresh.search(query, 20, nullptr), cat("query ", q));
  }
}

TEST(Bm25Index, ConcurrentReadersSeeTheSameResults) {
  std::mt19937_64 rng(5);
  const Zipf zipf(2000, 1.0);
  Bm25Index index(Bm25Params{});
  for (DocId id = 0; id < 5000; ++id) {
    Tokens t;
    for (int i = 0; i < 20; ++i) t.push_back(zipf(rng));
    index.add(id, t);
  }
  std::vector<Tokens> queries;
  std::vector<std::vector<ScoredId>> expected;
  for (int q = 0; q < 100; ++q) {
    queries.push_back({zipf(rng), zipf(rng), zipf(rng)});
    expected.push_back(index.search(queries.back(), 10, nullptr));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t q = 0; q < queries.size(); ++q) {
          const auto got = index.search(queries[q], 10, nullptr);
          bool same = got.size() == expected[q].size();
          for (std::size_t i = 0; same && i < got.size(); ++i) {
            same = got[i].id == expected[q][i].id && got[i].score == expected[q][i].score;
          }
          if (!same) ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace vesper
