// Text analysis for BM25: UTF-8 text -> index terms. Documents and queries go through the same analyzer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vesper {

/// Every analyzer first splits text into words the same way, for all scripts:
///   - a word is a run of letters, marks and digits (Unicode general categories L, M, N); every other
///     character separates words: spaces, punctuation and symbols of any script (so "؟ ، ؛ ।" and
///     "。" split like ASCII punctuation), and invalid UTF-8 bytes;
///   - scripts written without spaces (Han, Hiragana, Katakana, Hangul, Bopomofo, Thai, Lao, Khmer,
///     Myanmar, …) become overlapping bigrams of their characters (a character with its marks), a lone
///     character a unigram: there is no length cut-off;
///   - an emoji (with its ZWJ sequence, variation selector and skin tone) or a flag is a term;
///   - each term is folded: NFKC, full case folding, default-ignorables (zero-width joiners, soft
///     hyphens, variation selectors) removed, generic accents removed ("Café" → "cafe", "Ёлка" →
///     "елка"); kana voicing marks and script-specific marks (Indic, Thai, Hebrew) are kept;
///   - words of one letter or digit are kept; a word longer than 64 code points is cut into pieces of 64;
///   - the English stop list (is_stop_word) is dropped.
/// kDefault: just that.
/// kCode:    also splits identifiers into their words (camelCase, PascalCase, snake_case, kebab-case,
///           letter/digit and ACRONYMWord boundaries), keeping the whole lowercased identifier as well:
///           "parseHTTPResponse" -> parse, http, response, parsehttpresponse.
/// kEnglish: kDefault, then each ASCII term is reduced by the Porter2 (Snowball English) stemmer.
enum class AnalyzerKind { kDefault, kCode, kEnglish };

/// Version of analyze()'s output. A persisted text index records it; one built by another version is
/// rebuilt from the stored texts on load. 1: ASCII-oriented splitting (before Unicode analysis).
inline constexpr std::uint32_t kAnalyzerVersion = 2;

/// "default" | "code" | "english" (ASCII case-insensitive). Anything else throws Error
/// kInvalidArgument, component "bm25", naming the value.
AnalyzerKind parse_analyzer(std::string_view name);

/// "default" | "code" | "english".
const char* analyzer_name(AnalyzerKind kind) noexcept;

/// The 45-word English stop list of the original Vesper design (lowercase, ASCII).
bool is_stop_word(std::string_view term) noexcept;

/// Terms of `utf8_text`, in text order, repeats kept (BM25 counts them). Never fails: invalid UTF-8
/// separates words, so the valid text around it is still indexed.
std::vector<std::string> analyze(AnalyzerKind kind, std::string_view utf8_text);

}  // namespace vesper
