#include "vesper/filter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "vesper/error.h"

namespace vesper {
namespace {

std::string canon(std::string_view json) { return describe(parse_filter_json(json)); }

/// The message of the Error `fn` throws (checking code and component), or "" when it succeeds.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_EQ(e.component(), "filter") << e.what();
    return e.what();
  }
  return "";
}

std::string json_error(std::string_view json) {
  return error_of([&] { parse_filter_json(json); });
}
std::string kv_error(std::string_view kv) {
  return error_of([&] { parse_filter_kv(kv); });
}

}  // namespace

TEST(Filter, CanonicalFormsDescribeThemselves) {
  for (const char* c : {
           R"({"term":{"field":"lang","value":"ts"}})",
           R"({"term":{"field":"n","value":3}})",
           R"({"term":{"field":"n","value":-2.5}})",
           R"({"term":{"field":"draft","value":false}})",
           R"({"range":{"field":"n","min":1,"max":5.5,"minInclusive":true,"maxInclusive":false}})",
           R"({"range":{"field":"n","min":1,"minInclusive":false}})",
           R"({"range":{"field":"n","max":1e+100,"maxInclusive":true}})",
           R"({"prefix":{"field":"path","value":"src/"}})",
           R"({"exists":{"field":"owner"}})",
           R"({"and":[]})",
           R"({"or":[]})",
           R"({"not":{"exists":{"field":"x"}}})",
           R"({"and":[{"or":[{"term":{"field":"a","value":1}},{"not":{"or":[]}}]},{"and":[]}]})",
           R"({"term":{"field":"weird \"name\"\n","value":"\u00e9\ud83d\ude00"}})",
           R"({"term":{"field":"big","value":9007199254740993}})",
       }) {
    const Filter f = parse_filter_json(c);
    EXPECT_EQ(describe(f), to_json(parse_json(c))) << c;
  }
}

TEST(Filter, EveryFormMatchesItsCanonicalEquivalent) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {R"({})", R"({"and":[]})"},
      {R"({"lang":"ts"})", R"({"term":{"field":"lang","value":"ts"}})"},
      {R"({"n":3})", R"({"term":{"field":"n","value":3}})"},
      {R"({"draft":true})", R"({"term":{"field":"draft","value":true}})"},
      {R"({"lang":"ts","n":3})",
       R"({"and":[{"term":{"field":"lang","value":"ts"}},{"term":{"field":"n","value":3}}]})"},
      {R"({"lang":{"$eq":"ts"}})", R"({"term":{"field":"lang","value":"ts"}})"},
      {R"({"lang":{"$ne":"ts"}})", R"({"not":{"term":{"field":"lang","value":"ts"}}})"},
      {R"({"lang":{"$in":["ts","js"]}})",
       R"({"or":[{"term":{"field":"lang","value":"ts"}},{"term":{"field":"lang","value":"js"}}]})"},
      {R"({"lang":{"$in":[]}})", R"({"or":[]})"},
      {R"({"lang":{"$nin":["ts",1]}})",
       R"({"not":{"or":[{"term":{"field":"lang","value":"ts"}},{"term":{"field":"lang","value":1}}]}})"},
      {R"({"n":{"$lt":5}})", R"({"range":{"field":"n","max":5,"maxInclusive":false}})"},
      {R"({"n":{"$lte":5}})", R"({"range":{"field":"n","max":5}})"},
      {R"({"n":{"$gt":5}})", R"({"range":{"field":"n","min":5,"minInclusive":false}})"},
      {R"({"n":{"$gte":5.5}})", R"({"range":{"field":"n","min":5.5}})"},
      {R"({"n":{"$gte":1,"$lt":5}})",
       R"({"and":[{"range":{"field":"n","min":1}},{"range":{"field":"n","max":5,"maxInclusive":false}}]})"},
      {R"({"path":{"$prefix":"src/"}})", R"({"prefix":{"field":"path","value":"src/"}})"},
      {R"({"owner":{"$exists":true}})", R"({"exists":{"field":"owner"}})"},
      {R"({"owner":{"$exists":false}})", R"({"not":{"exists":{"field":"owner"}}})"},
      {R"({"range":{"maxInclusive":true,"max":2,"field":"n"}})", R"({"range":{"field":"n","max":2}})"},
      {R"({"term":{"value":"ts","field":"lang"}})", R"({"term":{"field":"lang","value":"ts"}})"},
      {R"({"n":3.0})", R"({"term":{"field":"n","value":3.0}})"},
      {R"({"and":[{"a":1},{"b":{"$ne":2}}]})",
       R"({"and":[{"term":{"field":"a","value":1}},{"not":{"term":{"field":"b","value":2}}}]})"},
      {R"({"x.y":1})", R"({"term":{"field":"x.y","value":1}})"},
  };
  for (const auto& [form, canonical] : cases) EXPECT_EQ(canon(form), canon(canonical)) << form;
}

