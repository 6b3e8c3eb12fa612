#include "vesper/filter.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

#include "vesper/error.h"

namespace vesper {
namespace {

constexpr std::string_view kOperatorList = "$eq, $ne, $in, $nin, $lt, $lte, $gt, $gte, $prefix, $exists";

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw_invalid("filter", path + ": " + problem);
}

std::string got(const JsonValue& v) { return std::string(", got ") + json_kind_name(v.kind()); }

bool ident_char(char c, bool first) noexcept {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  return alpha || (!first && c >= '0' && c <= '9');
}

/// JSONPath member segment: .name for identifier-like keys, ["…"] (JSON-escaped) otherwise.
std::string key_segment(std::string_view key) {
  bool ident = !key.empty();
  for (std::size_t i = 0; i < key.size() && ident; ++i) ident = ident_char(key[i], i == 0);
  if (ident) return "." + std::string(key);
  std::string s = "[";
  append_json_string(s, key);
  s += "]";
  return s;
}

std::string index_segment(std::size_t i) { return "[" + std::to_string(i) + "]"; }

bool is_reserved(std::string_view key) noexcept {
  return key == "term" || key == "range" || key == "prefix" || key == "exists" || key == "and" || key == "or" ||
         key == "not";
}

void check_field_name(std::string_view name, const std::string& path) {
  if (name.empty()) fail(path, "empty field name");
  if (name.size() > kMaxFieldNameBytes) {
    fail(path, "field name longer than " + std::to_string(kMaxFieldNameBytes) + " bytes");
  }
  if (!is_valid_utf8(name)) fail(path, "field name is not valid UTF-8");
}

void check_string_operand(std::string_view s, const std::string& path) {
  if (s.size() > kMaxStringValueBytes) {
    fail(path, "string longer than " + std::to_string(kMaxStringValueBytes) + " bytes");
  }
  if (!is_valid_utf8(s)) fail(path, "string is not valid UTF-8");
}

void check_unique_keys(const JsonValue::Object& obj, const std::string& path) {
  std::set<std::string_view> seen;
  for (const auto& [key, value] : obj) {
    if (!seen.insert(key).second) fail(path + key_segment(key), "duplicate key");
  }
}

Number number_at(const JsonValue& v, const std::string& path) {
  if (!v.is_number()) fail(path, "expected number" + got(v));
  if (v.is_integer()) return v.as_int64();
  const double d = v.as_number();
  if (!std::isfinite(d)) fail(path, "expected a finite number");
  return d;
}

TermValue scalar_at(const JsonValue& v, const std::string& path, std::string_view expected) {
  switch (v.kind()) {
    case JsonValue::Kind::kString:
      check_string_operand(v.as_string(), path);
      return v.as_string();
    case JsonValue::Kind::kBool: return v.as_bool();
    case JsonValue::Kind::kNumber: {
      Number n = number_at(v, path);
      if (const auto* i = std::get_if<std::int64_t>(&n)) return *i;
      return std::get<double>(n);
    }
    default: fail(path, "expected " + std::string(expected) + got(v));
  }
}

TermValue scalar_at(const JsonValue& v, const std::string& path) {
  return scalar_at(v, path, "string, number or boolean");
}

std::string string_at(const JsonValue& v, const std::string& path) {
  if (!v.is_string()) fail(path, "expected string" + got(v));
  return v.as_string();
}

std::string field_at(const JsonValue& v, const std::string& path) {
  std::string name = string_at(v, path);
  check_field_name(name, path);
  return name;
}

/// The body of a canonical operator: an object with only `allowed` keys, each at most once.
/// Returns the values in the order of `allowed` (null where absent).
std::vector<const JsonValue*> canonical_body(const JsonValue& v, const std::string& path,
                                             std::initializer_list<std::string_view> allowed) {
  if (!v.is_object()) fail(path, "expected object" + got(v));
  const auto& obj = v.as_object();
  check_unique_keys(obj, path);
  std::vector<const JsonValue*> out(allowed.size(), nullptr);
  for (const auto& [key, value] : obj) {
    std::size_t i = 0;
    for (std::string_view name : allowed) {
      if (key == name) break;
      ++i;
    }
    if (i == allowed.size()) {
      std::string list;
      for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      fail(path + key_segment(key), "unknown key (expected one of " + list + ")");
    }
    out[i] = &value;
  }
  return out;
}

const JsonValue& required(const JsonValue* v, const std::string& path, std::string_view key) {
  if (v == nullptr) fail(path, "missing key \"" + std::string(key) + "\"");
  return *v;
}

Filter parse_node(const JsonValue& v, const std::string& path);

Filter parse_list(const JsonValue& v, const std::string& path, bool is_and) {
  if (!v.is_array()) fail(path, "expected array" + got(v));
  std::vector<Filter> children;
  const auto& items = v.as_array();
  children.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) children.push_back(parse_node(items[i], path + index_segment(i)));
  return is_and ? Filter::all_of(std::move(children)) : Filter::any_of(std::move(children));
}

