#include "vesper/json.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "vesper/error.h"

namespace vesper {
namespace {

[[noreturn]] void wrong_kind(JsonValue::Kind want, JsonValue::Kind got) {
  throw_invalid("json", std::string("expected ") + json_kind_name(want) + ", got " + json_kind_name(got));
}

/// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when it is malformed.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07u;
  } else {
    return 0;  // continuation byte, overlong lead (C0/C1) or beyond U+10FFFF (F5..FF)
  }
  if (s.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return n;
}

void append_utf8(std::string& out, std::uint32_t cp) {
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

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  JsonValue parse_document() {
    skip_ws();
    JsonValue v = parse_value(0);
    skip_ws();
    if (pos_ != s_.size()) fail(pos_, "expected end of input");
    return v;
  }

 private:
  [[noreturn]] void fail(std::size_t at, std::string_view what) const {
    std::string msg = "json at offset " + std::to_string(at) + ": " + std::string(what) + ", got ";
    if (at >= s_.size()) {
      msg += "end of input";
    } else {
      const auto c = static_cast<unsigned char>(s_[at]);
      if (c >= 0x20 && c < 0x7F) {
        msg += '\'';
        msg += static_cast<char>(c);
        msg += '\'';
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        msg += "byte 0x";
        msg += kHex[c >> 4];
        msg += kHex[c & 15];
      }
    }
    throw_invalid("json", msg);
  }

  bool at_end() const noexcept { return pos_ >= s_.size(); }
  char peek() const noexcept { return at_end() ? '\0' : s_[pos_]; }

  void skip_ws() noexcept {
    while (!at_end()) {
      const char c = s_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  JsonValue parse_value(std::size_t depth) {
    if (at_end()) fail(pos_, "expected a JSON value");
    switch (s_[pos_]) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': return JsonValue(parse_string());
      case 't': literal("true"); return JsonValue(true);
      case 'f': literal("false"); return JsonValue(false);
      case 'n': literal("null"); return JsonValue();
      default:
        if (s_[pos_] == '-' || is_digit(s_[pos_])) return parse_number();
        fail(pos_, "expected a JSON value");
    }
  }

  void literal(std::string_view word) {
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (pos_ + i >= s_.size() || s_[pos_ + i] != word[i]) {
        fail(pos_ + i, "expected '" + std::string(word) + "'");
      }
    }
    pos_ += word.size();
  }

  void check_depth(std::size_t depth) const {
    // Bounded recursion: hostile input such as 100 000 '[' must not overflow the stack.
    if (depth > kJsonMaxDepth) fail(pos_, "expected nesting no deeper than " + std::to_string(kJsonMaxDepth));
  }

  JsonValue parse_array(std::size_t depth) {
    check_depth(depth);
    ++pos_;  // '['
    JsonValue::Array items;
    skip_ws();
    if (peek() == ']') {
      ++pos_;
      return JsonValue(std::move(items));
    }
    for (;;) {
      skip_ws();
      items.push_back(parse_value(depth));
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return JsonValue(std::move(items));
      }
      fail(pos_, "expected ',' or ']'");
    }
  }