TEST(Filter, SugarConstructorsLowerToCoreKinds) {
  EXPECT_EQ(describe(Filter::eq("lang", "ts")), canon(R"({"lang":"ts"})"));
  EXPECT_EQ(describe(Filter::ne("n", 3)), canon(R"({"n":{"$ne":3}})"));
  EXPECT_EQ(describe(Filter::in("n", {1, 2.5, true})), canon(R"({"n":{"$in":[1,2.5,true]}})"));
  EXPECT_EQ(describe(Filter::nin("n", {"a"})), canon(R"({"n":{"$nin":["a"]}})"));
  EXPECT_EQ(describe(Filter::lt("n", 1)), canon(R"({"n":{"$lt":1}})"));
  EXPECT_EQ(describe(Filter::lte("n", 1)), canon(R"({"n":{"$lte":1}})"));
  EXPECT_EQ(describe(Filter::gt("n", 1.5)), canon(R"({"n":{"$gt":1.5}})"));
  EXPECT_EQ(describe(Filter::gte("n", 1)), canon(R"({"n":{"$gte":1}})"));
  EXPECT_EQ(describe(Filter::between("n", 1, 2)), R"({"range":{"field":"n","min":1,"max":2,"minInclusive":true,"maxInclusive":true}})");
  EXPECT_EQ(describe(Filter::prefix("p", "x")), R"({"prefix":{"field":"p","value":"x"}})");
  EXPECT_EQ(describe(Filter::all()), R"({"and":[]})");
  EXPECT_EQ(describe(Filter::none()), R"({"or":[]})");
}

TEST(Filter, ReservedWordsAreAlwaysCanonicalOperators) {
  // {"and": …} is always the operator, so a field named "and" is matched through the term form.
  const Filter empty_and = parse_filter_json(R"({"and":[]})");
  EXPECT_EQ(empty_and.kind, Filter::Kind::kAnd);
  EXPECT_TRUE(empty_and.children.empty());
  EXPECT_EQ(describe(empty_and), describe(Filter::all()));
  EXPECT_EQ(json_error(R"({"and":"x"})"), "$.and: expected array, got string");
  EXPECT_EQ(json_error(R"({"not":true})"), "$.not: expected object, got boolean");
  EXPECT_EQ(json_error(R"({"term":"x"})"), "$.term: expected object, got string");
  const Filter f = parse_filter_json(R"({"term":{"field":"and","value":1}})");
  EXPECT_EQ(f.kind, Filter::Kind::kTerm);
  EXPECT_EQ(f.field, "and");
  // Mixing an operator with other keys is ambiguous, hence an error that says what to do.
  EXPECT_EQ(json_error(R"({"and":[],"x":1})"),
            R"($.and: canonical operator "and" must be the only key of its object (to match a field named "and" use {"term":{"field":"and","value":…}}))");
  EXPECT_EQ(json_error(R"({"x":1,"range":2})"),
            R"($.range: canonical operator "range" must be the only key of its object (to match a field named "range" use {"term":{"field":"range","value":…}}))");
  // Operators never act as field names in the short form either.
  EXPECT_EQ(json_error(R"({"$eq":1})"), R"($.$eq: operator outside a field (expected {"<field>":{"$eq":…}}))");
  // Near-misses of reserved words are ordinary fields.
  EXPECT_EQ(canon(R"({"AND":1})"), R"({"term":{"field":"AND","value":1}})");
  EXPECT_EQ(canon(R"({"terms":"x"})"), R"({"term":{"field":"terms","value":"x"}})");
}

