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
            (Terms{"hello", "world", "foo", "bar", "baz", "qux", "quux", "end", "x", "y", "zz"}));
  EXPECT_EQ(def("e-mail: user@example.com; path=/usr/lib?x=42#frag"),
            (Terms{"e", "mail", "user", "example", "com", "path", "usr", "lib", "x", "42", "frag"}));
  EXPECT_EQ(def(""), Terms{});
  EXPECT_EQ(def("  ,.;!  "), Terms{});
}

TEST(Analyzer, LowercasesAndKeepsRepeatsInOrder) {
  EXPECT_EQ(def("HeLLo WORLD hello World"), (Terms{"hello", "world", "hello", "world"}));
}

TEST(Analyzer, KeepsOneCharacterWordsAndCutsLongOnes) {
  EXPECT_EQ(def("B. F. Skinner"), (Terms{"b", "f", "skinner"}));
  EXPECT_EQ(def("x y z ab 7 42 \u00E9"), (Terms{"x", "y", "z", "ab", "7", "42", "e"}));
  // Past 64 code points a word is cut into pieces of 64 (a query is cut the same way).
  const std::string sixty_four(64, 'q');
  EXPECT_EQ(def(sixty_four + " ok"), (Terms{sixty_four, "ok"}));
  EXPECT_EQ(def(std::string(130, 'q')), (Terms{sixty_four, sixty_four, "qq"}));
  // Code points, not bytes: 40 × "ж" (80 bytes) is one term.
  std::string zh40;
  for (int i = 0; i < 40; ++i) zh40 += "\u0436";
  EXPECT_EQ(def(zh40), Terms{zh40});
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

// Golden analyses, script by script: the separators of every script split, NFKC, full case folding and
// accent folding apply, scripts without spaces become bigrams.
TEST(Analyzer, GoldenScripts) {
  // Arabic: the question mark, comma and semicolon of the script separate words.
  EXPECT_EQ(def("\u0647\u0644 \u0627\u0644\u0645\u0643\u062A\u0628\u0629\u061F \u0646\u0639\u0645\u060C \u0627\u0644\u0643\u062A\u0628\u061B"),
            (Terms{"\u0647\u0644", "\u0627\u0644\u0645\u0643\u062A\u0628\u0629", "\u0646\u0639\u0645", "\u0627\u0644\u0643\u062A\u0628"}));
  // Arabic vowel marks (harakat) and the tatweel fold away.
  EXPECT_EQ(def("\u0643\u064E\u062A\u064E\u0628\u064E \u0643\u0640\u062A\u0627\u0628"), (Terms{"\u0643\u062A\u0628", "\u0643\u062A\u0627\u0628"}));
  // Hindi: the danda separates; vowel signs and viramas stay in the word.
  EXPECT_EQ(def("\u092F\u0939 \u0915\u093F\u0924\u093E\u092C \u0939\u0948\u0964\u0935\u0939 \u0915\u0932\u092E"),
            (Terms{"\u092F\u0939", "\u0915\u093F\u0924\u093E\u092C", "\u0939\u0948", "\u0935\u0939", "\u0915\u0932\u092E"}));
  // Chinese: overlapping bigrams, however long the run (this one has 23 characters).
  const Terms zh = def("\u6211\u4EEC\u4ECA\u5929\u53BB\u5317\u4EAC\u5927\u5B66\u53C2\u89C2\u4E86\u56FE\u4E66\u9986\u548C\u535A\u7269\u9986\u7136\u540E\u56DE\u5BB6\u3002");
  ASSERT_EQ(zh.size(), 22u);
  EXPECT_EQ(zh[0], "\u6211\u4EEC");
  EXPECT_EQ(zh[21], "\u56DE\u5BB6");
  // Japanese: kanji, hiragana and katakana bigram together; the ideographic full stop separates; the
  // voicing mark of a kana stays (が is not か).
  EXPECT_EQ(def("\u6771\u4EAC\u30BF\u30EF\u30FC\u3002\u304C\u304B"),
            (Terms{"\u6771\u4EAC", "\u4EAC\u30BF", "\u30BF\u30EF", "\u30EF\u30FC", "\u304C\u304B"}));
  // Half-width katakana fold to full width (NFKC): ｶﾞ → ガ.
  EXPECT_EQ(def("\uFF76\uFF9E"), Terms{"\u30AC"});
  // Thai: no spaces; bigrams of characters with their vowel and tone marks.
  EXPECT_EQ(def("\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22"),
            (Terms{"\u0E20\u0E32", "\u0E32\u0E29", "\u0E29\u0E32", "\u0E32\u0E44", "\u0E44\u0E17", "\u0E17\u0E22"}));
  EXPECT_EQ(def("\u0E44\u0E21\u0E48"), (Terms{"\u0E44\u0E21\u0E48"}));  // ไม่: the tone mark stays on its letter
  // Korean: syllable bigrams, so a word is found inside a longer one (학교 in 학교에서).
  EXPECT_EQ(def("\uD559\uAD50\uC5D0\uC11C"), (Terms{"\uD559\uAD50", "\uAD50\uC5D0", "\uC5D0\uC11C"}));
  // Accented Latin: accents fold, ß folds to ss, ligatures decompose, İ loses its dot.
  EXPECT_EQ(def("Caf\u00E9 NA\u00CFVE R\u00C9SUM\u00C9 Stra\u00DFe \uFB01le \u0130stanbul \u0110\u1EA0I"),
            (Terms{"cafe", "naive", "resume", "strasse", "file", "istanbul", "\u0111ai"}));
  // Decomposed input folds like precomposed input (canonical equivalence).
  EXPECT_EQ(def("Cafe\u0301"), Terms{"cafe"});
  // Greek: final sigma and tonos fold.
  EXPECT_EQ(def("\u03A9\u03BC\u03AD\u03B3\u03B1 \u039F\u0394\u039F\u03A3 \u03BF\u03B4\u03BF\u03C2"),
            (Terms{"\u03C9\u03BC\u03B5\u03B3\u03B1", "\u03BF\u03B4\u03BF\u03C3", "\u03BF\u03B4\u03BF\u03C3"}));
  // Cyrillic: case and the diaeresis of ё fold.
  EXPECT_EQ(def("\u0401\u043B\u043A\u0430 \u041F\u0420\u0418\u0412\u0415\u0422"), (Terms{"\u0435\u043B\u043A\u0430", "\u043F\u0440\u0438\u0432\u0435\u0442"}));
  // Fullwidth and compatibility forms (NFKC): ＡＢＣ, Roman numeral twelve, superscript two.
  EXPECT_EQ(def("\uFF21\uFF22\uFF23 \u216B x\u00B2"), (Terms{"abc", "xii", "x2"}));
  // Fractions normalise to digits around a fraction slash, which separates.
  EXPECT_EQ(def("\u00BD"), (Terms{"1", "2"}));
}

TEST(Analyzer, EmojiAndInvisibleJoiners) {
  // Each emoji is a term; a ZWJ sequence stays one term; variation selectors fold away; flags pair up.
  EXPECT_EQ(def("I \u2764\uFE0F \U0001F680\U0001F680 \U0001F469\u200D\U0001F4BB \U0001F44D\U0001F3FD \U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA"),
            (Terms{"\u2764", "\U0001F680", "\U0001F680", "\U0001F469\U0001F4BB", "\U0001F44D\U0001F3FD", "\U0001F1EB\U0001F1F7", "\U0001F1E9\U0001F1EA"}));
  EXPECT_EQ(def("\u2764"), def("\u2764\uFE0F"));
  // Zero-width (non-)joiners inside a word do not split it and fold away (Persian می‌خواهم).
  EXPECT_EQ(def("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"), Terms{"\u0645\u06CC\u062E\u0648\u0627\u0647\u0645"});
  EXPECT_EQ(def("zero\u200Dwidth soft\u00ADhyphen"), (Terms{"zerowidth", "softhyphen"}));
  // A zero-width space is a space.
  EXPECT_EQ(def("next\u200Bword"), (Terms{"next", "word"}));
}

TEST(Analyzer, UnicodeSpacesAndPunctuationSeparate) {
  // NBSP, em dash, curly quotes, ellipsis, ideographic space, zero-width space, guillemets, inverted marks.
  EXPECT_EQ(def("foo\u00A0bar\u2014baz \u201Cquoted\u201D wait\u2026what\u3000next\u200Bword \u00ABoui\u00BB \u00BFqu\u00E9?"),
            (Terms{"foo", "bar", "baz", "quoted", "wait", "next", "word", "oui", "que"}));
}

TEST(Analyzer, InvalidUtf8IsASeparatorAndNeverCrashes) {
  EXPECT_EQ(def("ab\xFF" "cd"), (Terms{"ab", "cd"}));                 // invalid lead byte
  EXPECT_EQ(def("ab\x80\x80" "cd"), (Terms{"ab", "cd"}));             // stray continuation bytes
  EXPECT_EQ(def("ab\xC0\xAF" "cd"), (Terms{"ab", "cd"}));             // overlong "/"
  EXPECT_EQ(def("ab\xED\xA0\x80" "cd"), (Terms{"ab", "cd"}));         // UTF-16 surrogate
  EXPECT_EQ(def("ab\xF4\x90\x80\x80" "cd"), (Terms{"ab", "cd"}));     // above U+10FFFF
  EXPECT_EQ(def("abc\xE2\x82"), (Terms{"abc"}));                       // truncated at the end
  EXPECT_EQ(def("caf\xC3"), (Terms{"caf"}));
  // Random bytes: no crash, and every term is valid, non-empty UTF-8 of at most 64 code points.
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    for (AnalyzerKind kind : {AnalyzerKind::kDefault, AnalyzerKind::kCode, AnalyzerKind::kEnglish}) {
      for (const std::string& t : analyze(kind, s)) {
        ASSERT_TRUE(valid_utf8(t));
        ASSERT_GE(t.size(), 1u);
        ASSERT_LE(t.size(), 64u * 4);
      }
    }
  }
}