Filter parse_range(const JsonValue& v, const std::string& path) {
  auto b = canonical_body(v, path, {"field", "min", "max", "minInclusive", "maxInclusive"});
  std::string field = field_at(required(b[0], path, "field"), path + ".field");
  std::optional<Number> min, max;
  if (b[1] != nullptr) min = number_at(*b[1], path + ".min");
  if (b[2] != nullptr) max = number_at(*b[2], path + ".max");
  if (!min && !max) fail(path, "expected at least one of \"min\", \"max\"");
  bool min_inclusive = true, max_inclusive = true;
  if (b[3] != nullptr) {
    if (!b[3]->is_bool()) fail(path + ".minInclusive", "expected boolean" + got(*b[3]));
    if (!min) fail(path + ".minInclusive", "given without \"min\"");
    min_inclusive = b[3]->as_bool();
  }
  if (b[4] != nullptr) {
    if (!b[4]->is_bool()) fail(path + ".maxInclusive", "expected boolean" + got(*b[4]));
    if (!max) fail(path + ".maxInclusive", "given without \"max\"");
    max_inclusive = b[4]->as_bool();
  }
  if (min && max) {
    // An inverted range is a mistake in the filter, not a request for nothing.
    const int c = compare_numbers(*min, *max);
    if (c > 0) fail(path, "min is greater than max");
    if (c == 0 && !(min_inclusive && max_inclusive)) fail(path, "empty range (min equals max, a bound is exclusive)");
  }
  return Filter::range(std::move(field), min, max, min_inclusive, max_inclusive);
}

Filter parse_canonical(const std::string& op, const JsonValue& body, const std::string& path) {
  if (op == "and" || op == "or") return parse_list(body, path, op == "and");
  if (op == "not") return Filter::negate(parse_node(body, path));
  if (op == "range") return parse_range(body, path);
  if (op == "exists") {
    auto b = canonical_body(body, path, {"field"});
    return Filter::exists(field_at(required(b[0], path, "field"), path + ".field"));
  }
  if (op == "term") {
    auto b = canonical_body(body, path, {"field", "value"});
    std::string field = field_at(required(b[0], path, "field"), path + ".field");
    return Filter::term(std::move(field), scalar_at(required(b[1], path, "value"), path + ".value"));
  }
  // prefix
  auto b = canonical_body(body, path, {"field", "value"});
  std::string field = field_at(required(b[0], path, "field"), path + ".field");
  std::string value = string_at(required(b[1], path, "value"), path + ".value");
  check_string_operand(value, path + ".value");
  return Filter::prefix(std::move(field), std::move(value));
}

std::vector<TermValue> scalar_list(const JsonValue& v, const std::string& path) {
  if (!v.is_array()) fail(path, "expected array" + got(v));
  std::vector<TermValue> out;
  const auto& items = v.as_array();
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out.push_back(scalar_at(items[i], path + index_segment(i)));
  return out;
}