TEST(Filter, ErrorsNameTheOffendingNode) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "$: expected object, got array"},
      {"\"a=1\"", "$: expected object, got string"},
      {R"({"and":[{"a":1},{"b":2},{"range":{"field":"x","min":"3"}}]})", "$.and[2].range.min: expected number, got string"},
      {R"({"lang":{"$in":"ts"}})", "$.lang.$in: expected array, got string"},
      {R"({"x":{"$foo":1}})",
       "$.x.$foo: unknown operator (expected one of $eq, $ne, $in, $nin, $lt, $lte, $gt, $gte, $prefix, $exists)"},
      {R"({"x":{"eq":1}})",
       "$.x.eq: unknown operator (expected one of $eq, $ne, $in, $nin, $lt, $lte, $gt, $gte, $prefix, $exists)"},
      {R"({"x":{}})", "$.x: expected at least one operator ($eq, $ne, $in, $nin, $lt, $lte, $gt, $gte, $prefix, $exists)"},
      {R"({"term":{"field":"a","value":1,"extra":2}})", "$.term.extra: unknown key (expected one of field, value)"},
      {R"({"range":{"field":"a","min":1,"inclusive":true}})",
       "$.range.inclusive: unknown key (expected one of field, min, max, minInclusive, maxInclusive)"},
      {R"({"term":{"field":"a"}})", R"($.term: missing key "value")"},
      {R"({"term":{"value":1}})", R"($.term: missing key "field")"},
      {R"({"exists":{}})", R"($.exists: missing key "field")"},
      {R"({"exists":{"field":"x","value":1}})", "$.exists.value: unknown key (expected one of field)"},
      {R"({"term":{"field":"","value":1}})", "$.term.field: empty field name"},
      {R"({"term":{"field":7,"value":1}})", "$.term.field: expected string, got number"},
      {R"({"term":{"field":"a","value":[1]}})", "$.term.value: expected string, number or boolean, got array"},
      {R"({"term":{"field":"a","value":null}})", "$.term.value: expected string, number or boolean, got null"},
      {R"({"":1})", R"($[""]: empty field name)"},
      {R"({"x":1e999})", "$.x: expected a finite number"},
      {R"({"x":{"$gte":-1e999}})", "$.x.$gte: expected a finite number"},
      {R"({"range":{"field":"x","min":-1e999}})", "$.range.min: expected a finite number"},
      {R"({"x":null})", "$.x: expected string, number, boolean or operator object, got null"},
      {R"({"x":[1,2]})", "$.x: expected string, number, boolean or operator object, got array"},
      {R"({"x":{"$in":[1,null]}})", "$.x.$in[1]: expected string, number or boolean, got null"},
      {R"({"x":{"$nin":{}}})", "$.x.$nin: expected array, got object"},
      {R"({"x":{"$gt":"5"}})", "$.x.$gt: expected number, got string"},
      {R"({"x":{"$lt":true}})", "$.x.$lt: expected number, got boolean"},
      {R"({"x":{"$prefix":5}})", "$.x.$prefix: expected string, got number"},
      {R"({"x":{"$exists":1}})", "$.x.$exists: expected boolean, got number"},
      {R"({"x":{"$eq":{"$eq":1}}})", "$.x.$eq: expected string, number or boolean, got object"},
      {R"({"x":{"$eq":1,"$eq":2}})", "$.x.$eq: duplicate key"},
      {R"({"a":1,"a":2})", "$.a: duplicate key"},
      {R"({"term":{"field":"a","field":"b","value":1}})", "$.term.field: duplicate key"},
      {R"({"and":{}})", "$.and: expected array, got object"},
      {R"({"or":[1]})", "$.or[0]: expected object, got number"},
      {R"({"not":[]})", "$.not: expected object, got array"},
      {R"({"range":[]})", "$.range: expected object, got array"},
      {R"({"range":{"field":"x"}})", R"($.range: expected at least one of "min", "max")"},
      {R"({"range":{"field":"x","min":5,"max":3}})", "$.range: min is greater than max"},
      {R"({"range":{"field":"x","min":5,"max":5,"maxInclusive":false}})",
       "$.range: empty range (min equals max, a bound is exclusive)"},
      {R"({"range":{"field":"x","max":5,"minInclusive":false}})", R"($.range.minInclusive: given without "min")"},
      {R"({"range":{"field":"x","min":5,"maxInclusive":false}})", R"($.range.maxInclusive: given without "max")"},
      {R"({"range":{"field":"x","min":1,"minInclusive":"yes"}})", "$.range.minInclusive: expected boolean, got string"},
      {R"({"range":{"field":"x","min":null}})", "$.range.min: expected number, got null"},
      {R"({"range":{"field":"x","max":"9"}})", "$.range.max: expected number, got string"},
      {R"({"prefix":{"field":"x","value":1}})", "$.prefix.value: expected string, got number"},
      {R"({"my field":{"$gt":true}})", R"($["my field"].$gt: expected number, got boolean)"},
      {R"({"and":[{"or":[{"not":{"x":{"$in":[1,{}]}}}]}]})",
       "$.and[0].or[0].not.x.$in[1]: expected string, number or boolean, got object"},
      {R"({"a":1)", "json at offset 6: expected ',' or '}', got end of input"},
      {"", "json at offset 0: expected a JSON value, got end of input"},
  };
  for (const auto& [input, message] : cases) EXPECT_EQ(json_error(input), message) << input;
  // Field names are bounded like metadata names: a longer one could never match anything.
  const std::string long_name(257, 'f');
  EXPECT_EQ(json_error("{\"" + long_name + "\":1}"), "$." + long_name + ": field name longer than 256 bytes");
  EXPECT_EQ(json_error(R"({"term":{"field":")" + long_name + R"(","value":1}})"),
            "$.term.field: field name longer than 256 bytes");
  EXPECT_EQ(json_error(R"({"x":")" + std::string(kMaxStringValueBytes + 1, 'v') + "\"}"),
            "$.x: string longer than 65536 bytes");
}

