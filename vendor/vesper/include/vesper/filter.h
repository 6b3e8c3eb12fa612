// Metadata filters: the AST, its parsers (filter JSON and the `key=value` shorthand) and its canonical
// JSON form. Evaluation against documents lives in metadata_index.h.
//
// ─── Filter JSON grammar ─────────────────────────────────────────────────────────────────────────────
// Canonical forms (each object has exactly the listed keys; unknown keys are errors):
//   {"term":   {"field": F, "value": V}}                          V: string | number | boolean
//   {"range":  {"field": F, "min": N?, "max": N?, "minInclusive": bool?, "maxInclusive": bool?}}
//              at least one bound; inclusive flags default to true and need their bound; min ≤ max
//              (min == max only when both ends are inclusive)
//   {"prefix": {"field": F, "value": S}}
//   {"exists": {"field": F}}
//   {"and": [X, …]}   {"and": []} matches every live document
//   {"or":  [X, …]}   {"or": []} matches none
//   {"not": X}        live documents not matching X (documents lacking the field match)
// Short form:    {"F": V, "G": W}           equality; several keys = and; {} = all
// Operator form: {"F": {"$eq": V, "$ne": V, "$in": [V…], "$nin": [V…], "$lt": N, "$lte": N, "$gt": N,
//                       "$gte": N, "$prefix": S, "$exists": bool}}
//                several operators on one field = and; "$exists": false = not exists;
//                $ne / $nin match documents lacking the field (they lower to not(…)).
// Reserved-word rule (no guessing from shape): a key spelled term, range, prefix, exists, and, or, not
// is ALWAYS that canonical operator, and it must then be the only key of its object. A metadata field
// literally named "and" (etc.) is reachable only through canonical forms:
// {"term":{"field":"and","value":1}}. Likewise a key starting with '$' is never a field name in the
// short form (it is an operator out of place); use the canonical forms for such fields.
// Duplicate keys anywhere in a filter object are errors. Numbers must be finite (the JSON reader turns
// 1e999 into infinity, which filters reject). Field names are 1..256 bytes.
// Every error is Error kInvalidArgument, component "filter", message "<JSONPath>: <problem>", e.g.
// "$.and[2].range.min: expected number, got string". A filter is never silently turned into
// "match nothing".
//
// ─── Key=value shorthand (CLI --filter-kv) ───────────────────────────────────────────────────────────
//   type=text,lang=ts     = and of equalities, in the order given ("" or only blanks = all)
// Pairs split on unescaped ','; key and value split on the first unescaped '=' (later '=' belong to
// the value). Escapes: \, \= \\ and "\ " (a space that is not trimmed); any other escape is an error.
// Unescaped blanks around keys and values are trimmed. Empty pairs, empty keys and empty values are
// errors ("filter kv at pair 2 ('lang'): expected key=value"). Keys are always field names: this form
// has no reserved words and no operators.
// Leniency: a value that reads as a JSON number (3, -2.5, 1e3) or as true/false matches the string
// AND that number/boolean: priority=3 lowers to or(term(priority,"3"), term(priority,3)). The lowering
// is plain AST, so describe() shows exactly what will be evaluated and it round-trips through JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vesper/json.h"

namespace vesper {

/// Limits shared with metadata validation: a filter that exceeds them could never match anything,
/// so it is rejected rather than silently matching nothing.
inline constexpr std::size_t kMaxFieldNameBytes = 256;
inline constexpr std::size_t kMaxStringValueBytes = 64 * 1024;
/// Deepest filter evaluate() accepts (parsed filters are bounded by the JSON depth limit anyway).
inline constexpr std::size_t kMaxFilterDepth = 512;

/// A numeric operand: an exact integer or a finite double. Integers and doubles compare numerically
/// and exactly with each other (int64 values above 2^53 are not rounded).
using Number = std::variant<std::int64_t, double>;

/// Exact three-way numeric comparison: negative, zero or positive. Operands must not be NaN.
int compare_numbers(const Number& a, const Number& b) noexcept;

/// The value of a term (equality) test.
using TermValue = std::variant<std::string, std::int64_t, double, bool>;

struct Filter {
  enum class Kind { kAll, kNone, kTerm, kRange, kPrefix, kExists, kAnd, kOr, kNot };

  Kind kind = Kind::kAll;
  std::string field;                   // kTerm, kRange, kPrefix, kExists
  TermValue value;                     // kTerm; kPrefix holds the prefix (a string)
  std::optional<Number> min, max;      // kRange
  bool min_inclusive = true;           // kRange
  bool max_inclusive = true;           // kRange
  std::vector<Filter> children;        // kAnd, kOr; kNot has exactly one

  // Core constructors.
  static Filter all();
  static Filter none();
  static Filter term(std::string field, TermValue value);
  static Filter range(std::string field, std::optional<Number> min, std::optional<Number> max,
                      bool min_inclusive = true, bool max_inclusive = true);
  static Filter prefix(std::string field, std::string prefix);
  static Filter exists(std::string field);
  static Filter all_of(std::vector<Filter> children);  // and
  static Filter any_of(std::vector<Filter> children);  // or
  static Filter negate(Filter child);                  // not

  // Sugar, lowered to the core kinds.
  static Filter eq(std::string field, TermValue value);                  // term
  static Filter ne(std::string field, TermValue value);                  // not(term)
  static Filter in(std::string field, std::vector<TermValue> values);    // or(terms)
  static Filter nin(std::string field, std::vector<TermValue> values);   // not(or(terms))
  static Filter lt(std::string field, Number n);                         // range(max, exclusive)
  static Filter lte(std::string field, Number n);                        // range(max, inclusive)
  static Filter gt(std::string field, Number n);                         // range(min, exclusive)
  static Filter gte(std::string field, Number n);                        // range(min, inclusive)
  static Filter between(std::string field, Number lo, Number hi);        // range, both inclusive
};

/// Parses filter JSON (grammar above). Syntax errors in the JSON itself keep the JSON reader's
/// message ("json at offset N: …") but are raised with component "filter".
Filter parse_filter_json(std::string_view json);

/// Converts an already parsed JSON document (same grammar and errors as parse_filter_json).
Filter filter_from_json(const JsonValue& root);

/// Parses the key=value shorthand (rules above). Errors: "filter kv at pair N ('<pair>'): …".
Filter parse_filter_kv(std::string_view text);

/// Dispatches: empty or blank → all; first non-blank character '{' or '[' → JSON; else key=value.
Filter parse_filter(std::string_view text);

/// Structural checks for filters built in code (parsers never produce invalid ones): field names
/// 1..256 bytes of UTF-8, finite numbers, string operands ≤ 64 KiB, prefix operand a string, range with
/// a bound, not with exactly one child, depth ≤ kMaxFilterDepth. Errors name the node in canonical
/// JSONPath form ("$.and[1].range.min: expected a finite number").
void validate_filter(const Filter& filter);

/// The canonical JSON DOM of a filter (all → {"and":[]}, none → {"or":[]}; range writes only the
/// bounds present, each with its inclusive flag).
JsonValue filter_to_json(const Filter& filter);

/// Canonical compact JSON text: to_json(filter_to_json(filter)). Deterministic; parse_filter_json
/// reads it back to an equivalent filter.
std::string describe(const Filter& filter);

}  // namespace vesper
