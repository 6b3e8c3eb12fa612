// Text -> BM25 terms. Words are runs of letters, marks and digits of any script; everything else
// (spaces, punctuation and symbols of every script, per the Unicode Character Database) separates them.
// Scripts written without spaces (CJK, Thai, Lao, Khmer, Myanmar) become overlapping bigrams of their
// characters; emoji sequences (ZWJ sequences, skin tones, flags) are terms of their own. Each term is
// then folded (unicode::fold: NFKC, full case folding, accents removed).
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
#include "vesper/unicode.h"

namespace vesper {
namespace {

using unicode::Group;
using unicode::Kind;

// Longer words are cut into pieces of this many code points (queries are cut the same way, so such a
// word still matches itself); a whole code identifier longer than this is not added as a term.
constexpr std::size_t kMaxTermCodePoints = 64;

// The stop list of the original Vesper design (ziXnOrg/Vesper_DB, src/index/bm25.cpp, `STOPWORDS`:
// 46 entries, "the" listed twice, so 45 words), sorted for binary search.
constexpr std::array<std::string_view, 45> kStopWords{
    "a",    "all",   "an",   "and",   "are",   "as",  "at",    "be",   "been",  "by",    "could", "for",
    "from", "has",   "he",   "how",   "i",     "in",  "is",    "it",   "its",   "of",    "on",    "that",
    "the",  "their", "them", "there", "these", "they", "this", "those", "to",   "was",   "we",    "what",
    "when", "where", "which", "who",  "why",   "will", "with", "would", "you",
};
static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));
static_assert(std::adjacent_find(kStopWords.begin(), kStopWords.end()) == kStopWords.end());

struct Char {
  char32_t cp;
  unicode::CharInfo info;
};

bool is_code_joiner(char32_t c) noexcept { return c == '_' || c == '-'; }

class Tokenizer {
 public:
  Tokenizer(AnalyzerKind kind, std::vector<std::string>& out) : kind_(kind), out_(out) {}