TEST(Filter, KeyValueShorthand) {
  EXPECT_EQ(describe(parse_filter_kv("type=text,lang=ts")),
            canon(R"({"and":[{"term":{"field":"type","value":"text"}},{"term":{"field":"lang","value":"ts"}}]})"));
  EXPECT_EQ(describe(parse_filter_kv("lang=ts")), canon(R"({"term":{"field":"lang","value":"ts"}})"));
  EXPECT_EQ(describe(parse_filter_kv("  type = text ,\tlang=ts ")), describe(parse_filter_kv("type=text,lang=ts")));
  // Numbers and booleans also match their typed reading (and the plain string).
  EXPECT_EQ(describe(parse_filter_kv("priority=3")),
            R"({"or":[{"term":{"field":"priority","value":"3"}},{"term":{"field":"priority","value":3}}]})");
  EXPECT_EQ(describe(parse_filter_kv("score=-2.5")),
            R"({"or":[{"term":{"field":"score","value":"-2.5"}},{"term":{"field":"score","value":-2.5}}]})");
  EXPECT_EQ(describe(parse_filter_kv("draft=true")),
            R"({"or":[{"term":{"field":"draft","value":"true"}},{"term":{"field":"draft","value":true}}]})");
  EXPECT_EQ(describe(parse_filter_kv("n=1e3")),
            R"({"or":[{"term":{"field":"n","value":"1e3"}},{"term":{"field":"n","value":1000}}]})");
  // Not JSON numbers: strings only.
  for (const char* s : {"v=03", "v=+3", "v=1.", "v=True", "v=1e999", "v=0x10", "v=NaN", "v=-"}) {
    const Filter f = parse_filter_kv(s);
    EXPECT_EQ(f.kind, Filter::Kind::kTerm) << s;
    EXPECT_TRUE(std::holds_alternative<std::string>(f.value)) << s;
  }
  // Escapes and '=' inside values.
  const Filter esc = parse_filter_kv(R"(a\,b=c\=d\\e,url=x=y, sp=\ padded\ )");
  ASSERT_EQ(esc.kind, Filter::Kind::kAnd);
  ASSERT_EQ(esc.children.size(), 3u);
  EXPECT_EQ(esc.children[0].field, "a,b");
  EXPECT_EQ(std::get<std::string>(esc.children[0].value), "c=d\\e");
  EXPECT_EQ(std::get<std::string>(esc.children[1].value), "x=y");
  EXPECT_EQ(std::get<std::string>(esc.children[2].value), " padded ");
  EXPECT_EQ(describe(parse_filter_kv(R"(k\=ey=v)")), R"({"term":{"field":"k=ey","value":"v"}})");
  // Empty input means no constraint.
  EXPECT_EQ(parse_filter_kv("").kind, Filter::Kind::kAll);
  EXPECT_EQ(parse_filter_kv("  ").kind, Filter::Kind::kAll);
}

