// Text analysis for BM25: UTF-8 text -> index terms. Documents and queries go through the same analyzer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vesper {

/// kDefault: split on whitespace, ASCII punctuation and common Unicode spaces/punctuation; case-fold;
///           keep tokens of 2..50 bytes (UTF-8, after folding); drop the English stop list.
/// kCode:    kDefault, plus identifiers are also split into their words (camelCase, PascalCase,
///           snake_case, kebab-case, letter/digit and ACRONYMWord boundaries), keeping the whole
///           lowercased identifier as well: "parseHTTPResponse" -> parse, http, response,
///           parsehttpresponse.
/// kEnglish: kDefault, then each ASCII term is reduced by the Porter2 (Snowball English) stemmer.
enum class AnalyzerKind { kDefault, kCode, kEnglish };

/// "default" | "code" | "english" (ASCII case-insensitive). Anything else throws Error
/// kInvalidArgument, component "bm25", naming the value.
AnalyzerKind parse_analyzer(std::string_view name);

/// "default" | "code" | "english".
const char* analyzer_name(AnalyzerKind kind) noexcept;

/// The 45-word English stop list of the original Vesper design (lowercase, ASCII).
bool is_stop_word(std::string_view term) noexcept;

/// Terms of `utf8_text`, in text order, repeats kept (BM25 counts them).
///
/// Case folding covers ASCII, Latin-1 Supplement, Latin Extended-A, Latin Extended Additional, Greek,
/// Cyrillic, Armenian and fullwidth Latin (simple case folding, so final sigma folds to sigma and
/// "ΟΔΟΣ" matches "οδος"). Other scripts pass through unchanged. Invalid UTF-8 (stray continuation
/// bytes, truncated or overlong sequences, surrogates, code points above U+10FFFF) never fails: each
/// invalid byte acts as a separator, so the valid text around it is still indexed.
std::vector<std::string> analyze(AnalyzerKind kind, std::string_view utf8_text);

}  // namespace vesper
