#include "vesper/metadata_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "vesper/error.h"

namespace vesper {
namespace {

std::vector<DocId> ids(const Bitset& b) { return b.to_vector(); }

/// A small corpus: 0..7 with assorted types, 8 without metadata, 9 dead (not in `live`).
class MetadataIndexFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    index.set(0, {{"lang", std::string("ts")}, {"n", std::int64_t{1}}, {"tags", Tags{"red", "blue"}}});
    index.set(1, {{"lang", std::string("js")}, {"n", 1.5}, {"path", std::string("src/a.ts")}});
    index.set(2, {{"lang", std::string("ts")}, {"n", 2.0}, {"draft", true}});
    index.set(3, {{"n", std::int64_t{3}}, {"tags", Tags{"red"}}, {"path", std::string("src/b/c.ts")}});
    index.set(4, {{"n", std::string("2")}, {"draft", false}, {"path", std::string("docs/x.md")}});
    index.set(5, {{"n", true}, {"tags", Tags{}}, {"and", std::int64_t{7}}});
    index.set(6, {{"priority", std::int64_t{3}}, {"lang", std::string("py")}});
    index.set(7, {{"priority", std::string("3")}, {"tags", Tags{"reddish", "green"}}});
    index.set(9, {{"lang", std::string("ts")}, {"n", std::int64_t{2}}});
    live = Bitset(10, true);
    live.reset(9);
  }

  std::vector<DocId> match(const Filter& f) const {
    Bitset out = index.evaluate(f, live);
    EXPECT_EQ(out.size(), live.size());
    return ids(out);
  }
  std::vector<DocId> match(std::string_view text) const { return match(parse_filter(text)); }

  MetadataIndex index;
  Bitset live;
};

using V = std::vector<DocId>;

}  // namespace

TEST(MetadataIndex, SetGetRemoveAndReplace) {
  MetadataIndex index;
  EXPECT_EQ(index.get(0), nullptr);
  index.set(3, {{"b", std::int64_t{1}}, {"a", std::string("x")}});
  ASSERT_NE(index.get(3), nullptr);
  ASSERT_EQ(index.get(3)->size(), 2u);
  EXPECT_EQ(index.get(3)->front().first, "a");  // stored sorted by field name
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.get(2), nullptr);

  const Bitset live(4, true);
  EXPECT_EQ(ids(index.evaluate(Filter::eq("a", "x"), live)), V{3});
  index.set(3, {{"a", std::string("y")}});  // replaces: old terms are gone
  EXPECT_EQ(ids(index.evaluate(Filter::eq("a", "x"), live)), V{});
  EXPECT_EQ(ids(index.evaluate(Filter::eq("a", "y"), live)), V{3});
  EXPECT_EQ(ids(index.evaluate(Filter::exists("b"), live)), V{});
  EXPECT_EQ(ids(index.evaluate(Filter::gte("b", 0), live)), V{});

  index.remove(3);
  index.remove(3);   // idempotent
  index.remove(99);  // unknown id
  EXPECT_EQ(index.get(3), nullptr);
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(ids(index.evaluate(Filter::exists("a"), live)), V{});
  EXPECT_EQ(ids(index.evaluate(Filter::negate(Filter::exists("a")), live)), (V{0, 1, 2, 3}));
}

TEST(MetadataIndex, ValidationNamesTheField) {
  auto err = [](Metadata md) {
    try {
      MetadataIndex::validate(std::move(md));
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.component(), "metadata");
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err({{"", std::int64_t{1}}}), "metadata field name is empty");
  EXPECT_EQ(err({{std::string(257, 'f'), std::int64_t{1}}}),
            "metadata field '" + std::string(64, 'f') + "…': name longer than 256 bytes");
  EXPECT_EQ(err({{std::string(256, 'f'), std::int64_t{1}}}), "");
  EXPECT_EQ(err({{"title", std::string(65537, 'x')}}), "metadata field 'title': string longer than 65536 bytes");
  EXPECT_EQ(err({{"title", std::string(65536, 'x')}}), "");
  EXPECT_EQ(err({{"title", std::string("\xC3")}}), "metadata field 'title': string is not valid UTF-8");
  EXPECT_EQ(err({{"score", std::nan("")}}), "metadata field 'score': number is not finite");
  EXPECT_EQ(err({{"score", -std::numeric_limits<double>::infinity()}}), "metadata field 'score': number is not finite");
  EXPECT_EQ(err({{"tags", Tags(1025, "t")}}), "metadata field 'tags': more than 1024 tags");
  EXPECT_EQ(err({{"tags", Tags(1024, "t")}}), "");
  EXPECT_EQ(err({{"tags", Tags{"ok", std::string(65537, 't')}}}), "metadata field 'tags': tag longer than 65536 bytes");
  EXPECT_EQ(err({{"b", true}, {"a", true}, {"b", false}}), "metadata field 'b': appears more than once");

  // A rejected set() leaves the previous metadata in place.
  MetadataIndex index;
  index.set(0, {{"a", std::int64_t{1}}});
  EXPECT_THROW(index.set(0, {{"a", std::nan("")}}), Error);
  ASSERT_NE(index.get(0), nullptr);
  EXPECT_EQ(ids(index.evaluate(Filter::eq("a", 1), Bitset(1, true))), V{0});
}

