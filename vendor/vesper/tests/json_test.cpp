#include "vesper/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "vesper/error.h"

namespace vesper {
namespace {

/// The message of the Error parse_json throws (checking code and component too), or "" on success.
std::string json_error(std::string_view text) {
  try {
    parse_json(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.component(), "json");
    return e.what();
  }
  return "";
}

std::string roundtrip(std::string_view text) { return to_json(parse_json(text)); }

}  // namespace

TEST(Json, Scalars) {
  EXPECT_TRUE(parse_json("null").is_null());
  EXPECT_TRUE(parse_json("true").as_bool());
  EXPECT_FALSE(parse_json("false").as_bool());
  EXPECT_EQ(parse_json("\"hi\"").as_string(), "hi");
  EXPECT_EQ(parse_json(" \t\r\n 7 \n").as_number(), 7.0);
}

TEST(Json, Numbers) {
  EXPECT_EQ(parse_json("0").as_int64(), 0);
  EXPECT_EQ(parse_json("-12").as_int64(), -12);
  EXPECT_DOUBLE_EQ(parse_json("1.5").as_number(), 1.5);
  EXPECT_DOUBLE_EQ(parse_json("1e3").as_number(), 1000.0);
  EXPECT_DOUBLE_EQ(parse_json("1E-2").as_number(), 0.01);
  EXPECT_DOUBLE_EQ(parse_json("-2.5e+2").as_number(), -250.0);
  EXPECT_FALSE(parse_json("1.0").is_integer());
  EXPECT_FALSE(parse_json("1e2").is_integer());
  // int64 extremes stay exact; one past becomes a double.
  EXPECT_EQ(parse_json("9223372036854775807").as_int64(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_json("-9223372036854775808").as_int64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(parse_json("9007199254740993").as_int64(), 9007199254740993LL);  // 2^53 + 1
  const JsonValue big = parse_json("9223372036854775808");
  EXPECT_FALSE(big.is_integer());
  EXPECT_DOUBLE_EQ(big.as_number(), 9223372036854775808.0);
  // -0 keeps its sign (a double), out-of-range values saturate like JavaScript.
  const JsonValue negzero = parse_json("-0");
  EXPECT_FALSE(negzero.is_integer());
  EXPECT_TRUE(std::signbit(negzero.as_number()));
  EXPECT_EQ(parse_json("1e999").as_number(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_json("-1e999").as_number(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_json("1e-999").as_number(), 0.0);
  EXPECT_EQ(parse_json("0.0001e-330").as_number(), 0.0);
  EXPECT_GT(parse_json("1e-310").as_number(), 0.0);  // subnormal, still representable
  EXPECT_EQ(parse_json("0e99999999999999999999").as_number(), 0.0);
}

TEST(Json, StringEscapes) {
  EXPECT_EQ(parse_json(R"("\" \\ \/ \b \f \n \r \t")").as_string(), "\" \\ / \b \f \n \r \t");
  EXPECT_EQ(parse_json(R"("\u0041\u00e9\u20AC")").as_string(), "A\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(parse_json(R"("\ud83d\ude00")").as_string(), "\xF0\x9F\x98\x80");  // U+1F600 via a surrogate pair
  EXPECT_EQ(parse_json(R"("\u0000")").as_string(), std::string(1, '\0'));
  EXPECT_EQ(parse_json("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"").as_string(), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(Json, ObjectsKeepOrderAndDuplicates) {
  const JsonValue v = parse_json(R"({"b":1,"a":[true,null,{}],"b":2})");
  const auto& o = v.as_object();
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].first, "b");
  EXPECT_EQ(o[1].first, "a");
  EXPECT_EQ(o[2].first, "b");
  EXPECT_EQ(v.find("b")->as_int64(), 1);  // find() returns the first
  EXPECT_EQ(v.find("zz"), nullptr);
  EXPECT_EQ(o[1].second.as_array().size(), 3u);
  EXPECT_EQ(to_json(v), R"({"b":1,"a":[true,null,{}],"b":2})");
}

TEST(Json, ErrorOffsetsAndExpectations) {
  EXPECT_EQ(json_error(R"({"a":1 "b":2})"), "json at offset 7: expected ',' or '}', got '\"'");
  EXPECT_EQ(json_error(""), "json at offset 0: expected a JSON value, got end of input");
  EXPECT_EQ(json_error("   "), "json at offset 3: expected a JSON value, got end of input");
  EXPECT_EQ(json_error("[1,]"), "json at offset 3: expected a JSON value, got ']'");
  EXPECT_EQ(json_error("[1 2]"), "json at offset 3: expected ',' or ']', got '2'");
  EXPECT_EQ(json_error("{,}"), "json at offset 1: expected a string key, got ','");
  EXPECT_EQ(json_error(R"({"a",1})"), "json at offset 4: expected ':', got ','");
  EXPECT_EQ(json_error(R"({"a":1,})"), "json at offset 7: expected a string key, got '}'");
  EXPECT_EQ(json_error("{'a':1}"), "json at offset 1: expected a string key, got '''");
  EXPECT_EQ(json_error("01"), "json at offset 1: expected end of input, got '1'");
  EXPECT_EQ(json_error("{} x"), "json at offset 3: expected end of input, got 'x'");
  EXPECT_EQ(json_error("1."), "json at offset 2: expected a digit after '.', got end of input");
  EXPECT_EQ(json_error("-"), "json at offset 1: expected a digit, got end of input");
  EXPECT_EQ(json_error("-a"), "json at offset 1: expected a digit, got 'a'");
  EXPECT_EQ(json_error("1e"), "json at offset 2: expected a digit in the exponent, got end of input");
  EXPECT_EQ(json_error("1e+x"), "json at offset 3: expected a digit in the exponent, got 'x'");
  EXPECT_EQ(json_error("+1"), "json at offset 0: expected a JSON value, got '+'");
  EXPECT_EQ(json_error(".5"), "json at offset 0: expected a JSON value, got '.'");
  EXPECT_EQ(json_error("NaN"), "json at offset 0: expected a JSON value, got 'N'");
  EXPECT_EQ(json_error("Infinity"), "json at offset 0: expected a JSON value, got 'I'");
  EXPECT_EQ(json_error("tru"), "json at offset 3: expected 'true', got end of input");
  EXPECT_EQ(json_error("nul1"), "json at offset 3: expected 'null', got '1'");
  EXPECT_EQ(json_error("[1] // c"), "json at offset 4: expected end of input, got '/'");
  EXPECT_EQ(json_error("\xEF\xBB\xBF{}"), "json at offset 0: expected a JSON value, got byte 0xef");
}

TEST(Json, StringErrors) {
  EXPECT_EQ(json_error("\"abc"), "json at offset 4: expected '\"' to close the string, got end of input");
  EXPECT_EQ(json_error("\"a\nb\""),
            "json at offset 2: expected an escape (\\n, \\u00XX, …) instead of a raw control character, got byte 0x0a");
  EXPECT_EQ(json_error(R"("\x")"), "json at offset 2: expected one of \" \\ / b f n r t u after '\\', got 'x'");
  EXPECT_EQ(json_error(R"("\u12")"), "json at offset 5: expected 4 hex digits after \\u, got '\"'");
  EXPECT_EQ(json_error(R"("\u12G4")"), "json at offset 5: expected 4 hex digits after \\u, got 'G'");
  EXPECT_EQ(json_error("\"\\"), "json at offset 2: expected an escape character, got end of input");
  // Surrogates: a lone high, a lone low, a high followed by a non-low.
  EXPECT_EQ(json_error(R"("\ud800")"),
            "json at offset 7: expected a \\uDC00-\\uDFFF low surrogate escape after a high surrogate, got '\"'");
  EXPECT_EQ(json_error(R"("\udc00")"),
            "json at offset 1: expected a high surrogate before a low surrogate escape, got '\\'");
  EXPECT_EQ(json_error(R"("\ud800\u0041")"),
            "json at offset 7: expected a \\uDC00-\\uDFFF low surrogate escape after a high surrogate, got '\\'");
}

TEST(Json, RejectsInvalidUtf8) {
  EXPECT_EQ(json_error("\"\xFF\""), "json at offset 1: expected valid UTF-8, got byte 0xff");
  EXPECT_EQ(json_error("\"a\xC0\xAF\""), "json at offset 2: expected valid UTF-8, got byte 0xc0");  // overlong '/'
  EXPECT_NE(json_error("\"\xE0\x80\xAF\""), "");      // overlong 3-byte
  EXPECT_NE(json_error("\"\xED\xA0\x80\""), "");      // UTF-8-encoded surrogate
  EXPECT_NE(json_error("\"\xE2\x82\""), "");          // truncated sequence
  EXPECT_NE(json_error("\"\xF4\x90\x80\x80\""), "");  // above U+10FFFF
  EXPECT_NE(json_error("\"\x80\""), "");              // stray continuation byte
  EXPECT_EQ(json_error("\"\xF4\x8F\xBF\xBF\""), "");  // U+10FFFF itself is fine
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_TRUE(is_valid_utf8("h\xC3\xA9llo"));
}

TEST(Json, DepthLimit) {
  const std::string ok = std::string(kJsonMaxDepth, '[') + std::string(kJsonMaxDepth, ']');
  EXPECT_EQ(json_error(ok), "");
  const std::string deep = std::string(kJsonMaxDepth + 1, '[') + std::string(kJsonMaxDepth + 1, ']');
  EXPECT_EQ(json_error(deep), "json at offset 256: expected nesting no deeper than 256, got '['");
  // Hostile depth fails cleanly instead of overflowing the stack.
  EXPECT_NE(json_error(std::string(200000, '[')), "");
  std::string objs;
  for (int i = 0; i < 100000; ++i) objs += "{\"a\":";
  EXPECT_NE(json_error(objs), "");
}

TEST(Json, WrongKindAccessorsThrow) {
  const JsonValue v = parse_json("\"s\"");
  try {
    (void)v.as_number();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.component(), "json");
    EXPECT_STREQ(e.what(), "expected number, got string");
  }
  EXPECT_THROW((void)parse_json("1.5").as_int64(), Error);
  EXPECT_THROW((void)parse_json("[]").as_object(), Error);
}

TEST(Json, SerialisationIsCompactAndDeterministic) {
  EXPECT_EQ(roundtrip(R"( { "a" : [ 1 , 2.5 , -0 , 1e21, 1E-7 ] , "b" : { } , "c" : [ ] } )"),
            R"({"a":[1,2.5,-0,1e+21,1e-07],"b":{},"c":[]})");
  EXPECT_EQ(roundtrip(R"("\u0001\u001f\"\\\/\b\f\n\r\t\u007f")"), R"("\u0001\u001f\"\\/\b\f\n\r\t)" "\x7f\"");
  EXPECT_EQ(roundtrip(R"("\ud83d\ude00 é")"), "\"\xF0\x9F\x98\x80 \xC3\xA9\"");
  EXPECT_EQ(roundtrip("9007199254740993"), "9007199254740993");
  EXPECT_EQ(roundtrip("0.1"), "0.1");
  EXPECT_EQ(to_json(JsonValue(std::int64_t{-5})), "-5");
  EXPECT_EQ(to_json(JsonValue(0.1 + 0.2)), "0.30000000000000004");
  // Non-finite values: infinity survives a round trip, NaN becomes null.
  EXPECT_EQ(to_json(JsonValue(std::numeric_limits<double>::infinity())), "1e999");
  EXPECT_EQ(parse_json(to_json(JsonValue(-std::numeric_limits<double>::infinity()))).as_number(),
            -std::numeric_limits<double>::infinity());
  EXPECT_EQ(to_json(JsonValue(std::nan(""))), "null");
  // Invalid UTF-8 handed to the writer still yields valid JSON.
  const std::string out = to_json(JsonValue(std::string("a\xFFz\xC3")));
  EXPECT_EQ(out, "\"a\xEF\xBF\xBDz\xEF\xBF\xBD\"");
  EXPECT_EQ(parse_json(out).as_string(), "a\xEF\xBF\xBDz\xEF\xBF\xBD");
}

TEST(Json, EqualityComparesStructure) {
  EXPECT_EQ(parse_json(R"({"a":[1,"x",null]})"), parse_json(R"({ "a" : [ 1.0 , "x" , null ] })"));
  EXPECT_FALSE(parse_json(R"({"a":1,"b":2})") == parse_json(R"({"b":2,"a":1})"));
  EXPECT_FALSE(parse_json("1") == parse_json("true"));
}

// Random bytes and mutated valid documents: every input either parses (and then survives a
// serialise/parse round trip unchanged) or fails with a clean kInvalidArgument "json" error.
TEST(Json, FuzzNeverCrashes) {
  const std::vector<std::string> seeds = {
      R"({"a":[1,2,{"b":null}],"c":"\u00e9\ud83d\ude00","d":-1.5e-3,"e":true})",
      R"([[[[]]],{},"",0,-0,1e999,"\\\"\n"])",
      R"({"and":[{"term":{"field":"x","value":3}},{"range":{"field":"y","min":1}}]})",
      "\"caf\xC3\xA9\"",
  };
  const std::string alphabet = "{}[]:,\"\\/-+.0123456789eEtrufalsn \t\n\xC3\xA9\xFF\x80\xED\xA0ubdx";
  std::mt19937 rng(20240611);
  int parsed = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    if (iter % 4 == 0) {
      const std::size_t n = rng() % 40;
      for (std::size_t i = 0; i < n; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
    } else {
      s = seeds[rng() % seeds.size()];
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t pos = rng() % s.size();
        switch (rng() % 4) {
          case 0: s.erase(pos, 1 + rng() % 3); break;
          case 1: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
          case 2: s[pos] = static_cast<char>(rng() % 256); break;
          default: s.insert(pos, s.substr(rng() % s.size(), rng() % 8)); break;
        }
      }
    }
    try {
      const JsonValue v = parse_json(s);
      ++parsed;
      const std::string out = to_json(v);
      ASSERT_EQ(to_json(parse_json(out)), out) << s;
    } catch (const Error& e) {
      ASSERT_EQ(e.code(), ErrorCode::kInvalidArgument) << s;
      ASSERT_EQ(e.component(), "json") << s;
      ASSERT_EQ(std::string(e.what()).rfind("json at offset ", 0), 0u) << e.what();
    }
  }
  EXPECT_GT(parsed, 100);  // the mutations must also exercise the success path
}

}  // namespace vesper