Filter parse_operator(const std::string& field, const std::string& op, const JsonValue& arg,
                      const std::string& path) {
  if (op == "$eq") return Filter::eq(field, scalar_at(arg, path));
  if (op == "$ne") return Filter::ne(field, scalar_at(arg, path));
  if (op == "$in") return Filter::in(field, scalar_list(arg, path));
  if (op == "$nin") return Filter::nin(field, scalar_list(arg, path));
  if (op == "$lt") return Filter::lt(field, number_at(arg, path));
  if (op == "$lte") return Filter::lte(field, number_at(arg, path));
  if (op == "$gt") return Filter::gt(field, number_at(arg, path));
  if (op == "$gte") return Filter::gte(field, number_at(arg, path));
  if (op == "$prefix") {
    std::string p = string_at(arg, path);
    check_string_operand(p, path);
    return Filter::prefix(field, std::move(p));
  }
  if (op == "$exists") {
    if (!arg.is_bool()) fail(path, "expected boolean" + got(arg));
    return arg.as_bool() ? Filter::exists(field) : Filter::negate(Filter::exists(field));
  }
  fail(path, "unknown operator (expected one of " + std::string(kOperatorList) + ")");
}

Filter parse_field(const std::string& field, const JsonValue& v, const std::string& path) {
  if (!v.is_object()) {
    return Filter::term(field, scalar_at(v, path, "string, number, boolean or operator object"));
  }
  const auto& ops = v.as_object();
  check_unique_keys(ops, path);
  if (ops.empty()) fail(path, "expected at least one operator (" + std::string(kOperatorList) + ")");
  std::vector<Filter> parts;
  parts.reserve(ops.size());
  for (const auto& [op, arg] : ops) parts.push_back(parse_operator(field, op, arg, path + key_segment(op)));
  return parts.size() == 1 ? std::move(parts.front()) : Filter::all_of(std::move(parts));
}

Filter parse_node(const JsonValue& v, const std::string& path) {
  if (!v.is_object()) fail(path, "expected object" + got(v));
  const auto& obj = v.as_object();
  check_unique_keys(obj, path);
  if (obj.empty()) return Filter::all();
  for (const auto& [key, value] : obj) {
    if (is_reserved(key) && obj.size() != 1) {
      fail(path + key_segment(key), "canonical operator \"" + key +
                                        "\" must be the only key of its object (to match a field named \"" +
                                        key + "\" use {\"term\":{\"field\":\"" + key + "\",\"value\":…}})");
    }
  }
  if (obj.size() == 1 && is_reserved(obj.front().first)) {
    return parse_canonical(obj.front().first, obj.front().second, path + key_segment(obj.front().first));
  }
  std::vector<Filter> parts;
  parts.reserve(obj.size());
  for (const auto& [key, value] : obj) {
    const std::string p = path + key_segment(key);
    if (!key.empty() && key.front() == '$') {
      fail(p, "operator outside a field (expected {\"<field>\":{\"" + key + "\":…}})");
    }
    check_field_name(key, p);
    parts.push_back(parse_field(key, value, p));
  }
  return parts.size() == 1 ? std::move(parts.front()) : Filter::all_of(std::move(parts));
}

// ─── key=value shorthand ───────────────────────────────────────────────────────────────────────────

/// One character of a kv pair after unescaping; escaped characters are never separators or trimmed.
struct KvChar {
  char c;
  bool escaped;
};

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string kv_context(std::size_t pair, std::string_view raw) {
  std::size_t cut = std::min<std::size_t>(raw.size(), 60);
  while (cut < raw.size() && cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0u) == 0x80u) --cut;
  std::string shown(raw.substr(0, cut));
  if (cut < raw.size()) shown += "…";
  return "filter kv at pair " + std::to_string(pair) + " ('" + shown + "')";
}

std::string trimmed(const std::vector<KvChar>& chars, std::size_t begin, std::size_t end) {
  while (begin < end && !chars[begin].escaped && is_blank(chars[begin].c)) ++begin;
  while (end > begin && !chars[end - 1].escaped && is_blank(chars[end - 1].c)) --end;
  std::string out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) out.push_back(chars[i].c);
  return out;
}

