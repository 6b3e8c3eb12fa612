#include "vesper/analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "vesper/error.h"

namespace vesper {
namespace {

using Terms = std::vector<std::string>;

Terms def(std::string_view text) { return analyze(AnalyzerKind::kDefault, text); }
Terms code(std::string_view text) { return analyze(AnalyzerKind::kCode, text); }
Terms eng(std::string_view text) { return analyze(AnalyzerKind::kEnglish, text); }

// Strict UTF-8 validity (no overlongs, surrogates or code points above U+10FFFF).
bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    std::uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

TEST(Analyzer, ParseNames) {
  EXPECT_EQ(parse_analyzer("default"), AnalyzerKind::kDefault);
  EXPECT_EQ(parse_analyzer("code"), AnalyzerKind::kCode);
  EXPECT_EQ(parse_analyzer("english"), AnalyzerKind::kEnglish);
  EXPECT_EQ(parse_analyzer("English"), AnalyzerKind::kEnglish);
  for (AnalyzerKind k : {AnalyzerKind::kDefault, AnalyzerKind::kCode, AnalyzerKind::kEnglish}) {
    EXPECT_EQ(parse_analyzer(analyzer_name(k)), k);
  }
}

TEST(Analyzer, ParseRejectsUnknownNames) {
  for (std::string_view bad : {"", "porter", "defaultx", " code"}) {
    try {
      parse_analyzer(bad);
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.component(), "bm25");
      EXPECT_NE(std::string(e.what()).find("\"" + std::string(bad) + "\""), std::string::npos) << e.what();
    }
  }
}

TEST(Analyzer, SplitsOnWhitespaceAndAsciiPunctuation) {
  EXPECT_EQ(def("Hello, world! foo-bar_baz (qux)\tquux\nend.x/y:zz"),
            (Terms{"hello", "world", "foo", "bar", "baz", "qux", "quux", "end", "zz"}));
  EXPECT_EQ(def("e-mail: user@example.com; path=/usr/lib?x=42#frag"),
            (Terms{"mail", "user", "example", "com", "path", "usr", "lib", "42", "frag"}));
  EXPECT_EQ(def(""), Terms{});
  EXPECT_EQ(def("  ,.;!  "), Terms{});
}

TEST(Analyzer, LowercasesAndKeepsRepeatsInOrder) {
  EXPECT_EQ(def("HeLLo WORLD hello World"), (Terms{"hello", "world", "hello", "world"}));
}

TEST(Analyzer, DropsShortAndLongTokensByBytes) {
  EXPECT_EQ(def("x y z ab 7 42"), (Terms{"ab", "42"}));
  const std::string fifty(50, 'q');
  const std::string fifty_one(51, 'q');
  EXPECT_EQ(def(fifty + " " + fifty_one + " ok"), (Terms{fifty, "ok"}));
  // Byte lengths, not characters: "é" is 2 bytes (kept); 25 × "é" = 50 bytes (kept), 26 = 52 (dropped).
  std::string e25;
  for (int i = 0; i < 25; ++i) e25 += "é";
  EXPECT_EQ(def("é " + e25 + " " + e25 + "é"), (Terms{"é", e25}));
}

TEST(Analyzer, RemovesTheOriginalStopList) {
  // The 45 words of the original design's list.
  const Terms stop{"a",    "an",   "and",  "are",   "as",    "at",    "be",   "been",  "by",
                   "for",  "from", "has",  "he",    "in",    "is",    "it",   "its",   "of",
                   "on",   "that", "the",  "to",    "was",   "will",  "with", "this",  "these",
                   "those", "i",   "you",  "we",    "they",  "them",  "their", "what", "which",
                   "who",  "when", "where", "why",  "how",   "all",   "would", "there", "could"};
  ASSERT_EQ(stop.size(), 45u);
  for (const std::string& w : stop) EXPECT_TRUE(is_stop_word(w)) << w;
  for (std::string_view w : {"not", "but", "or", "if", "cat", "then", "those2", ""}) EXPECT_FALSE(is_stop_word(w)) << w;
  EXPECT_EQ(def("The cat AND the hat, with all of their friends"), (Terms{"cat", "hat", "friends"}));
}

TEST(Analyzer, UnicodeCaseFolding) {
  EXPECT_EQ(def("ÀÉÎÕÜ Ærø ÞORN"), (Terms{"àéîõü", "ærø", "þorn"}));  // Latin-1
  EXPECT_EQ(def("ŁÓDŹ ŒUVRE Ĳssel İstanbul ŸVES"), (Terms{"łódź", "œuvre", "ĳssel", "istanbul", "ÿves"}));  // Latin Ext-A
  EXPECT_EQ(def("ΟΔΟΣ οδος Ωμέγα ΆΛΦΑ"), (Terms{"οδοσ", "οδοσ", "ωμέγα", "άλφα"}));  // Greek, final sigma folded
  EXPECT_EQ(def("ПРИВЕТ Мир ЁЛКА Їжак"), (Terms{"привет", "мир", "ёлка", "їжак"}));  // Cyrillic
  EXPECT_EQ(def("ՀԱՅԵՐԵՆ"), (Terms{"հայերեն"}));                                      // Armenian
  EXPECT_EQ(def("ĐẠI HỌC"), (Terms{"đại", "học"}));                                    // Vietnamese
  EXPECT_EQ(def("ＡＢＣ"), (Terms{"ａｂｃ"}));                                          // fullwidth
  EXPECT_EQ(def("日本語 テキスト"), (Terms{"日本語", "テキスト"}));                      // uncased scripts pass through
}

TEST(Analyzer, UnicodeSpacesAndPunctuationSeparate) {
  // NBSP, em dash, curly quotes, ellipsis, ideographic space, zero-width space.
  EXPECT_EQ(def("foo\u00A0bar\u2014baz \u201Cquoted\u201D wait\u2026what\u3000next\u200Bword"),
            (Terms{"foo", "bar", "baz", "quoted", "wait", "next", "word"}));
}

TEST(Analyzer, InvalidUtf8IsASeparatorAndNeverCrashes) {
  EXPECT_EQ(def("ab\xFF" "cd"), (Terms{"ab", "cd"}));                 // invalid lead byte
  EXPECT_EQ(def("ab\x80\x80" "cd"), (Terms{"ab", "cd"}));             // stray continuation bytes
  EXPECT_EQ(def("ab\xC0\xAF" "cd"), (Terms{"ab", "cd"}));             // overlong "/"
  EXPECT_EQ(def("ab\xED\xA0\x80" "cd"), (Terms{"ab", "cd"}));         // UTF-16 surrogate
  EXPECT_EQ(def("ab\xF4\x90\x80\x80" "cd"), (Terms{"ab", "cd"}));     // above U+10FFFF
  EXPECT_EQ(def("abc\xE2\x82"), (Terms{"abc"}));                       // truncated at the end
  EXPECT_EQ(def("caf\xC3"), (Terms{"caf"}));
  // Random bytes: no crash, and every term is valid UTF-8 within the byte limits.
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    for (AnalyzerKind kind : {AnalyzerKind::kDefault, AnalyzerKind::kCode, AnalyzerKind::kEnglish}) {
      for (const std::string& t : analyze(kind, s)) {
        ASSERT_TRUE(valid_utf8(t));
        ASSERT_GE(t.size(), 2u);
        ASSERT_LE(t.size(), 50u);
      }
    }
  }
}