  void run(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      if (static_cast<unsigned char>(text[i]) < 0x80) {
        const char32_t cp = static_cast<unsigned char>(text[i++]);
        step(Char{cp, ascii_info()[cp]});
        continue;
      }
      const char32_t cp = unicode::decode_utf8(text, i);
      if (cp == unicode::kInvalid) {
        end_all();
        continue;
      }
      step(Char{cp, unicode::info(cp)});
    }
    end_all();
  }

 private:
  enum class State { kNone, kWord, kUnit, kEmoji, kRegional };

  void step(const Char& c) {
    const Kind kind = c.info.kind;
    // Marks and invisible joiners extend whatever they follow (a letter's accent, a Thai vowel sign, an
    // emoji's variation selector or skin tone); after a separator they hold nothing.
    if (c.info.mark || kind == Kind::kJoiner) {
      if (state_ == State::kNone) {
        if (!c.info.mark) return;
        state_ = State::kWord;  // a mark with no base: folded, it is usually nothing
      }
      if (state_ == State::kUnit) {
        unit_.push_back(c.cp);
      } else {
        raw_.push_back(c);
      }
      zwj_ = c.cp == 0x200D;
      return;
    }
    if (kind == Kind::kWord && c.info.group != Group::kNone) {
      if (state_ != State::kUnit || c.info.group != group_) end_all();
      else end_unit();
      state_ = State::kUnit;
      group_ = c.info.group;
      unit_.push_back(c.cp);
      return;
    }
    const bool code_joiner = kind_ == AnalyzerKind::kCode && is_code_joiner(c.cp) && state_ == State::kWord;
    if (kind == Kind::kWord || code_joiner) {
      if (state_ != State::kWord) end_all();
      state_ = State::kWord;
      raw_.push_back(c);
      return;
    }
    if (kind == Kind::kEmoji) {
      // A ZWJ sequence (👩‍💻) is one term; otherwise each pictograph is.
      if (!(state_ == State::kEmoji && zwj_)) end_all();
      state_ = State::kEmoji;
      raw_.push_back(c);
      zwj_ = false;
      return;
    }
    if (kind == Kind::kRegional) {
      // Regional indicators pair up into flags (🇫🇷).
      if (state_ == State::kRegional && raw_.size() == 1) {
        raw_.push_back(c);
        end_all();
        return;
      }
      end_all();
      state_ = State::kRegional;
      raw_.push_back(c);
      return;
    }
    end_all();
  }

  void end_unit() {
    if (unit_.empty()) return;
    std::u32string folded = unicode::fold(unit_);
    unit_.clear();
    if (!folded.empty()) units_.push_back(std::move(folded));
  }

  void end_all() {
    switch (state_) {
      case State::kNone: break;
      case State::kWord:
        if (kind_ == AnalyzerKind::kCode) {
          flush_identifier();
        } else {
          emit_word(0, raw_.size());
        }
        break;
      case State::kUnit: flush_bigrams(); break;
      case State::kEmoji:
      case State::kRegional: emit_symbol(); break;
    }
    raw_.clear();
    state_ = State::kNone;
    zwj_ = false;
  }

  // A run of units of one script written without spaces: its overlapping bigrams (a lone unit alone).
  void flush_bigrams() {
    end_unit();
    if (units_.size() == 1) {
      add_term(units_[0], false);
    } else {
      for (std::size_t i = 0; i + 1 < units_.size(); ++i) add_term(units_[i] + units_[i + 1], false);
    }
    units_.clear();
  }

  void emit_symbol() {
    std::u32string cps;
    for (const Char& c : raw_) cps.push_back(c.cp);
    const std::u32string folded = unicode::fold(cps);
    if (!folded.empty()) add_term(folded, false);
  }

  // Folds raw_[begin, end) and adds its words: folding can produce separators (½ → 1⁄2), which split.
  void emit_word(std::size_t begin, std::size_t end) {
    // ASCII letters and digits (most text and all code): folding is lowercasing.
    bool ascii = true;
    for (std::size_t i = begin; i < end && ascii; ++i) ascii = raw_[i].cp < 0x80 && raw_[i].cp != '-' && raw_[i].cp != '_';
    if (ascii) {
      std::u32string& word = scratch_;
      word.clear();
      for (std::size_t i = begin; i < end; ++i) {
        const char32_t c = raw_[i].cp;
        word.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      emit_pieces(word);
      return;
    }
    std::u32string cps;
    cps.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      if (!is_code_joiner(raw_[i].cp) || kind_ != AnalyzerKind::kCode) cps.push_back(raw_[i].cp);
    }
    const std::u32string folded = unicode::fold(cps);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= folded.size(); ++i) {
      if (i == folded.size() || !word_char(folded[i])) {
        if (i > start) emit_pieces(std::u32string_view(folded).substr(start, i - start));
        start = i + 1;
      }
    }
  }

  static bool word_char(char32_t c) noexcept {
    const Kind k = unicode::info(c).kind;
    return k == Kind::kWord || k == Kind::kJoiner;
  }

  void emit_pieces(std::u32string_view word) {
    for (std::size_t at = 0; at < word.size(); at += kMaxTermCodePoints) {
      add_term(word.substr(at, kMaxTermCodePoints), true);
    }
  }

  // Appends one term, after the stop list and (english) the stemmer.
  void add_term(std::u32string_view cps, bool word) {
    std::string term;
    term.reserve(cps.size());
    for (char32_t c : cps) unicode::append_utf8(term, c);
    if (word) {
      if (is_stop_word(term)) return;
      if (kind_ == AnalyzerKind::kEnglish) {
        term = english_stem(term);
        if (term.empty()) return;
      }
    }
    out_.push_back(std::move(term));
  }

  // Code: the identifier's words, then (when it has several) the whole identifier, joiners kept.
  void flush_identifier() {
    std::size_t begin = 0;
    std::size_t end = raw_.size();
    while (begin < end && is_code_joiner(raw_[begin].cp)) ++begin;
    while (end > begin && is_code_joiner(raw_[end - 1].cp)) --end;
    if (begin == end) return;
    std::size_t parts = 0;
    std::size_t part_start = begin;
    for (std::size_t i = begin; i <= end; ++i) {
      if (i == end || is_code_joiner(raw_[i].cp)) {
        if (i > part_start) parts += split_words(part_start, i);
        part_start = i + 1;
      }
    }
    if (parts > 1) {
      std::u32string whole;
      for (std::size_t i = begin; i < end; ++i) whole.push_back(raw_[i].cp);
      const std::u32string folded = unicode::fold(whole);
      if (!folded.empty() && folded.size() <= kMaxTermCodePoints &&
          std::all_of(folded.begin(), folded.end(), [](char32_t c) { return word_char(c) || is_code_joiner(c); })) {
        add_term(folded, true);
      }
    }
  }

  // Emits the words of raw_[begin, end) (no joiners inside) split at camelCase, ACRONYMWord and
  // letter/digit boundaries; returns how many there were. Marks stay with their letter.
  std::size_t split_words(std::size_t begin, std::size_t end) {
    const auto upper = [&](std::size_t i) { return raw_[i].info.upper; };
    const auto digit = [&](std::size_t i) { return raw_[i].info.digit; };
    const auto lower = [&](std::size_t i) { return !digit(i) && !upper(i) && !raw_[i].info.mark && raw_[i].info.kind == Kind::kWord; };
    std::size_t words = 0;
    std::size_t start = begin;
    std::size_t prev = begin;  // last non-mark character
    for (std::size_t i = begin + 1; i < end; ++i) {
      if (raw_[i].info.mark || raw_[i].info.kind == Kind::kJoiner) continue;
      std::size_t next = i + 1;
      while (next < end && (raw_[next].info.mark || raw_[next].info.kind == Kind::kJoiner)) ++next;
      const bool boundary = digit(prev) != digit(i) ||                                // base64, utf8Decoder
                            (lower(prev) && upper(i)) ||                              // camelCase
                            (upper(prev) && upper(i) && next < end && lower(next));   // HTTPResponse
      if (boundary) {
        emit_word(start, i);
        ++words;
        start = i;
      }
      prev = i;
    }
    emit_word(start, end);
    return words + 1;
  }

  static const std::array<unicode::CharInfo, 128>& ascii_info() {
    static const std::array<unicode::CharInfo, 128> table = [] {
      std::array<unicode::CharInfo, 128> t{};
      for (char32_t c = 0; c < 128; ++c) t[c] = unicode::info(c);
      return t;
    }();
    return table;
  }

  AnalyzerKind kind_;
  std::vector<std::string>& out_;
  std::u32string scratch_;
  State state_ = State::kNone;
  std::vector<Char> raw_;              // the current word, emoji or flag
  bool zwj_ = false;                   // the last character was a zero-width joiner
  Group group_ = Group::kNone;         // script group of the current bigram run
  std::u32string unit_;                // the current unit of that run (a character and its marks)
  std::vector<std::u32string> units_;  // the run's folded units
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