Filter kv_term(std::string field, std::string value) {
  // Leniency for CLI users: priority=3 should match the integer 3, draft=true the boolean true.
  std::optional<TermValue> typed;
  if (value == "true" || value == "false") {
    typed = value == "true";
  } else if (value.front() == '-' || (value.front() >= '0' && value.front() <= '9')) {
    try {
      JsonValue n = parse_json(value);
      if (n.is_integer()) {
        typed = n.as_int64();
      } else if (n.is_number() && std::isfinite(n.as_number())) {
        typed = n.as_number();
      }
    } catch (const Error&) {
      // Not a JSON number: the value stays a plain string.
    }
  }
  if (!typed) return Filter::term(std::move(field), std::move(value));
  std::vector<Filter> alts;
  alts.push_back(Filter::term(field, std::move(value)));
  alts.push_back(Filter::term(std::move(field), std::move(*typed)));
  return Filter::any_of(std::move(alts));
}

}  // namespace

int compare_numbers(const Number& a, const Number& b) noexcept {
  auto cmp_int_double = [](std::int64_t i, double d) -> int {
    constexpr double kTwo63 = 9223372036854775808.0;
    if (d >= kTwo63) return -1;
    if (d < -kTwo63) return 1;
    const double t = std::trunc(d);  // now exactly representable as int64
    const auto ti = static_cast<std::int64_t>(t);
    if (i != ti) return i < ti ? -1 : 1;
    const double frac = d - t;  // exact
    return frac > 0 ? -1 : (frac < 0 ? 1 : 0);
  };
  const auto* ai = std::get_if<std::int64_t>(&a);
  const auto* bi = std::get_if<std::int64_t>(&b);
  if (ai && bi) return *ai < *bi ? -1 : (*ai > *bi ? 1 : 0);
  if (ai) return cmp_int_double(*ai, std::get<double>(b));
  if (bi) return -cmp_int_double(*bi, std::get<double>(a));
  const double x = std::get<double>(a), y = std::get<double>(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Filter Filter::all() { return Filter{}; }

Filter Filter::none() {
  Filter f;
  f.kind = Kind::kNone;
  return f;
}

Filter Filter::term(std::string field, TermValue value) {
  Filter f;
  f.kind = Kind::kTerm;
  f.field = std::move(field);
  f.value = std::move(value);
  return f;
}

Filter Filter::range(std::string field, std::optional<Number> min, std::optional<Number> max, bool min_inclusive,
                     bool max_inclusive) {
  Filter f;
  f.kind = Kind::kRange;
  f.field = std::move(field);
  f.min = min;
  f.max = max;
  f.min_inclusive = min_inclusive;
  f.max_inclusive = max_inclusive;
  return f;
}

Filter Filter::prefix(std::string field, std::string prefix) {
  Filter f;
  f.kind = Kind::kPrefix;
  f.field = std::move(field);
  f.value = std::move(prefix);
  return f;
}

Filter Filter::exists(std::string field) {
  Filter f;
  f.kind = Kind::kExists;
  f.field = std::move(field);
  return f;
}

Filter Filter::all_of(std::vector<Filter> children) {
  Filter f;
  f.kind = Kind::kAnd;
  f.children = std::move(children);
  return f;
}

Filter Filter::any_of(std::vector<Filter> children) {
  Filter f;
  f.kind = Kind::kOr;
  f.children = std::move(children);
  return f;
}

Filter Filter::negate(Filter child) {
  Filter f;
  f.kind = Kind::kNot;
  f.children.push_back(std::move(child));
  return f;
}

Filter Filter::eq(std::string field, TermValue value) { return term(std::move(field), std::move(value)); }
Filter Filter::ne(std::string field, TermValue value) { return negate(term(std::move(field), std::move(value))); }

Filter Filter::in(std::string field, std::vector<TermValue> values) {
  std::vector<Filter> terms;
  terms.reserve(values.size());
  for (TermValue& v : values) terms.push_back(term(field, std::move(v)));
  return any_of(std::move(terms));
}

Filter Filter::nin(std::string field, std::vector<TermValue> values) {
  return negate(in(std::move(field), std::move(values)));
}

Filter Filter::lt(std::string field, Number n) { return range(std::move(field), std::nullopt, n, true, false); }
Filter Filter::lte(std::string field, Number n) { return range(std::move(field), std::nullopt, n, true, true); }
Filter Filter::gt(std::string field, Number n) { return range(std::move(field), n, std::nullopt, false, true); }
Filter Filter::gte(std::string field, Number n) { return range(std::move(field), n, std::nullopt, true, true); }
Filter Filter::between(std::string field, Number lo, Number hi) {
  return range(std::move(field), lo, hi, true, true);
}

Filter filter_from_json(const JsonValue& root) { return parse_node(root, "$"); }

Filter parse_filter_json(std::string_view json) {
  JsonValue root;
  try {
    root = parse_json(json);
  } catch (const Error& e) {
    // Same message, but the caller asked for a filter, so the filter component owns the error.
    throw Error(ErrorCode::kInvalidArgument, "filter", e.what());
  }
  return filter_from_json(root);
}

Filter parse_filter_kv(std::string_view text) {
  if (!is_valid_utf8(text)) throw_invalid("filter", "filter kv: not valid UTF-8");
  // Split into pairs on unescaped ',' while decoding escapes, remembering each pair's raw text.
  struct Pair {
    std::vector<KvChar> chars;
    std::string_view raw;
  };
  std::vector<Pair> pairs(1);
  std::size_t raw_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      const char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (next == ',' || next == '=' || next == '\\' || next == ' ') {
        pairs.back().chars.push_back({next, true});
        ++i;
        continue;
      }
      std::size_t end = text.find(',', i);
      pairs.back().raw = text.substr(raw_start, end == std::string_view::npos ? end : end - raw_start);
      throw_invalid("filter", kv_context(pairs.size(), pairs.back().raw) +
                                  ": unknown escape (use \\, \\= \\\\ or '\\ ')");
    }
    if (c == ',') {
      pairs.back().raw = text.substr(raw_start, i - raw_start);
      pairs.emplace_back();
      raw_start = i + 1;
      continue;
    }
    pairs.back().chars.push_back({c, false});
  }
  pairs.back().raw = text.substr(raw_start);
  if (pairs.size() == 1 && trimmed(pairs[0].chars, 0, pairs[0].chars.size()).empty()) return Filter::all();

  std::vector<Filter> terms;
  terms.reserve(pairs.size());
  for (std::size_t n = 0; n < pairs.size(); ++n) {
    const Pair& p = pairs[n];
    const std::string where = kv_context(n + 1, p.raw);
    std::size_t eq = 0;
    while (eq < p.chars.size() && (p.chars[eq].escaped || p.chars[eq].c != '=')) ++eq;
    if (eq == p.chars.size()) throw_invalid("filter", where + ": expected key=value");
    std::string key = trimmed(p.chars, 0, eq);
    std::string value = trimmed(p.chars, eq + 1, p.chars.size());
    if (key.empty()) throw_invalid("filter", where + ": expected a field name before '='");
    if (value.empty()) throw_invalid("filter", where + ": expected a value after '='");
    if (key.size() > kMaxFieldNameBytes) {
      throw_invalid("filter", where + ": field name longer than " + std::to_string(kMaxFieldNameBytes) + " bytes");
    }
    if (value.size() > kMaxStringValueBytes) {
      throw_invalid("filter", where + ": value longer than " + std::to_string(kMaxStringValueBytes) + " bytes");
    }
    terms.push_back(kv_term(std::move(key), std::move(value)));
  }
  return terms.size() == 1 ? std::move(terms.front()) : Filter::all_of(std::move(terms));
}

