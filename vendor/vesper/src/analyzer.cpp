#include "vesper/analyzer.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vesper/english_stemmer.h"
#include "vesper/error.h"

namespace vesper {
namespace {

constexpr std::size_t kMinTermBytes = 2;
constexpr std::size_t kMaxTermBytes = 50;

// The stop list of the original Vesper design (ziXnOrg/Vesper_DB, src/index/bm25.cpp, `STOPWORDS`:
// 46 entries, "the" listed twice, so 45 words), sorted for binary search. "a" and "i" are also
// shorter than the 2-byte minimum; they are kept so the list stays the original one.
constexpr std::array<std::string_view, 45> kStopWords{
    "a",    "all",   "an",   "and",   "are",   "as",  "at",    "be",   "been",  "by",    "could", "for",
    "from", "has",   "he",   "how",   "i",     "in",  "is",    "it",   "its",   "of",    "on",    "that",
    "the",  "their", "them", "there", "these", "they", "this", "those", "to",   "was",   "we",    "what",
    "when", "where", "which", "who",  "why",   "will", "with", "would", "you",
};
static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));
static_assert(std::adjacent_find(kStopWords.begin(), kStopWords.end()) == kStopWords.end());

// ---- UTF-8 ----------------------------------------------------------------------------------------

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at s[i] and advances i past it. A malformed sequence yields kInvalid and
// advances one byte only, so decoding resynchronises on the next byte.
char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kInvalid;
  }
  if (len > s.size() - i) {
    ++i;
    return kInvalid;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// ---- character classes ------------------------------------------------------------------------------

constexpr bool is_ascii_alnum(char32_t c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr bool in(char32_t c, char32_t lo, char32_t hi) noexcept { return c >= lo && c <= hi; }

// Whitespace and punctuation: ASCII non-alphanumerics, plus the common Unicode spaces and punctuation
// blocks (so "naïve—word" and NBSP-separated text split as a reader expects). Letters, marks, digits
// and symbols of every other script are term characters.
bool is_separator(char32_t c) noexcept {
  if (c < 0x80) return !is_ascii_alnum(c);
  if (c <= 0xBF) return c != 0xAA && c != 0xB5 && c != 0xBA;  // C1 controls, NBSP, Latin-1 punctuation
  if (c == 0xD7 || c == 0xF7) return true;                      // × ÷
  return c == 0x37E || c == 0x387 || in(c, 0x55A, 0x55F) || c == 0x589 || c == 0x1680 ||
         in(c, 0x2000, 0x206F) ||                                 // General Punctuation (spaces, dashes, quotes)
         in(c, 0x2E00, 0x2E7F) || in(c, 0x3000, 0x3003) || in(c, 0x3008, 0x3011) || c == 0xFEFF ||
         in(c, 0xFF01, 0xFF0F) || in(c, 0xFF1A, 0xFF20) || in(c, 0xFF3B, 0xFF40) || in(c, 0xFF5B, 0xFF65);
}

// Simple case folding for the scripts listed in analyzer.h; other code points map to themselves.
char32_t fold(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c < 0x100) {
    if (in(c, 0xC0, 0xDE) && c != 0xD7) return c + 32;
    return c == 0xB5 ? 0x3BC : c;  // micro sign -> Greek mu
  }
  if (c < 0x180) {  // Latin Extended-A
    if (c == 0x130) return 'i';    // İ: simple lowercase drops the dot
    if (c == 0x178) return 0xFF;   // Ÿ
    if (c == 0x17F) return 's';    // long s
    if (in(c, 0x100, 0x137) || in(c, 0x14A, 0x177)) return c | 1;               // even upper, odd lower
    if (in(c, 0x139, 0x148) || in(c, 0x179, 0x17E)) return (c & 1) ? c + 1 : c;  // odd upper, even lower
    return c;
  }
  if (in(c, 0x370, 0x3FF)) {  // Greek and Coptic
    if (in(c, 0x391, 0x3AB) && c != 0x3A2) return c + 32;
    if (c == 0x3C2) return 0x3C3;  // final sigma folds to sigma
    if (c == 0x370 || c == 0x372 || c == 0x376) return c + 1;
    if (c == 0x37F) return 0x3F3;
    if (c == 0x386) return 0x3AC;
    if (in(c, 0x388, 0x38A)) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 63;
    if (c == 0x3CF) return 0x3D7;
    if (c == 0x3D0) return 0x3B2;
    if (c == 0x3D1 || c == 0x3F4) return 0x3B8;
    if (c == 0x3D5) return 0x3C6;
    if (c == 0x3D6) return 0x3C0;
    if (in(c, 0x3D8, 0x3EF)) return c | 1;
    if (c == 0x3F0) return 0x3BA;
    if (c == 0x3F1) return 0x3C1;
    if (c == 0x3F5) return 0x3B5;
    if (c == 0x3F7 || c == 0x3FA) return c + 1;
    if (c == 0x3F9) return 0x3F2;
    if (in(c, 0x3FD, 0x3FF)) return c - 0x82;
    return c;
  }
  if (in(c, 0x400, 0x52F)) {  // Cyrillic and Cyrillic Supplement
    if (c <= 0x40F) return c + 80;
    if (c <= 0x42F) return c + 32;
    if (in(c, 0x460, 0x481) || in(c, 0x48A, 0x4BF) || in(c, 0x4D0, 0x52F)) return c | 1;
    if (c == 0x4C0) return 0x4CF;
    if (in(c, 0x4C1, 0x4CE)) return (c & 1) ? c + 1 : c;
    return c;
  }
  if (in(c, 0x531, 0x556)) return c + 48;  // Armenian
  if (in(c, 0x1E00, 0x1EFF)) {             // Latin Extended Additional (Vietnamese, Welsh, …)
    if (c == 0x1E9E) return 0xDF;          // capital sharp s
    if (in(c, 0x1E00, 0x1E95) || in(c, 0x1EA0, 0x1EFF)) return c | 1;
    return c;
  }
  if (in(c, 0xFF21, 0xFF3A)) return c + 32;  // fullwidth Latin capitals
  return c;
}

// Uppercase for identifier splitting: folds to something else, except the few lowercase letters
// that case folding also rewrites (µ, ς, ſ and the Greek symbol variants).
bool is_upper(char32_t c) noexcept {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  switch (c) {
    case 0xB5: case 0x17F: case 0x3C2: case 0x3D0: case 0x3D1: case 0x3D5: case 0x3D6: case 0x3F0: case 0x3F1:
    case 0x3F5:
      return false;
    default:
      return fold(c) != c;
  }
}

constexpr bool is_digit(char32_t c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_joiner(char32_t c) noexcept { return c == '_' || c == '-'; }

// ---- tokenizer --------------------------------------------------------------------------------------

class Tokenizer {
 public:
  Tokenizer(AnalyzerKind kind, std::vector<std::string>& out) : kind_(kind), out_(out) {}

  void run(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      const char32_t c = decode_utf8(text, i);
      const bool joiner = kind_ == AnalyzerKind::kCode && is_joiner(c);
      if (c == kInvalid || (is_separator(c) && !joiner)) {
        flush();
      } else {
        raw_.push_back(c);
      }
    }
    flush();
  }

 private:
  void flush() {
    if (raw_.empty()) return;
    if (kind_ == AnalyzerKind::kCode) {
      flush_identifier();
    } else {
      emit(raw_.data(), raw_.size());
    }
    raw_.clear();
  }

  // Folds, filters (length, stop list), optionally stems, and appends one term.
  void emit(const char32_t* cps, std::size_t n) {
    std::string term;
    term.reserve(n);
    for (std::size_t i = 0; i < n; ++i) append_utf8(term, fold(cps[i]));
    if (term.size() < kMinTermBytes || term.size() > kMaxTermBytes || is_stop_word(term)) return;
    if (kind_ == AnalyzerKind::kEnglish) {
      term = english_stem(term);
      if (term.empty()) return;
    }
    out_.push_back(std::move(term));
  }

  // The identifier's words, then (when it has several) the whole identifier, joiners kept.
  void flush_identifier() {
    std::size_t begin = 0;
    std::size_t end = raw_.size();
    while (begin < end && is_joiner(raw_[begin])) ++begin;
    while (end > begin && is_joiner(raw_[end - 1])) --end;
    if (begin == end) return;
    std::size_t parts = 0;
    std::size_t part_start = begin;
    for (std::size_t i = begin; i <= end; ++i) {
      if (i == end || is_joiner(raw_[i])) {
        if (i > part_start) parts += split_words(part_start, i);
        part_start = i + 1;
      }
    }
    if (parts > 1) emit(raw_.data() + begin, end - begin);
  }

  // Emits the words of raw_[begin, end) (no joiners inside); returns how many there were.
  std::size_t split_words(std::size_t begin, std::size_t end) {
    const auto lower = [](char32_t c) { return !is_digit(c) && !is_upper(c); };
    std::size_t words = 0;
    std::size_t start = begin;
    for (std::size_t i = begin + 1; i < end; ++i) {
      const char32_t prev = raw_[i - 1];
      const char32_t cur = raw_[i];
      const bool boundary = is_digit(prev) != is_digit(cur) ||                       // base64, utf8Decoder
                            (lower(prev) && is_upper(cur)) ||                        // camelCase
                            (is_upper(prev) && is_upper(cur) && i + 1 < end && lower(raw_[i + 1]));  // HTTPResponse
      if (boundary) {
        emit(raw_.data() + start, i - start);
        ++words;
        start = i;
      }
    }
    emit(raw_.data() + start, end - start);
    return words + 1;
  }

  AnalyzerKind kind_;
  std::vector<std::string>& out_;
  std::vector<char32_t> raw_;
};

}  // namespace

AnalyzerKind parse_analyzer(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower == "default") return AnalyzerKind::kDefault;
  if (lower == "code") return AnalyzerKind::kCode;
  if (lower == "english") return AnalyzerKind::kEnglish;
  std::string shown(name.substr(0, 64));
  if (name.size() > 64) shown += "...";
  throw Error(ErrorCode::kInvalidArgument, "bm25",
              "unknown analyzer \"" + shown + "\" (expected \"default\", \"code\" or \"english\")");
}

const char* analyzer_name(AnalyzerKind kind) noexcept {
  switch (kind) {
    case AnalyzerKind::kDefault: return "default";
    case AnalyzerKind::kCode: return "code";
    case AnalyzerKind::kEnglish: return "english";
  }
  return "default";
}

bool is_stop_word(std::string_view term) noexcept {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), term);
}

std::vector<std::string> analyze(AnalyzerKind kind, std::string_view utf8_text) {
  std::vector<std::string> out;
  Tokenizer(kind, out).run(utf8_text);
  return out;
}

}  // namespace vesper