TEST(Analyzer, CodeSplitsIdentifiers) {
  EXPECT_EQ(code("parseHTTPResponse"), (Terms{"parse", "http", "response", "parsehttpresponse"}));
  EXPECT_EQ(code("snake_case_name"), (Terms{"snake", "case", "name", "snake_case_name"}));
  EXPECT_EQ(code("getUserById"), (Terms{"get", "user", "id", "getuserbyid"}));  // "by" is a stop word
  EXPECT_EQ(code("XMLHttpRequest"), (Terms{"xml", "http", "request", "xmlhttprequest"}));
  EXPECT_EQ(code("kebab-case-id"), (Terms{"kebab", "case", "id", "kebab-case-id"}));
  EXPECT_EQ(code("SCREAMING_SNAKE"), (Terms{"screaming", "snake", "screaming_snake"}));
  EXPECT_EQ(code("base64Encode utf8"), (Terms{"base", "64", "encode", "base64encode", "utf", "utf8"}));
  EXPECT_EQ(code("MyClass::doWork(x)"), (Terms{"my", "class", "myclass", "do", "work", "dowork"}));
}

TEST(Analyzer, CodeKeepsPlainWordsOnceAndTrimsJoiners) {
  EXPECT_EQ(code("Hello world HTTP"), (Terms{"hello", "world", "http"}));
  EXPECT_EQ(code("__init__ --verbose"), (Terms{"init", "verbose"}));
  EXPECT_EQ(code("a - b _ c"), Terms{});
  EXPECT_EQ(code("os.path.join"), (Terms{"os", "path", "join"}));
  // The whole identifier is dropped past 50 bytes; its words survive.
  const std::string long_id = std::string(30, 'a') + "_" + std::string(30, 'b');
  EXPECT_EQ(code(long_id), (Terms{std::string(30, 'a'), std::string(30, 'b')}));
}

TEST(Analyzer, CodeFindsIdentifierByWord) {
  const Terms doc = code("const user = getUserById(userId);");
  EXPECT_NE(std::find(doc.begin(), doc.end(), "user"), doc.end());
  EXPECT_NE(std::find(doc.begin(), doc.end(), "getuserbyid"), doc.end());
  // A query spelled like the identifier produces the same whole-identifier term.
  EXPECT_EQ(code("getUserById").back(), "getuserbyid");
}

TEST(Analyzer, EnglishStems) {
  EXPECT_EQ(eng("The Connections were connected, running and runs"),
            (Terms{"connect", "were", "connect", "run", "run"}));
  EXPECT_EQ(eng("Generously generous caf\xC3\xA9s"), (Terms{"generous", "generous", "cafés"}));
  // Stop words are removed before stemming ("this" would otherwise stay "this" anyway).
  EXPECT_EQ(eng("this is all"), Terms{});
}

}  // namespace vesper