Filter parse_filter(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_blank(text[i])) ++i;
  if (i == text.size()) return Filter::all();
  if (text[i] == '{' || text[i] == '[') return parse_filter_json(text);
  return parse_filter_kv(text);
}

namespace {

void validate_node(const Filter& f, const std::string& path, std::size_t depth) {
  if (depth > kMaxFilterDepth) fail(path, "filter nested deeper than " + std::to_string(kMaxFilterDepth));
  auto check_number = [](const Number& n, const std::string& p) {
    if (const double* d = std::get_if<double>(&n); d != nullptr && !std::isfinite(*d)) {
      fail(p, "expected a finite number");
    }
  };
  switch (f.kind) {
    case Filter::Kind::kAll:
    case Filter::Kind::kNone: return;
    case Filter::Kind::kTerm: {
      const std::string p = path + ".term";
      check_field_name(f.field, p + ".field");
      if (const auto* s = std::get_if<std::string>(&f.value)) check_string_operand(*s, p + ".value");
      if (const auto* d = std::get_if<double>(&f.value)) check_number(*d, p + ".value");
      return;
    }
    case Filter::Kind::kRange: {
      const std::string p = path + ".range";
      check_field_name(f.field, p + ".field");
      if (!f.min && !f.max) fail(p, "expected at least one of \"min\", \"max\"");
      if (f.min) check_number(*f.min, p + ".min");
      if (f.max) check_number(*f.max, p + ".max");
      return;
    }
    case Filter::Kind::kPrefix: {
      const std::string p = path + ".prefix";
      check_field_name(f.field, p + ".field");
      const auto* s = std::get_if<std::string>(&f.value);
      if (s == nullptr) fail(p + ".value", "expected string");
      check_string_operand(*s, p + ".value");
      return;
    }
    case Filter::Kind::kExists: check_field_name(f.field, path + ".exists.field"); return;
    case Filter::Kind::kAnd:
    case Filter::Kind::kOr: {
      const std::string p = path + (f.kind == Filter::Kind::kAnd ? ".and" : ".or");
      for (std::size_t i = 0; i < f.children.size(); ++i) validate_node(f.children[i], p + index_segment(i), depth + 1);
      return;
    }
    case Filter::Kind::kNot:
      if (f.children.size() != 1) {
        fail(path + ".not", "expected exactly one child, got " + std::to_string(f.children.size()));
      }
      validate_node(f.children.front(), path + ".not", depth + 1);
      return;
  }
  fail(path, "unknown filter kind");
}

JsonValue term_value_json(const TermValue& v) {
  return std::visit([](const auto& x) { return JsonValue(x); }, v);
}

JsonValue number_json(const Number& n) {
  return std::visit([](const auto& x) { return JsonValue(x); }, n);
}

JsonValue single(std::string key, JsonValue value) {
  JsonValue::Object o;
  o.emplace_back(std::move(key), std::move(value));
  return JsonValue(std::move(o));
}

}  // namespace

