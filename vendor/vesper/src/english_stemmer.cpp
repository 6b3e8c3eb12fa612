// Porter2 / Snowball English, written from the published definition (snowballstem.org,
// algorithms/english) and checked against Snowball's own generated stemmer on a large word list.
// Positions: the word is edited only at its end, so R1/R2 (p1/p2) stay valid as suffixes go.
#include "vesper/english_stemmer.h"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace vesper {
namespace {

constexpr bool is_vowel(char c) noexcept {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// 'Y' (a consonant-y marked by the prelude) is a non-vowel, as are digits and the apostrophe.
constexpr bool is_vowel_wxy(char c) noexcept { return is_vowel(c) || c == 'w' || c == 'x' || c == 'Y'; }

constexpr bool is_valid_li(char c) noexcept {
  return c == 'c' || c == 'd' || c == 'e' || c == 'g' || c == 'h' || c == 'k' || c == 'm' || c == 'n' ||
         c == 'r' || c == 't';
}

bool ends_with(const std::string& w, std::size_t end, std::string_view s) noexcept {
  return end >= s.size() && std::string_view(w).substr(end - s.size(), s.size()) == s;
}

bool has_vowel(const std::string& w, std::size_t end) noexcept {
  for (std::size_t i = 0; i < end; ++i) {
    if (is_vowel(w[i])) return true;
  }
  return false;
}

/// A rule table entry: suffix and what to do with it (meaning depends on the step).
struct Rule {
  std::string_view suffix;
  std::string_view replacement;
  int action;
};

/// Snowball's `among`: the longest listed suffix the word ends with (nullptr if none).
template <std::size_t N>
const Rule* longest_suffix(const std::string& w, const std::array<Rule, N>& rules) noexcept {
  const Rule* best = nullptr;
  for (const Rule& r : rules) {
    if ((best == nullptr || r.suffix.size() > best->suffix.size()) && ends_with(w, w.size(), r.suffix)) best = &r;
  }
  return best;
}

class Stemmer {
 public:
  explicit Stemmer(std::string word) : w_(std::move(word)) {}

  std::string run() && {
    if (exception1()) return std::move(w_);
    if (w_.size() < 3) return std::move(w_);
    prelude();
    mark_regions();
    step_1a();
    step_1b();
    step_1c();
    step_2();
    step_3();
    step_4();
    step_5();
    if (y_found_) {
      for (char& c : w_) {
        if (c == 'Y') c = 'y';
      }
    }
    return std::move(w_);
  }

 private:
  // Whole words with a fixed stem (or left invariant): irregular cases the rules get wrong.
  bool exception1() {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kWords{{
        {"skis", "ski"},     {"skies", "sky"},   {"idly", "idl"},    {"gently", "gentl"}, {"ugly", "ugli"},
        {"early", "earli"},  {"only", "onli"},   {"singly", "singl"}, {"sky", "sky"},     {"news", "news"},
        {"howe", "howe"},    {"atlas", "atlas"}, {"cosmos", "cosmos"}, {"bias", "bias"},  {"andes", "andes"},
    }};
    for (const auto& [word, stem] : kWords) {
      if (w_ == word) {
        w_ = stem;
        return true;
      }
    }
    return false;
  }

  void prelude() {
    if (!w_.empty() && w_[0] == '\'') w_.erase(0, 1);
    // Mark consonant-y (initial, or after a vowel) so it is not taken for a vowel.
    for (std::size_t i = 0; i < w_.size(); ++i) {
      if (w_[i] == 'y' && (i == 0 || is_vowel(w_[i - 1]))) {
        w_[i] = 'Y';
        y_found_ = true;
      }
    }
  }

  // p1 = after the first non-vowel following a vowel (or a listed prefix); p2 = the same again from p1.
  void mark_regions() {
    const std::size_t n = w_.size();
    p1_ = p2_ = n;
    static constexpr std::array<std::string_view, 9> kPrefixes{"arsen", "commun", "emerg", "gener", "inter",
                                                               "later", "organ",  "past",  "univers"};
    std::size_t pos = n + 1;  // "not found"
    for (std::string_view p : kPrefixes) {
      if (std::string_view(w_).starts_with(p)) pos = p.size();
    }
    if (pos > n) {
      pos = after_vowel_then_non_vowel(0);
      if (pos > n) return;
    }
    p1_ = pos;
    const std::size_t q = after_vowel_then_non_vowel(p1_);
    if (q <= n) p2_ = q;
  }

  // Position after the first non-vowel that follows a vowel, starting at `from`; size()+1 if none.
  std::size_t after_vowel_then_non_vowel(std::size_t from) const {
    std::size_t i = from;
    const std::size_t n = w_.size();
    while (i < n && !is_vowel(w_[i])) ++i;
    if (i >= n) return n + 1;
    ++i;
    while (i < n && is_vowel(w_[i])) ++i;
    if (i >= n) return n + 1;
    return i + 1;
  }

  // Does w_[0, end) end in a short syllable?
  bool short_syllable(std::size_t end) const {
    if (end >= 3 && !is_vowel_wxy(w_[end - 1]) && is_vowel(w_[end - 2]) && !is_vowel(w_[end - 3])) return true;
    if (end == 2 && !is_vowel(w_[1]) && is_vowel(w_[0])) return true;
    return ends_with(w_, end, "past");
  }

  void replace_tail(std::size_t start, std::string_view with) {
    w_.resize(start);
    w_.append(with);
  }

  void step_1a() {
    // Step 0: apostrophe endings.
    if (ends_with(w_, w_.size(), "'s'")) {
      w_.resize(w_.size() - 3);
    } else if (ends_with(w_, w_.size(), "'s")) {
      w_.resize(w_.size() - 2);
    } else if (ends_with(w_, w_.size(), "'")) {
      w_.resize(w_.size() - 1);
    }
    const std::size_t n = w_.size();
    if (ends_with(w_, n, "sses")) {
      replace_tail(n - 4, "ss");
    } else if (ends_with(w_, n, "ied") || ends_with(w_, n, "ies")) {
      replace_tail(n - 3, n - 3 >= 2 ? "i" : "ie");  // cries -> cri, ties -> tie
    } else if (ends_with(w_, n, "ss") || ends_with(w_, n, "us")) {
      // unchanged
    } else if (ends_with(w_, n, "s") && n >= 2 && has_vowel(w_, n - 2)) {
      w_.pop_back();  // a vowel not immediately before the s: gaps -> gap, but gas stays
    }
  }

  void step_1b() {
    static constexpr std::array<Rule, 6> kSuffixes{{
        {"eed", "", 1}, {"eedly", "", 1}, {"ed", "", 2}, {"edly", "", 2}, {"ingly", "", 2}, {"ing", "", 3},
    }};
    const Rule* r = longest_suffix(w_, kSuffixes);
    if (r == nullptr) return;
    const std::size_t start = w_.size() - r->suffix.size();
    if (r->action == 1) {
      if (start < p1_) return;
      const std::string_view head = std::string_view(w_).substr(0, start);
      if (head == "proc" || head == "exc" || head == "succ") return;  // proceed, exceed, succeed
      replace_tail(start, "ee");
      return;
    }
    if (r->action == 3 && ing_exception(start)) return;
    if (!has_vowel(w_, start)) return;
    w_.resize(start);
    const std::size_t n = w_.size();
    if (ends_with(w_, n, "at") || ends_with(w_, n, "bl") || ends_with(w_, n, "iz")) {
      w_.push_back('e');  // luxuriat -> luxuriate
      return;
    }
    if (n >= 2 && w_[n - 1] == w_[n - 2]) {
      const char c = w_[n - 1];
      if (c == 'b' || c == 'd' || c == 'f' || c == 'g' || c == 'm' || c == 'n' || c == 'p' || c == 'r' || c == 't') {
        // hopp -> hop, but add/egg/off (a lone a, e or o before the double) stay.
        if (!(n == 3 && (w_[0] == 'a' || w_[0] == 'e' || w_[0] == 'o'))) w_.pop_back();
        return;
      }
    }
    if (p1_ == n && short_syllable(n)) w_.push_back('e');  // hop -> hope
  }

  // The -ing special cases: dying -> die; inning, outing, canning, herring, earring, evening stay.
  // Returns true when the word is done.
  bool ing_exception(std::size_t start) {
    const std::string_view head = std::string_view(w_).substr(0, start);
    for (std::string_view keep : {"inn", "out", "cann", "herr", "earr", "even"}) {
      if (head.ends_with(keep)) return head.size() == keep.size();
    }
    if (head.size() == 2 && head[1] == 'y' && !is_vowel(head[0])) {
      replace_tail(1, "ie");
      return true;
    }
    return false;
  }

  void step_1c() {
    const std::size_t n = w_.size();
    if (n >= 3 && (w_[n - 1] == 'y' || w_[n - 1] == 'Y') && !is_vowel(w_[n - 2])) w_[n - 1] = 'i';
  }

  void step_2() {
    // action: 0 replace, 1 replace if preceded by 'l', 2 delete if preceded by a valid li-ending.
    static constexpr std::array<Rule, 25> kRules{{
        {"tional", "tion", 0}, {"enci", "ence", 0},  {"anci", "ance", 0},    {"abli", "able", 0},
        {"entli", "ent", 0},   {"izer", "ize", 0},   {"ization", "ize", 0},  {"ational", "ate", 0},
        {"ation", "ate", 0},   {"ator", "ate", 0},   {"alism", "al", 0},     {"aliti", "al", 0},
        {"alli", "al", 0},     {"fulness", "ful", 0}, {"ousli", "ous", 0},   {"ousness", "ous", 0},
        {"iveness", "ive", 0}, {"iviti", "ive", 0},  {"biliti", "ble", 0},   {"bli", "ble", 0},
        {"ogist", "og", 0},    {"ogi", "og", 1},     {"fulli", "ful", 0},    {"lessli", "less", 0},
        {"li", "", 2},
    }};
    const Rule* r = longest_suffix(w_, kRules);
    if (r == nullptr) return;
    const std::size_t start = w_.size() - r->suffix.size();
    if (start < p1_) return;
    if (r->action == 1 && (start == 0 || w_[start - 1] != 'l')) return;
    if (r->action == 2 && (start == 0 || !is_valid_li(w_[start - 1]))) return;
    replace_tail(start, r->replacement);
  }

  void step_3() {
    // action 1: only in R2.
    static constexpr std::array<Rule, 9> kRules{{
        {"tional", "tion", 0}, {"ational", "ate", 0}, {"alize", "al", 0}, {"icate", "ic", 0}, {"iciti", "ic", 0},
        {"ical", "ic", 0},     {"ful", "", 0},        {"ness", "", 0},    {"ative", "", 1},
    }};
    const Rule* r = longest_suffix(w_, kRules);
    if (r == nullptr) return;
    const std::size_t start = w_.size() - r->suffix.size();
    if (start < p1_) return;
    if (r->action == 1 && start < p2_) return;
    replace_tail(start, r->replacement);
  }

  void step_4() {
    // action 1: delete only after s or t.
    static constexpr std::array<Rule, 18> kRules{{
        {"al", "", 0},   {"ance", "", 0}, {"ence", "", 0}, {"er", "", 0},   {"ic", "", 0},   {"able", "", 0},
        {"ible", "", 0}, {"ant", "", 0},  {"ement", "", 0}, {"ment", "", 0}, {"ent", "", 0},  {"ism", "", 0},
        {"ate", "", 0},  {"iti", "", 0},  {"ous", "", 0},  {"ive", "", 0},  {"ize", "", 0},  {"ion", "", 1},
    }};
    const Rule* r = longest_suffix(w_, kRules);
    if (r == nullptr) return;
    const std::size_t start = w_.size() - r->suffix.size();
    if (start < p2_) return;
    if (r->action == 1 && (start == 0 || (w_[start - 1] != 's' && w_[start - 1] != 't'))) return;
    w_.resize(start);
  }

  void step_5() {
    const std::size_t n = w_.size();
    if (n == 0) return;
    const std::size_t start = n - 1;
    if (w_[start] == 'e') {
      if (start >= p2_ || (start >= p1_ && !short_syllable(start))) w_.pop_back();
    } else if (w_[start] == 'l') {
      if (start >= p2_ && start >= 1 && w_[start - 1] == 'l') w_.pop_back();
    }
  }

  std::string w_;
  std::size_t p1_ = 0;
  std::size_t p2_ = 0;
  bool y_found_ = false;
};

}  // namespace

std::string english_stem(std::string_view word) {
  std::string w(word);
  for (char& c : w) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return std::string(word);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Stemmer(std::move(w)).run();
}

}  // namespace vesper