  JsonValue parse_object(std::size_t depth) {
    check_depth(depth);
    ++pos_;  // '{'
    JsonValue::Object members;
    skip_ws();
    if (peek() == '}') {
      ++pos_;
      return JsonValue(std::move(members));
    }
    for (;;) {
      skip_ws();
      if (peek() != '"') fail(pos_, "expected a string key");
      std::string key = parse_string();
      skip_ws();
      if (peek() != ':') fail(pos_, "expected ':'");
      ++pos_;
      skip_ws();
      JsonValue value = parse_value(depth);
      members.emplace_back(std::move(key), std::move(value));
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return JsonValue(std::move(members));
      }
      fail(pos_, "expected ',' or '}'");
    }
  }

  std::uint32_t hex4(std::size_t at) const {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      if (at + i >= s_.size()) fail(at + i, "expected 4 hex digits after \\u");
      const char c = s_[at + i];
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9') {
        d = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        fail(at + i, "expected 4 hex digits after \\u");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (at_end()) fail(pos_, "expected '\"' to close the string");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail(pos_, "expected an escape (\\n, \\u00XX, …) instead of a raw control character");
      if (c == '\\') {
        parse_escape(out);
        continue;
      }
      const std::size_t n = utf8_sequence_length(s_, pos_);
      if (n == 0) fail(pos_, "expected valid UTF-8");
      out.append(s_.data() + pos_, n);
      pos_ += n;
    }
  }

  void parse_escape(std::string& out) {
    const std::size_t start = pos_;
    ++pos_;  // backslash
    if (at_end()) fail(pos_, "expected an escape character");
    const char e = s_[pos_++];
    switch (e) {
      case '"': out.push_back('"'); return;
      case '\\': out.push_back('\\'); return;
      case '/': out.push_back('/'); return;
      case 'b': out.push_back('\b'); return;
      case 'f': out.push_back('\f'); return;
      case 'n': out.push_back('\n'); return;
      case 'r': out.push_back('\r'); return;
      case 't': out.push_back('\t'); return;
      case 'u': break;
      default: fail(pos_ - 1, "expected one of \" \\ / b f n r t u after '\\'");
    }
    std::uint32_t cp = hex4(pos_);
    pos_ += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail(start, "expected a high surrogate before a low surrogate escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (pos_ + 1 >= s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u') {
        fail(pos_, "expected a \\uDC00-\\uDFFF low surrogate escape after a high surrogate");
      }
      const std::uint32_t lo = hex4(pos_ + 2);
      if (lo < 0xDC00 || lo > 0xDFFF) {
        fail(pos_, "expected a \\uDC00-\\uDFFF low surrogate escape after a high surrogate");
      }
      pos_ += 6;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    append_utf8(out, cp);
  }

  JsonValue parse_number() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    const std::size_t int_start = pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (is_digit(peek())) {
      while (is_digit(peek())) ++pos_;
    } else {
      fail(pos_, "expected a digit");
    }
    const std::size_t int_end = pos_;
    bool integral = true;
    std::size_t frac_start = pos_, frac_end = pos_;
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!is_digit(peek())) fail(pos_, "expected a digit after '.'");
      frac_start = pos_;
      while (is_digit(peek())) ++pos_;
      frac_end = pos_;
    }
    long long exponent = 0;
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      bool neg = false;
      if (peek() == '+' || peek() == '-') neg = s_[pos_++] == '-';
      if (!is_digit(peek())) fail(pos_, "expected a digit in the exponent");
      while (is_digit(peek())) {
        // Saturate: only the sign and rough size matter once the value is out of double's range.
        if (exponent < 1000000000) exponent = exponent * 10 + (s_[pos_] - '0');
        ++pos_;
      }
      if (neg) exponent = -exponent;
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + pos_;
    const bool negative = s_[start] == '-';
    if (integral && !(negative && int_end - int_start == 1 && s_[int_start] == '0')) {
      std::int64_t i = 0;
      auto [p, ec] = std::from_chars(first, last, i);
      if (ec == std::errc() && p == last) return JsonValue(i);
      // Beyond int64: fall through to double.
    }
    double d = 0;
    auto [p, ec] = std::from_chars(first, last, d);
    if (ec == std::errc::result_out_of_range) {
      // Decide overflow vs underflow from the decimal exponent of the first significant digit.
      long long first_sig = -1;  // position among int+frac digits
      long long idx = 0;
      for (std::size_t k = int_start; k < int_end && first_sig < 0; ++k, ++idx) {
        if (s_[k] != '0') first_sig = idx;
      }
      for (std::size_t k = frac_start; k < frac_end && first_sig < 0; ++k, ++idx) {
        if (s_[k] != '0') first_sig = idx;
      }
      const long long int_digits = static_cast<long long>(int_end - int_start);
      const long long magnitude = first_sig < 0 ? -1 : (int_digits - 1 - first_sig) + exponent;
      d = magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
      if (negative) d = -d;
    } else if (ec != std::errc() || p != last) {
      fail(start, "expected a number");  // unreachable after the grammar check; kept for safety
    }
    return JsonValue(d);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

