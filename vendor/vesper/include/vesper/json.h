// A strict RFC 8259 JSON reader and writer with a small DOM, so the engine needs no third-party JSON
// library. Used for filter JSON and for returning metadata/payloads from the binding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vesper {

/// One JSON value. Objects keep their members in document order and keep duplicate keys, so callers
/// (the filter parser) can see and reject them instead of silently taking the first or last one.
class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Array = std::vector<JsonValue>;
  using Member = std::pair<std::string, JsonValue>;
  using Object = std::vector<Member>;

  JsonValue() noexcept = default;  // null
  explicit JsonValue(bool b) noexcept : kind_(Kind::kBool), bool_(b) {}
  explicit JsonValue(double d) noexcept : kind_(Kind::kNumber), number_(d) {}
  /// An exact integer: as_number() is its (possibly rounded) double, as_int64() the exact value.
  explicit JsonValue(std::int64_t i) noexcept
      : kind_(Kind::kNumber), is_integer_(true), number_(static_cast<double>(i)), integer_(i) {}
  explicit JsonValue(int i) noexcept : JsonValue(static_cast<std::int64_t>(i)) {}  // JsonValue(0) is unambiguous
  explicit JsonValue(std::string s) : kind_(Kind::kString), string_(std::move(s)) {}
  explicit JsonValue(std::string_view s) : JsonValue(std::string(s)) {}
  explicit JsonValue(const char* s) : JsonValue(std::string(s)) {}
  explicit JsonValue(Array a) : kind_(Kind::kArray), array_(std::move(a)) {}
  explicit JsonValue(Object o) : kind_(Kind::kObject), object_(std::move(o)) {}

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::kNull; }
  bool is_bool() const noexcept { return kind_ == Kind::kBool; }
  bool is_number() const noexcept { return kind_ == Kind::kNumber; }
  bool is_string() const noexcept { return kind_ == Kind::kString; }
  bool is_array() const noexcept { return kind_ == Kind::kArray; }
  bool is_object() const noexcept { return kind_ == Kind::kObject; }
  /// True for a number written as an integer literal (no fraction or exponent) that fits in int64,
  /// or constructed from an int64. Lets ids and counts above 2^53 survive exactly.
  bool is_integer() const noexcept { return is_integer_; }

  /// Accessors; calling one for the wrong kind throws Error kInvalidArgument component "json".
  bool as_bool() const;
  double as_number() const;
  std::int64_t as_int64() const;  // requires is_integer()
  const std::string& as_string() const;
  const Array& as_array() const;
  const Object& as_object() const;
  Array& as_array();
  Object& as_object();

  /// The first member named `key`, or null when absent (or when this is not an object).
  const JsonValue* find(std::string_view key) const noexcept;

  /// Structural equality (object member order matters; numbers compare by value).
  friend bool operator==(const JsonValue& a, const JsonValue& b);

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  bool is_integer_ = false;
  double number_ = 0;
  std::int64_t integer_ = 0;
  std::string string_;
  Array array_;
  Object object_;
};

/// "null", "boolean", "number", "string", "array", "object".
const char* json_kind_name(JsonValue::Kind kind) noexcept;

/// Maximum nesting of arrays/objects parse_json accepts (bounds the parser's recursion).
inline constexpr std::size_t kJsonMaxDepth = 256;

/// Parses exactly one JSON text (RFC 8259): no comments, no trailing commas, no BOM, strings must be
/// valid UTF-8, escapes including \uXXXX surrogate pairs are decoded to UTF-8, lone surrogates are
/// rejected. A number outside double's range becomes ±infinity (like JavaScript) or ±0 on underflow.
/// Errors: Error kInvalidArgument, component "json", message
/// "json at offset N: expected X, got Y" (N is a byte offset into `text`).
JsonValue parse_json(std::string_view text);

/// Compact, deterministic serialisation: members in stored order, numbers in the shortest form that
/// round-trips (integers exactly), strings with only the escapes JSON requires (", \, control
/// characters). Invalid UTF-8 in a string is replaced by U+FFFD so the output is always valid JSON;
/// ±infinity is written as ±1e999 (parse_json reads it back as ±infinity) and NaN as null.
std::string to_json(const JsonValue& value);

/// Appends `s` as a JSON string literal (with quotes) to `out`.
void append_json_string(std::string& out, std::string_view s);

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace vesper