TEST_F(MetadataIndexFixture, AlgebraIdentities) {
  const V all_live = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(match(Filter::all()), all_live);               // and([]) = all live (incl. doc 8 without metadata)
  EXPECT_EQ(match("{}"), all_live);
  EXPECT_EQ(match(Filter::none()), V{});                    // or([]) = none
  EXPECT_EQ(match(R"({"or":[]})"), V{});
  EXPECT_EQ(match(Filter::negate(Filter::all())), V{});
  EXPECT_EQ(match(Filter::negate(Filter::none())), all_live);
  // not on a field matches the documents lacking it.
  EXPECT_EQ(match(R"({"lang":{"$ne":"ts"}})"), (V{1, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(match(R"({"missing":{"$ne":1}})"), all_live);
  EXPECT_EQ(match(R"({"missing":{"$nin":[1,"a"]}})"), all_live);
  EXPECT_EQ(match(R"({"draft":{"$exists":false}})"), (V{0, 1, 3, 5, 6, 7, 8}));

  const Filter a = parse_filter(R"({"lang":"ts"})");
  const Filter b = parse_filter(R"({"tags":"red"})");
  // De Morgan in both directions, double negation, and identities with all/none.
  EXPECT_EQ(match(Filter::negate(Filter::all_of({a, b}))),
            match(Filter::any_of({Filter::negate(a), Filter::negate(b)})));
  EXPECT_EQ(match(Filter::negate(Filter::any_of({a, b}))),
            match(Filter::all_of({Filter::negate(a), Filter::negate(b)})));
  EXPECT_EQ(match(Filter::negate(Filter::negate(a))), match(a));
  EXPECT_EQ(match(Filter::all_of({a, Filter::all()})), match(a));
  EXPECT_EQ(match(Filter::all_of({a, Filter::none()})), V{});
  EXPECT_EQ(match(Filter::any_of({a, Filter::none()})), match(a));
  EXPECT_EQ(match(Filter::any_of({a, Filter::all()})), all_live);
  EXPECT_EQ(match(Filter::all_of({a})), match(a));
  EXPECT_EQ(match(a), (V{0, 2}));  // doc 9 matches too but is not live
  EXPECT_EQ(match(b), (V{0, 3}));
}

TEST_F(MetadataIndexFixture, TermsAreTypeAware) {
  EXPECT_EQ(match(Filter::eq("n", 2)), V{2});               // integer 2 = double 2.0, not the string "2"
  EXPECT_EQ(match(Filter::eq("n", 2.0)), V{2});
  EXPECT_EQ(match(Filter::eq("n", "2")), V{4});
  EXPECT_EQ(match(Filter::eq("n", 1.5)), V{1});
  EXPECT_EQ(match(Filter::eq("n", 1)), V{0});
  EXPECT_EQ(match(Filter::eq("n", true)), V{5});            // boolean true is not the number 1
  EXPECT_EQ(match(Filter::eq("draft", false)), V{4});
  EXPECT_EQ(match(Filter::eq("draft", "false")), V{});
  EXPECT_EQ(match(Filter::eq("lang", 1)), V{});             // other type: no match, no error
  EXPECT_EQ(match(R"({"lang":{"$in":["ts","py"]}})"), (V{0, 2, 6}));
  EXPECT_EQ(match(R"({"term":{"field":"and","value":7}})"), V{5});  // a field literally named "and"
}

TEST_F(MetadataIndexFixture, NumericRangesInclusiveAndExclusiveEdges) {
  // Numeric values: 0→1, 1→1.5, 2→2.0, 3→3 (4's "2" and 5's true are not numbers).
  EXPECT_EQ(match(Filter::between("n", 1, 2)), (V{0, 1, 2}));
  EXPECT_EQ(match(Filter::range("n", 1, 2, false, true)), (V{1, 2}));
  EXPECT_EQ(match(Filter::range("n", 1, 2, true, false)), (V{0, 1}));
  EXPECT_EQ(match(Filter::range("n", 1, 2, false, false)), V{1});
  EXPECT_EQ(match(Filter::range("n", 1.5, 1.5)), V{1});
  EXPECT_EQ(match(Filter::range("n", 2.0, 3)), (V{2, 3}));   // double bound meets integer values
  EXPECT_EQ(match(Filter::range("n", std::int64_t{2}, 2.0)), V{2});  // integer bound meets a double value
  EXPECT_EQ(match(Filter::gt("n", 1)), (V{1, 2, 3}));
  EXPECT_EQ(match(Filter::gte("n", 1)), (V{0, 1, 2, 3}));
  EXPECT_EQ(match(Filter::lt("n", 3)), (V{0, 1, 2}));
  EXPECT_EQ(match(Filter::lte("n", 3)), (V{0, 1, 2, 3}));
  EXPECT_EQ(match(Filter::lt("n", 1)), V{});
  EXPECT_EQ(match(Filter::gt("n", 3.0)), V{});
  EXPECT_EQ(match(Filter::gt("n", 2.999)), V{3});
  EXPECT_EQ(match(Filter::lt("n", -1e300)), V{});
  EXPECT_EQ(match(R"({"n":{"$gte":1.5,"$lt":3}})"), (V{1, 2}));
  // Several ranges on one field inside and() are intersected (exclusive wins on equal bounds).
  EXPECT_EQ(match(R"({"and":[{"range":{"field":"n","min":1}},{"range":{"field":"n","min":1,"minInclusive":false}},)"
                  R"({"range":{"field":"n","max":3}},{"lang":"ts"},{"range":{"field":"n","max":2}}]})"),
            V{2});
  EXPECT_EQ(match(R"({"n":{"$gte":2,"$lte":2}})"), V{2});
  EXPECT_EQ(match(R"({"n":{"$gt":2,"$lte":2}})"), V{});
  EXPECT_EQ(match(R"({"n":{"$gt":5,"$lt":3}})"), V{});
  EXPECT_EQ(match(Filter::all_of({Filter::lt("n", 3), Filter::gt("priority", 0), Filter::gt("n", 1)})), V{});
  EXPECT_EQ(match(Filter::all_of({Filter::lt("n", 3), Filter::lte("n", 3.0), Filter::gt("n", 1)})), (V{1, 2}));
  EXPECT_EQ(match(Filter::gte("lang", 0)), V{});           // strings are never in a range
  EXPECT_EQ(match(Filter::gte("missing", 0)), V{});
}

TEST(MetadataIndex, LargeIntegersCompareExactly) {
  const std::int64_t two53 = std::int64_t{1} << 53;
  MetadataIndex index;
  index.set(0, {{"id", two53}});
  index.set(1, {{"id", two53 + 1}});
  index.set(2, {{"id", std::numeric_limits<std::int64_t>::max()}});
  index.set(3, {{"id", 1e19}});
  const Bitset live(4, true);
  EXPECT_EQ(ids(index.evaluate(Filter::eq("id", two53 + 1), live)), V{1});
  EXPECT_EQ(ids(index.evaluate(Filter::eq("id", static_cast<double>(two53)), live)), V{0});
  EXPECT_EQ(ids(index.evaluate(Filter::gte("id", two53 + 1), live)), (V{1, 2, 3}));
  EXPECT_EQ(ids(index.evaluate(Filter::gt("id", static_cast<double>(two53)), live)), (V{1, 2, 3}));
  EXPECT_EQ(ids(index.evaluate(Filter::gt("id", 9223372036854775807.0), live)), V{3});  // that double is 2^63
  EXPECT_EQ(ids(index.evaluate(parse_filter(R"({"id":9007199254740993})"), live)), V{1});
}

TEST_F(MetadataIndexFixture, TagsPrefixAndExists) {
  EXPECT_EQ(match(R"({"tags":"red"})"), (V{0, 3}));          // equality on tags = contains
  EXPECT_EQ(match(R"({"tags":{"$in":["blue","green"]}})"), (V{0, 7}));
  EXPECT_EQ(match(R"({"tags":{"$prefix":"red"}})"), (V{0, 3, 7}));
  EXPECT_EQ(match(R"({"tags":{"$exists":true}})"), (V{0, 3, 5, 7}));  // empty tags still exist
  EXPECT_EQ(match(R"({"path":{"$prefix":"src/"}})"), (V{1, 3}));
  EXPECT_EQ(match(R"({"path":{"$prefix":"src/b"}})"), V{3});
  EXPECT_EQ(match(R"({"path":{"$prefix":""}})"), (V{1, 3, 4}));
  EXPECT_EQ(match(R"({"path":{"$prefix":"src/a.ts!"}})"), V{});
  EXPECT_EQ(match(R"({"n":{"$prefix":""}})"), V{4});           // only the string value; numbers never
  EXPECT_EQ(match(R"({"priority":{"$prefix":"3"}})"), V{7});
  EXPECT_EQ(match(R"({"exists":{"field":"draft"}})"), (V{2, 4}));
  EXPECT_EQ(match(R"({"exists":{"field":"nope"}})"), V{});
}

TEST_F(MetadataIndexFixture, KeyValueShorthandIsLenient) {
  EXPECT_EQ(match("priority=3"), (V{6, 7}));   // the integer 3 and the string "3"
  EXPECT_EQ(match("draft=true"), V{2});
  EXPECT_EQ(match("draft=false"), V{4});
  EXPECT_EQ(match("n=2"), (V{2, 4}));          // 2.0 and "2"
  EXPECT_EQ(match("n=1.5"), V{1});
  EXPECT_EQ(match("lang=ts,tags=red"), V{0});
  EXPECT_EQ(match("lang=ts, n=2"), V{2});
}

TEST_F(MetadataIndexFixture, ResultIsSubsetOfLiveAndSizedLikeIt) {
  Bitset small(3, true);  // ids ≥ 3 are outside the mask and must never appear
  Bitset out = index.evaluate(Filter::eq("lang", "ts"), small);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(ids(out), (V{0, 2}));
  out = index.evaluate(Filter::negate(Filter::eq("lang", "ts")), small);
  EXPECT_EQ(ids(out), V{1});
  Bitset big(1000, true);
  EXPECT_EQ(index.evaluate(Filter::negate(Filter::exists("lang")), big).count(), 1000u - 5u);
  EXPECT_EQ(index.evaluate(Filter::all(), Bitset()).size(), 0u);
}

TEST_F(MetadataIndexFixture, InvalidProgrammaticFilterIsAnError) {
  try {
    index.evaluate(Filter::all_of({Filter::eq("", 1)}), live);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.component(), "filter");
    EXPECT_STREQ(e.what(), "$.and[0].term.field: empty field name");
  }
}

TEST(MetadataIndex, MemoryGrowsAndShrinks) {
  MetadataIndex index;
  const std::size_t empty = index.memory_bytes();
  for (DocId i = 0; i < 200; ++i) {
    index.set(i, {{"title", std::string(100, 'a' + static_cast<char>(i % 26))}, {"n", std::int64_t{i}}});
  }
  const std::size_t full = index.memory_bytes();
  EXPECT_GT(full, empty + 200 * 100);
  for (DocId i = 0; i < 200; ++i) index.remove(i);
  EXPECT_LT(index.memory_bytes(), full / 2);
}

TEST(MetadataIndex, JsonConversion) {
  const Metadata md = metadata_from_json(parse_json(R"({"z":[ "a","b"],"n":3,"x":2.5,"ok":true,"s":"é"})"));
  ASSERT_EQ(md.size(), 5u);
  EXPECT_EQ(md[0].first, "n");  // sorted
  EXPECT_EQ(std::get<std::int64_t>(md[0].second), 3);
  EXPECT_EQ(to_json(metadata_to_json(md)), R"({"n":3,"ok":true,"s":"é","x":2.5,"z":["a","b"]})");
  EXPECT_THROW(metadata_from_json(parse_json(R"({"a":null})")), Error);
  EXPECT_THROW(metadata_from_json(parse_json(R"({"a":[1]})")), Error);
  EXPECT_THROW(metadata_from_json(parse_json(R"({"a":1,"a":2})")), Error);
  EXPECT_THROW(metadata_from_json(parse_json(R"({"a":1e999})")), Error);
  EXPECT_THROW(metadata_from_json(parse_json("[]")), Error);
}

TEST_F(MetadataIndexFixture, ConcurrentReadersAgree) {
  const Filter f = parse_filter(R"({"or":[{"lang":"ts"},{"n":{"$gt":1}},{"tags":{"$prefix":"re"}}]})");
  const V expected = match(f);
  std::vector<std::thread> readers;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) ok[static_cast<std::size_t>(t)] += ids(index.evaluate(f, live)) == expected;
    });
  }
  for (std::thread& r : readers) r.join();
  for (int n : ok) EXPECT_EQ(n, 200);
}