// Any words in any script: each word, analysed alone as a query, yields only terms of the document
// it sits in (so a query spelled like a word of a document finds it), and every term is valid UTF-8.
TEST(Analyzer, EveryWordFindsItsDocumentInAnyScript) {
  std::mt19937 rng(11);
  // Code point ranges of many scripts, plus marks, joiners, punctuation and emoji.
  const std::vector<std::pair<char32_t, char32_t>> ranges{
      {0x41, 0x7A},     {0xC0, 0x24F},    {0x300, 0x36F},  {0x370, 0x3FF},   {0x400, 0x4FF},   {0x590, 0x5FF},
      {0x600, 0x6FF},   {0x900, 0x97F},   {0x980, 0x9FF},  {0xE00, 0xE7F},   {0xE80, 0xEFF},   {0x1000, 0x109F},
      {0x1100, 0x11FF}, {0x1780, 0x17FF}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF},
      {0xAC00, 0xD7A3}, {0xFB00, 0xFB4F}, {0xFF00, 0xFFEF}, {0x1F300, 0x1F6FF}, {0x1F1E6, 0x1F1FF}};
  const auto utf8 = [](char32_t cp) {
    std::string out;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else if (cp < 0x10000) {
      out += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      out += {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
    return out;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> words(1 + rng() % 6);
    for (std::string& w : words) {
      const auto& [lo, hi] = ranges[rng() % ranges.size()];
      for (int n = 1 + static_cast<int>(rng() % 8); n > 0; --n) w += utf8(lo + static_cast<char32_t>(rng() % (hi - lo + 1)));
    }
    std::string doc;
    for (const std::string& w : words) doc += w + " ";
    for (AnalyzerKind kind : {AnalyzerKind::kDefault, AnalyzerKind::kCode, AnalyzerKind::kEnglish}) {
      const Terms indexed = analyze(kind, doc);
      for (const std::string& t : indexed) ASSERT_TRUE(valid_utf8(t) && !t.empty());
      for (const std::string& w : words) {
        for (const std::string& t : analyze(kind, w)) {
          ASSERT_NE(std::find(indexed.begin(), indexed.end(), t), indexed.end()) << "word " << w << " term " << t;
        }
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
  EXPECT_EQ(code("base64Encode utf8"), (Terms{"base", "64", "encode", "base64encode", "utf", "8", "utf8"}));
  EXPECT_EQ(code("MyClass::doWork(x)"), (Terms{"my", "class", "myclass", "do", "work", "dowork", "x"}));
  // Non-ASCII identifiers split and fold the same way.
  EXPECT_EQ(code("\u00C4rgerZ\u00E4hler"), (Terms{"arger", "zahler", "argerzahler"}));
}

TEST(Analyzer, CodeKeepsPlainWordsOnceAndTrimsJoiners) {
  EXPECT_EQ(code("Hello world HTTP"), (Terms{"hello", "world", "http"}));
  EXPECT_EQ(code("__init__ --verbose"), (Terms{"init", "verbose"}));
  EXPECT_EQ(code("a - b _ c"), (Terms{"b", "c"}));
  EXPECT_EQ(code("os.path.join"), (Terms{"os", "path", "join"}));
  // The whole identifier is dropped past 64 code points; its words survive.
  const std::string long_id = std::string(40, 'a') + "_" + std::string(40, 'b');
  EXPECT_EQ(code(long_id), (Terms{std::string(40, 'a'), std::string(40, 'b')}));
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
  EXPECT_EQ(eng("Generously generous caf\xC3\xA9s Skinner's"), (Terms{"generous", "generous", "cafe", "skinner", "s"}));
  // Stop words are removed before stemming ("this" would otherwise stay "this" anyway).
  EXPECT_EQ(eng("this is all"), Terms{});
}

}  // namespace vesper
