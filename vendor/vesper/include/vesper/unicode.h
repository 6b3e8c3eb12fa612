// The Unicode character data the analyzer needs, from tables generated out of the Unicode Character
// Database (tools/gen-unicode-tables.mjs; src/unicode_tables.inc), compiled into the engine: no ICU or
// other shared library at run time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vesper::unicode {

/// How a code point behaves in a token.
enum class Kind : std::uint8_t {
  kSeparator = 0,  // spaces, punctuation and symbols of every script (؟ ، ؛ । 。 …), controls, unassigned
  kWord = 1,       // letters, marks and numbers
  kJoiner = 2,     // invisible: zero-width (non-)joiners, variation selectors, soft hyphen, skin tones
  kEmoji = 3,      // Extended_Pictographic
  kRegional = 4,   // regional indicators (pairs are flags)
};

/// Scripts written without spaces between words, indexed as overlapping bigrams. kCjk covers Han,
/// Hiragana, Katakana, Hangul and Bopomofo; the others are the scripts whose line breaking needs a
/// dictionary (Line_Break = SA).
enum class Group : std::uint8_t { kNone = 0, kCjk = 1, kThai = 2, kLao = 3, kKhmer = 4, kMyanmar = 5, kOtherSA = 6 };

struct CharInfo {
  std::uint8_t ccc;  // canonical combining class
  Kind kind;
  Group group;       // kNone unless a letter of such a script
  bool upper;        // Lu or Lt
  bool digit;        // Nd
  bool mark;         // M*
};

CharInfo info(char32_t cp) noexcept;

/// Appends the search folding of `cp` to `out`: NFKC_Casefold (NFKC, full case folding, default
/// ignorables removed), canonically decomposed, minus the generic combining diacritics (accent
/// folding: é → e, ё → е, أ → ا; kana voicing marks, Indic and Thai marks stay). May append nothing.
void append_folded(char32_t cp, std::u32string& out);

/// Canonical ordering then canonical composition (NFC's second half), in place.
void compose(std::u32string& s);

/// The folded, composed form of a code point sequence (what an index term is made of).
std::u32string fold(std::u32string_view cps);

/// Decodes one code point at s[i] and advances i; malformed UTF-8 yields kInvalid and advances one byte.
inline constexpr char32_t kInvalid = 0xFFFFFFFF;
char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept;
void append_utf8(std::string& out, char32_t cp);

}  // namespace vesper::unicode