TEST(Filter, KeyValueErrorsNameThePair) {
  EXPECT_EQ(kv_error("type=text,lang"), "filter kv at pair 2 ('lang'): expected key=value");
  EXPECT_EQ(kv_error("a=1,,b=2"), "filter kv at pair 2 (''): expected key=value");
  EXPECT_EQ(kv_error("a=1,"), "filter kv at pair 2 (''): expected key=value");
  EXPECT_EQ(kv_error("=ts"), "filter kv at pair 1 ('=ts'): expected a field name before '='");
  EXPECT_EQ(kv_error("a=1, lang= "), "filter kv at pair 2 (' lang= '): expected a value after '='");
  EXPECT_EQ(kv_error(R"(a=1,b\q=2)"), R"(filter kv at pair 2 ('b\q=2'): unknown escape (use \, \= \\ or '\ '))");
  EXPECT_EQ(kv_error("a=1\\"), R"(filter kv at pair 1 ('a=1\'): unknown escape (use \, \= \\ or '\ '))");
  EXPECT_EQ(kv_error(std::string(257, 'k') + "=v"),
            "filter kv at pair 1 ('" + std::string(60, 'k') + "…'): field name longer than 256 bytes");
  EXPECT_EQ(kv_error("a=\xFF"), "filter kv: not valid UTF-8");
}

TEST(Filter, ParseFilterDispatches) {
  EXPECT_EQ(parse_filter("").kind, Filter::Kind::kAll);
  EXPECT_EQ(parse_filter(" \n\t").kind, Filter::Kind::kAll);
  EXPECT_EQ(describe(parse_filter(R"(  {"lang":"ts"})")), canon(R"({"lang":"ts"})"));
  EXPECT_EQ(describe(parse_filter("lang=ts")), canon(R"({"lang":"ts"})"));
  EXPECT_EQ(error_of([] { parse_filter("[1]"); }), "$: expected object, got array");
  EXPECT_EQ(error_of([] { parse_filter("{bad"); }), "json at offset 1: expected a string key, got 'b'");
  EXPECT_EQ(error_of([] { parse_filter("lang"); }), "filter kv at pair 1 ('lang'): expected key=value");
}

TEST(Filter, ValidateRejectsMalformedProgrammaticFilters) {
  auto verr = [](const Filter& f) { return error_of([&] { validate_filter(f); }); };
  EXPECT_EQ(verr(Filter::all_of({Filter::eq("a", 1), Filter::eq("", 1)})), "$.and[1].term.field: empty field name");
  EXPECT_EQ(verr(Filter::gt("x", std::nan(""))), "$.range.min: expected a finite number");
  EXPECT_EQ(verr(Filter::eq("x", std::numeric_limits<double>::infinity())), "$.term.value: expected a finite number");
  EXPECT_EQ(verr(Filter::range("x", std::nullopt, std::nullopt)), R"($.range: expected at least one of "min", "max")");
  Filter bad_prefix = Filter::prefix("x", "a");
  bad_prefix.value = std::int64_t{1};
  EXPECT_EQ(verr(bad_prefix), "$.prefix.value: expected string");
  Filter bad_not = Filter::negate(Filter::all());
  bad_not.children.clear();
  EXPECT_EQ(verr(Filter::any_of({bad_not})), "$.or[0].not: expected exactly one child, got 0");
  EXPECT_EQ(verr(Filter::exists(std::string(300, 'x'))), "$.exists.field: field name longer than 256 bytes");
  Filter deep = Filter::eq("x", 1);
  for (std::size_t i = 0; i < kMaxFilterDepth + 1; ++i) deep = Filter::negate(std::move(deep));
  EXPECT_NE(verr(deep), "");
  EXPECT_EQ(verr(Filter::between("x", 1, 2)), "");
}