// ─── Randomised comparison against a brute-force evaluator ─────────────────────────────────────────

namespace {

const MetaValue* find_field(const Metadata& md, const std::string& name) {
  for (const auto& [k, v] : md) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::optional<double> numeric(const MetaValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::nullopt;
}

double as_double(const Number& n) {
  return std::visit([](auto x) { return static_cast<double>(x); }, n);
}

/// The filter semantics written directly over one document (values are small, so doubles are exact).
bool brute_match(const Filter& f, const Metadata& md) {
  const MetaValue* v = f.field.empty() ? nullptr : find_field(md, f.field);
  switch (f.kind) {
    case Filter::Kind::kAll: return true;
    case Filter::Kind::kNone: return false;
    case Filter::Kind::kExists: return v != nullptr;
    case Filter::Kind::kTerm: {
      if (v == nullptr) return false;
      if (const auto* s = std::get_if<std::string>(&f.value)) {
        if (const auto* vs = std::get_if<std::string>(v)) return *vs == *s;
        if (const auto* tags = std::get_if<Tags>(v)) return std::find(tags->begin(), tags->end(), *s) != tags->end();
        return false;
      }
      if (const auto* b = std::get_if<bool>(&f.value)) {
        const auto* vb = std::get_if<bool>(v);
        return vb != nullptr && *vb == *b;
      }
      const double want = std::holds_alternative<double>(f.value) ? std::get<double>(f.value)
                                                                  : static_cast<double>(std::get<std::int64_t>(f.value));
      const auto have = numeric(*v);
      return have && *have == want;
    }
    case Filter::Kind::kRange: {
      if (v == nullptr) return false;
      const auto x = numeric(*v);
      if (!x) return false;
      if (f.min && (f.min_inclusive ? *x < as_double(*f.min) : *x <= as_double(*f.min))) return false;
      if (f.max && (f.max_inclusive ? *x > as_double(*f.max) : *x >= as_double(*f.max))) return false;
      return true;
    }
    case Filter::Kind::kPrefix: {
      if (v == nullptr) return false;
      const std::string& p = std::get<std::string>(f.value);
      if (const auto* vs = std::get_if<std::string>(v)) return vs->starts_with(p);
      if (const auto* tags = std::get_if<Tags>(v)) {
        return std::any_of(tags->begin(), tags->end(), [&](const std::string& t) { return t.starts_with(p); });
      }
      return false;
    }
    case Filter::Kind::kAnd:
      return std::all_of(f.children.begin(), f.children.end(), [&](const Filter& c) { return brute_match(c, md); });
    case Filter::Kind::kOr:
      return std::any_of(f.children.begin(), f.children.end(), [&](const Filter& c) { return brute_match(c, md); });
    case Filter::Kind::kNot: return !brute_match(f.children.front(), md);
  }
  return false;
}

struct RandomCorpus {
  std::mt19937 rng;
  const std::vector<std::string> fields = {"a", "b", "tags", "and", "x y"};
  const std::vector<std::string> strings = {"x", "xy", "xyz", "y", "", "1", "true", "é"};
  const std::vector<std::string> prefixes = {"", "x", "xy", "xyz", "xyzz", "y", "1", "t", "é"};

  explicit RandomCorpus(unsigned seed) : rng(seed) {}

  std::size_t pick(std::size_t n) { return rng() % n; }

  TermValue random_scalar() {
    switch (pick(4)) {
      case 0: return strings[pick(strings.size())];
      case 1: return static_cast<std::int64_t>(pick(7)) - 3;
      case 2: return static_cast<double>(static_cast<int>(pick(13)) - 6) / 2.0;  // -3.0 … 3.0 in halves
      default: return pick(2) == 0;
    }
  }

  Number random_number() {
    if (pick(2) == 0) return static_cast<std::int64_t>(pick(7)) - 3;
    return static_cast<double>(static_cast<int>(pick(13)) - 6) / 2.0;
  }

  Metadata random_doc() {
    Metadata md;
    for (const std::string& name : fields) {
      if (pick(10) < 3) continue;
      if (pick(5) == 0) {
        Tags tags;
        const std::size_t n = pick(4);
        for (std::size_t i = 0; i < n; ++i) tags.push_back(strings[pick(strings.size())]);
        md.emplace_back(name, std::move(tags));
      } else {
        md.emplace_back(name, std::visit([](auto x) { return MetaValue(x); }, random_scalar()));
      }
    }
    return md;
  }

  Filter random_filter(int depth) {
    const std::string field = fields[pick(fields.size())];
    const std::size_t kinds = depth > 0 ? 10 : 6;
    switch (pick(kinds)) {
      case 0: return Filter::term(field, random_scalar());
      case 1: {
        std::optional<Number> lo, hi;
        const std::size_t which = pick(3);
        if (which != 1) lo = random_number();
        if (which != 0) hi = random_number();
        return Filter::range(field, lo, hi, pick(2) == 0, pick(2) == 0);
      }
      case 2: return Filter::prefix(field, prefixes[pick(prefixes.size())]);
      case 3: return Filter::exists(field);
      case 4: return pick(2) == 0 ? Filter::all() : Filter::none();
      case 5: return Filter::term(field, random_scalar());
      case 6:
      case 7: {
        std::vector<Filter> children;
        const std::size_t n = pick(4);
        for (std::size_t i = 0; i < n; ++i) children.push_back(random_filter(depth - 1));
        return pick(2) == 0 ? Filter::all_of(std::move(children)) : Filter::any_of(std::move(children));
      }
      default: return Filter::negate(random_filter(depth - 1));
    }
  }
};

}  // namespace

TEST(MetadataIndex, RandomisedAgainstBruteForce) {
  RandomCorpus gen(12345);
  constexpr DocId kDocs = 300;
  MetadataIndex index;
  std::vector<std::optional<Metadata>> truth(kDocs);
  Bitset live(kDocs);
  std::size_t matched_total = 0, checked = 0;
  for (int round = 0; round < 25; ++round) {
    // Mutate: insert, replace, remove, and flip liveness, so the index sees every kind of update.
    for (int m = 0; m < 120; ++m) {
      const DocId id = static_cast<DocId>(gen.pick(kDocs));
      if (gen.pick(5) == 0) {
        index.remove(id);
        truth[id].reset();
      } else {
        Metadata md = gen.random_doc();
        index.set(id, md);
        truth[id] = MetadataIndex::validate(md);
      }
      if (gen.pick(4) == 0) {
        live.reset(id);
      } else {
        live.set(id);
      }
    }
    for (int q = 0; q < 150; ++q) {
      const Filter f = gen.random_filter(3);
      const Bitset got = index.evaluate(f, live);
      ASSERT_EQ(got.size(), live.size());
      // Exercise the parser too: the canonical text must evaluate identically. (The parser rejects
      // inverted or empty ranges, which code may build and which then simply match nothing.)
      std::optional<Bitset> got2;
      try {
        got2 = index.evaluate(parse_filter_json(describe(f)), live);
      } catch (const Error& e) {
        ASSERT_NE(std::string(e.what()).find("range"), std::string::npos) << e.what();
      }
      for (DocId id = 0; id < kDocs; ++id) {
        const bool want = live.test(id) && brute_match(f, truth[id] ? *truth[id] : Metadata{});
        ASSERT_EQ(got.test(id), want) << "doc " << id << " filter " << describe(f);
        if (got2) {
          ASSERT_EQ(got2->test(id), want) << "doc " << id << " filter " << describe(f);
        }
      }
      matched_total += got.count();
      ++checked;
    }
  }
  // The generator must produce both selective and broad filters, not trivially empty results.
  EXPECT_GT(matched_total, checked * 10);
  EXPECT_LT(matched_total, checked * kDocs * 3 / 4);
}

}  // namespace vesper