void validate_filter(const Filter& filter) { validate_node(filter, "$", 0); }

JsonValue filter_to_json(const Filter& f) {
  switch (f.kind) {
    case Filter::Kind::kAll: return single("and", JsonValue(JsonValue::Array{}));
    case Filter::Kind::kNone: return single("or", JsonValue(JsonValue::Array{}));
    case Filter::Kind::kTerm:
    case Filter::Kind::kPrefix: {
      JsonValue::Object body;
      body.emplace_back("field", JsonValue(f.field));
      body.emplace_back("value", term_value_json(f.value));
      return single(f.kind == Filter::Kind::kTerm ? "term" : "prefix", JsonValue(std::move(body)));
    }
    case Filter::Kind::kRange: {
      JsonValue::Object body;
      body.emplace_back("field", JsonValue(f.field));
      if (f.min) body.emplace_back("min", number_json(*f.min));
      if (f.max) body.emplace_back("max", number_json(*f.max));
      if (f.min) body.emplace_back("minInclusive", JsonValue(f.min_inclusive));
      if (f.max) body.emplace_back("maxInclusive", JsonValue(f.max_inclusive));
      return single("range", JsonValue(std::move(body)));
    }
    case Filter::Kind::kExists: return single("exists", single("field", JsonValue(f.field)));
    case Filter::Kind::kAnd:
    case Filter::Kind::kOr: {
      JsonValue::Array items;
      items.reserve(f.children.size());
      for (const Filter& c : f.children) items.push_back(filter_to_json(c));
      return single(f.kind == Filter::Kind::kAnd ? "and" : "or", JsonValue(std::move(items)));
    }
    case Filter::Kind::kNot:
      return single("not", f.children.empty() ? JsonValue() : filter_to_json(f.children.front()));
  }
  return JsonValue();
}

std::string describe(const Filter& filter) { return to_json(filter_to_json(filter)); }

}  // namespace vesper