TEST(Filter, CompareNumbersIsExactAcrossIntAndDouble) {
  const std::int64_t two53 = std::int64_t{1} << 53;
  EXPECT_EQ(compare_numbers(two53 + 1, static_cast<double>(two53)), 1);  // the double is exactly 2^53
  EXPECT_EQ(compare_numbers(static_cast<double>(two53), two53), 0);
  EXPECT_EQ(compare_numbers(std::int64_t{3}, 3.0), 0);
  EXPECT_EQ(compare_numbers(std::int64_t{3}, 3.5), -1);
  EXPECT_EQ(compare_numbers(-2.5, std::int64_t{-2}), -1);
  EXPECT_EQ(compare_numbers(std::int64_t{-3}, -2.5), -1);
  EXPECT_EQ(compare_numbers(std::numeric_limits<std::int64_t>::max(), 9223372036854775808.0), -1);
  EXPECT_EQ(compare_numbers(std::numeric_limits<std::int64_t>::min(), -9223372036854775808.0), 0);
  EXPECT_EQ(compare_numbers(std::numeric_limits<std::int64_t>::min(), -1e19), 1);
  EXPECT_EQ(compare_numbers(1e300, std::numeric_limits<std::int64_t>::max()), 1);
  EXPECT_EQ(compare_numbers(0.0, -0.0), 0);
}

// Random and mutated filter texts (JSON and key=value) never crash or hang: each one either parses to
// a valid filter whose canonical form is a fixed point, or fails with a clean "filter" error.
TEST(Filter, FuzzNeverCrashes) {
  const std::vector<std::string> seeds = {
      R"({"and":[{"term":{"field":"a","value":"x"}},{"range":{"field":"n","min":1,"max":5,"maxInclusive":false}}]})",
      R"({"or":[{"not":{"exists":{"field":"b"}}},{"prefix":{"field":"p","value":"src/"}}]})",
      R"({"lang":{"$in":["ts","js"],"$ne":"py"},"n":{"$gte":1.5,"$lt":9},"t":true})",
      R"({"x":{"$exists":false},"y":{"$nin":[1,2,"3"]},"z":{"$prefix":"ab"}})",
      R"({})",
      "type=text,lang=ts,priority=3,draft=true",
      R"(a\,b=c\=d, e = f )",
  };
  const std::string alphabet = "{}[]:,\"\\=-.0123456789e$abnotrgsxqfiel \xC3\xA9\xFF";
  const std::vector<std::string> words = {"\"and\"", "\"or\"", "\"not\"", "\"term\"", "\"range\"", "\"$in\"",
                                          "\"$gt\"", "\"field\"", "\"value\"", "\"min\"", "[]", "{}", "1e999",
                                          "null", "true", "\"\"", "-0", "\"$exists\"", "\\,", "="};
  std::mt19937 rng(7);
  int ok = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
      switch (rng() % 4) {
        case 0:
          if (!s.empty()) s.erase(std::min(pos, s.size() - 1), 1 + rng() % 4);
          break;
        case 1: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
        case 2: s.insert(pos, words[rng() % words.size()]); break;
        default:
          if (!s.empty()) s[std::min(pos, s.size() - 1)] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    try {
      const Filter f = parse_filter(s);
      ++ok;
      validate_filter(f);
      const std::string d = describe(f);
      ASSERT_EQ(describe(parse_filter_json(d)), d) << s;
    } catch (const Error& e) {
      ASSERT_EQ(e.code(), ErrorCode::kInvalidArgument) << s;
      ASSERT_EQ(e.component(), "filter") << s << " → " << e.what();
    }
  }
  EXPECT_GT(ok, 1000);
}

}  // namespace vesper