void append_number(std::string& out, const JsonValue& v) {
  char buf[64];
  if (v.is_integer()) {
    auto r = std::to_chars(buf, buf + sizeof buf, v.as_int64());
    out.append(buf, r.ptr);
    return;
  }
  const double d = v.as_number();
  if (std::isnan(d)) {
    out += "null";
  } else if (std::isinf(d)) {
    out += d > 0 ? "1e999" : "-1e999";
  } else {
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
  }
}

void append_value(std::string& out, const JsonValue& v) {
  switch (v.kind()) {
    case JsonValue::Kind::kNull: out += "null"; return;
    case JsonValue::Kind::kBool: out += v.as_bool() ? "true" : "false"; return;
    case JsonValue::Kind::kNumber: append_number(out, v); return;
    case JsonValue::Kind::kString: append_json_string(out, v.as_string()); return;
    case JsonValue::Kind::kArray: {
      out.push_back('[');
      bool first = true;
      for (const JsonValue& item : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_value(out, item);
      }
      out.push_back(']');
      return;
    }
    case JsonValue::Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.as_object()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, key);
        out.push_back(':');
        append_value(out, item);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

bool JsonValue::as_bool() const {
  if (kind_ != Kind::kBool) wrong_kind(Kind::kBool, kind_);
  return bool_;
}
double JsonValue::as_number() const {
  if (kind_ != Kind::kNumber) wrong_kind(Kind::kNumber, kind_);
  return number_;
}
std::int64_t JsonValue::as_int64() const {
  if (kind_ != Kind::kNumber) wrong_kind(Kind::kNumber, kind_);
  if (!is_integer_) throw_invalid("json", "expected an integer, got a non-integer number");
  return integer_;
}
const std::string& JsonValue::as_string() const {
  if (kind_ != Kind::kString) wrong_kind(Kind::kString, kind_);
  return string_;
}
const JsonValue::Array& JsonValue::as_array() const {
  if (kind_ != Kind::kArray) wrong_kind(Kind::kArray, kind_);
  return array_;
}
const JsonValue::Object& JsonValue::as_object() const {
  if (kind_ != Kind::kObject) wrong_kind(Kind::kObject, kind_);
  return object_;
}
JsonValue::Array& JsonValue::as_array() {
  if (kind_ != Kind::kArray) wrong_kind(Kind::kArray, kind_);
  return array_;
}
JsonValue::Object& JsonValue::as_object() {
  if (kind_ != Kind::kObject) wrong_kind(Kind::kObject, kind_);
  return object_;
}

const JsonValue* JsonValue::find(std::string_view key) const noexcept {
  if (kind_ != Kind::kObject) return nullptr;
  for (const auto& [k, v] : object_) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool operator==(const JsonValue& a, const JsonValue& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case JsonValue::Kind::kNull: return true;
    case JsonValue::Kind::kBool: return a.bool_ == b.bool_;
    case JsonValue::Kind::kNumber:
      return a.is_integer_ && b.is_integer_ ? a.integer_ == b.integer_ : a.number_ == b.number_;
    case JsonValue::Kind::kString: return a.string_ == b.string_;
    case JsonValue::Kind::kArray: return a.array_ == b.array_;
    case JsonValue::Kind::kObject: return a.object_ == b.object_;
  }
  return false;
}

const char* json_kind_name(JsonValue::Kind kind) noexcept {
  switch (kind) {
    case JsonValue::Kind::kNull: return "null";
    case JsonValue::Kind::kBool: return "boolean";
    case JsonValue::Kind::kNumber: return "number";
    case JsonValue::Kind::kString: return "string";
    case JsonValue::Kind::kArray: return "array";
    case JsonValue::Kind::kObject: return "object";
  }
  return "null";
}

JsonValue parse_json(std::string_view text) { return Parser(text).parse_document(); }

std::string to_json(const JsonValue& value) {
  std::string out;
  append_value(out, value);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD: keep the output valid JSON whatever the input bytes
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace vesper
