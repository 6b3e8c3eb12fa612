#include "vesper/metadata_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "vesper/error.h"

namespace vesper {
namespace {

// Term keys carry a type tag so values of different types never collide: 's' string (and tag),
// 'b' boolean, 'i' integral number (int64, or a double with an exact int64 value), 'd' other double.
// Numbers are normalised so that integer 3 and double 3.0 are one term.
constexpr char kStringTag = 's';
constexpr char kBoolTag = 'b';
constexpr char kIntTag = 'i';
constexpr char kDoubleTag = 'd';

std::string string_key(std::string_view s) {
  std::string k;
  k.reserve(s.size() + 1);
  k.push_back(kStringTag);
  k.append(s);
  return k;
}

std::string bool_key(bool b) { return std::string{kBoolTag, b ? '1' : '0'}; }

std::string bytes_key(char tag, std::uint64_t bits) {
  std::string k(9, '\0');
  k[0] = tag;
  for (int i = 0; i < 8; ++i) k[static_cast<std::size_t>(1 + i)] = static_cast<char>(bits >> (56 - 8 * i));
  return k;
}

std::string int_key(std::int64_t i) { return bytes_key(kIntTag, static_cast<std::uint64_t>(i) ^ (1ull << 63)); }

std::string double_key(double d) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (d >= -kTwo63 && d < kTwo63 && std::trunc(d) == d) return int_key(static_cast<std::int64_t>(d));
  std::uint64_t bits = 0;
  static_assert(sizeof bits == sizeof d);
  std::memcpy(&bits, &d, sizeof d);
  return bytes_key(kDoubleTag, bits);
}

std::string term_key(const TermValue& v) {
  switch (v.index()) {
    case 0: return string_key(std::get<std::string>(v));
    case 1: return int_key(std::get<std::int64_t>(v));
    case 2: return double_key(std::get<double>(v));
    default: return bool_key(std::get<bool>(v));
  }
}

/// Inserts into a sorted id list; ids mostly arrive in increasing order, so this is usually a push.
void sorted_insert(std::vector<DocId>& ids, DocId id) {
  if (ids.empty() || ids.back() < id) {
    ids.push_back(id);
    return;
  }
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) ids.insert(it, id);
}

void sorted_erase(std::vector<DocId>& ids, DocId id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it != ids.end() && *it == id) ids.erase(it);
}

void add_allowed(Bitset& out, const std::vector<DocId>& ids, const Bitset& allowed) {
  for (DocId id : ids) {
    if (allowed.test(id)) out.set(id);  // test() is false beyond allowed.size(), so set() stays in range
  }
}

std::string shown_name(std::string_view name) {
  if (name.size() <= 64) return std::string(name);
  std::size_t cut = 64;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0u) == 0x80u) --cut;  // whole characters only
  return std::string(name.substr(0, cut)) + "…";
}

[[noreturn]] void bad_field(std::string_view name, const std::string& problem) {
  throw_invalid("metadata", "metadata field '" + shown_name(name) + "': " + problem);
}

void check_string(std::string_view field, std::string_view s, const char* what) {
  if (s.size() > kMaxStringValueBytes) {
    bad_field(field, std::string(what) + " longer than " + std::to_string(kMaxStringValueBytes) + " bytes");
  }
  if (!is_valid_utf8(s)) bad_field(field, std::string(what) + " is not valid UTF-8");
}

/// Narrows range `into` to its intersection with `other` (same field); on equal bounds exclusive wins.
void tighten_range(Filter& into, const Filter& other) {
  if (other.min) {
    const int c = into.min ? compare_numbers(*other.min, *into.min) : 1;
    if (c > 0) {
      into.min = other.min;
      into.min_inclusive = other.min_inclusive;
    } else if (c == 0) {
      into.min_inclusive = into.min_inclusive && other.min_inclusive;
    }
  }
  if (other.max) {
    const int c = into.max ? compare_numbers(*other.max, *into.max) : -1;
    if (c < 0) {
      into.max = other.max;
      into.max_inclusive = other.max_inclusive;
    } else if (c == 0) {
      into.max_inclusive = into.max_inclusive && other.max_inclusive;
    }
  }
}

std::size_t string_heap(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // beyond the small-string buffer
}

constexpr std::size_t kTreeNodeOverhead = 32;  // colour, parent, left, right

}  // namespace

bool MetadataIndex::NumLess::operator()(const NumEntry& a, const NumEntry& b) const noexcept {
  const int c = compare_numbers(a.value, b.value);
  return c != 0 ? c < 0 : a.id < b.id;
}

Metadata MetadataIndex::validate(Metadata md) {
  for (const auto& [name, value] : md) {
    if (name.empty()) throw_invalid("metadata", "metadata field name is empty");
    if (name.size() > kMaxFieldNameBytes) {
      bad_field(name, "name longer than " + std::to_string(kMaxFieldNameBytes) + " bytes");
    }
    if (!is_valid_utf8(name)) bad_field(name, "name is not valid UTF-8");
    if (const auto* s = std::get_if<std::string>(&value)) check_string(name, *s, "string");
    if (const auto* d = std::get_if<double>(&value); d != nullptr && !std::isfinite(*d)) {
      bad_field(name, "number is not finite");
    }
    if (const auto* tags = std::get_if<Tags>(&value)) {
      if (tags->size() > kMaxTagsPerField) {
        bad_field(name, "more than " + std::to_string(kMaxTagsPerField) + " tags");
      }
      for (const std::string& t : *tags) check_string(name, t, "tag");
    }
  }
  std::stable_sort(md.begin(), md.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < md.size(); ++i) {
    if (md[i].first == md[i - 1].first) bad_field(md[i].first, "appears more than once");
  }
  return md;
}

void MetadataIndex::set(DocId id, Metadata md) {
  md = validate(std::move(md));
  remove(id);
  if (docs_.size() <= id) {
    docs_.resize(static_cast<std::size_t>(id) + 1);
    has_.resize(static_cast<std::size_t>(id) + 1, 0);
  }
  index_doc(id, md);
  docs_[id] = std::move(md);
  has_[id] = 1;
  ++count_;
}

void MetadataIndex::remove(DocId id) {
  if (id >= docs_.size() || has_[id] == 0) return;
  unindex_doc(id, docs_[id]);
  docs_[id] = Metadata{};
  has_[id] = 0;
  --count_;
}

void MetadataIndex::clear() {
  docs_.clear();
  has_.clear();
  count_ = 0;
  fields_.clear();
}

const Metadata* MetadataIndex::get(DocId id) const {
  return id < docs_.size() && has_[id] != 0 ? &docs_[id] : nullptr;
}

void MetadataIndex::index_doc(DocId id, const Metadata& md) {
  for (const auto& [name, value] : md) {
    auto fit = fields_.find(name);
    if (fit == fields_.end()) fit = fields_.emplace(name, FieldIndex{}).first;
    FieldIndex& fi = fit->second;
    sorted_insert(fi.present, id);
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Tags>) {
            for (const std::string& tag : v) sorted_insert(fi.terms[string_key(tag)], id);
          } else if constexpr (std::is_same_v<T, std::string>) {
            sorted_insert(fi.terms[string_key(v)], id);
          } else if constexpr (std::is_same_v<T, bool>) {
            sorted_insert(fi.terms[bool_key(v)], id);
          } else {
            sorted_insert(fi.terms[term_key(TermValue(v))], id);
            fi.numbers.insert(NumEntry{Number(v), id});
          }
        },
        value);
  }
}

void MetadataIndex::unindex_doc(DocId id, const Metadata& md) {
  for (const auto& [name, value] : md) {
    auto fit = fields_.find(name);
    if (fit == fields_.end()) continue;
    FieldIndex& fi = fit->second;
    auto drop_term = [&](const std::string& key) {
      auto t = fi.terms.find(key);
      if (t == fi.terms.end()) return;
      sorted_erase(t->second, id);
      if (t->second.empty()) fi.terms.erase(t);  // keep memory proportional to live terms
    };
    sorted_erase(fi.present, id);
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Tags>) {
            for (const std::string& tag : v) drop_term(string_key(tag));
          } else if constexpr (std::is_same_v<T, std::string>) {
            drop_term(string_key(v));
          } else if constexpr (std::is_same_v<T, bool>) {
            drop_term(bool_key(v));
          } else {
            drop_term(term_key(TermValue(v)));
            fi.numbers.erase(NumEntry{Number(v), id});
          }
        },
        value);
    if (fi.present.empty()) fields_.erase(fit);
  }
}

const MetadataIndex::FieldIndex* MetadataIndex::field(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? nullptr : &it->second;
}

Bitset MetadataIndex::evaluate(const Filter& filter, const Bitset& live) const {
  validate_filter(filter);  // reject malformed filters before doing any work
  return eval(filter, live);
}

// eval(f, allowed) = {ids in allowed that match f}; every kind, including not, is relative to `allowed`,
// which lets and() narrow the candidate set child by child.
Bitset MetadataIndex::eval(const Filter& f, const Bitset& allowed) const {
  switch (f.kind) {
    case Filter::Kind::kAll: return allowed;
    case Filter::Kind::kNone: return Bitset(allowed.size());
    case Filter::Kind::kTerm: {
      Bitset out(allowed.size());
      if (const FieldIndex* fi = field(f.field)) {
        auto t = fi->terms.find(term_key(f.value));
        if (t != fi->terms.end()) add_allowed(out, t->second, allowed);
      }
      return out;
    }
    case Filter::Kind::kPrefix: {
      Bitset out(allowed.size());
      if (const FieldIndex* fi = field(f.field)) {
        const std::string lo = string_key(std::get<std::string>(f.value));
        for (auto t = fi->terms.lower_bound(lo); t != fi->terms.end() && t->first.starts_with(lo); ++t) {
          add_allowed(out, t->second, allowed);
        }
      }
      return out;
    }
    case Filter::Kind::kExists: {
      Bitset out(allowed.size());
      if (const FieldIndex* fi = field(f.field)) add_allowed(out, fi->present, allowed);
      return out;
    }
    case Filter::Kind::kRange: {
      Bitset out(allowed.size());
      const FieldIndex* fi = field(f.field);
      if (fi == nullptr) return out;
      auto it = fi->numbers.begin();
      if (f.min) {
        it = f.min_inclusive ? fi->numbers.lower_bound(NumEntry{*f.min, 0})
                             : fi->numbers.upper_bound(NumEntry{*f.min, std::numeric_limits<DocId>::max()});
      }
      for (; it != fi->numbers.end(); ++it) {
        if (f.max) {
          const int c = compare_numbers(it->value, *f.max);
          if (c > 0 || (c == 0 && !f.max_inclusive)) break;
        }
        if (allowed.test(it->id)) out.set(it->id);
      }
      return out;
    }
    case Filter::Kind::kAnd: {
      // A field holds at most one number per document, so ranges on one field intersect into a single
      // index walk: {"n":{"$gte":1,"$lt":5}} reads [1, 5) instead of [1, ∞) and (−∞, 5).
      std::vector<Filter> ranges;
      std::vector<const Filter*> order;  // evaluation order; ranges point into `ranges`
      ranges.reserve(f.children.size());
      for (const Filter& c : f.children) {
        if (c.kind != Filter::Kind::kRange) {
          order.push_back(&c);
          continue;
        }
        auto same = std::find_if(ranges.begin(), ranges.end(), [&](const Filter& r) { return r.field == c.field; });
        if (same == ranges.end()) {
          ranges.push_back(c);
        } else {
          tighten_range(*same, c);
        }
      }
      Bitset out = allowed;
      for (const Filter& r : ranges) {
        out = eval(r, out);
        if (out.count() == 0) return out;
      }
      for (const Filter* c : order) {
        out = eval(*c, out);
        if (out.count() == 0) break;
      }
      return out;
    }
    case Filter::Kind::kOr: {
      Bitset out(allowed.size());
      for (const Filter& c : f.children) out |= eval(c, allowed);
      return out;
    }
    case Filter::Kind::kNot: {
      Bitset out = allowed;
      out.and_not(eval(f.children.front(), allowed));
      return out;
    }
  }
  return Bitset(allowed.size());
}

std::size_t MetadataIndex::memory_bytes() const {
  std::size_t bytes = docs_.capacity() * sizeof(Metadata) + has_.capacity();
  for (const Metadata& md : docs_) {
    bytes += md.capacity() * sizeof(Metadata::value_type);
    for (const auto& [name, value] : md) {
      bytes += string_heap(name);
      if (const auto* s = std::get_if<std::string>(&value)) bytes += string_heap(*s);
      if (const auto* tags = std::get_if<Tags>(&value)) {
        bytes += tags->capacity() * sizeof(std::string);
        for (const std::string& t : *tags) bytes += string_heap(t);
      }
    }
  }
  for (const auto& [name, fi] : fields_) {
    bytes += kTreeNodeOverhead + sizeof(std::pair<const std::string, FieldIndex>) + string_heap(name);
    bytes += fi.present.capacity() * sizeof(DocId);
    bytes += fi.numbers.size() * (kTreeNodeOverhead + sizeof(NumEntry));
    for (const auto& [key, ids] : fi.terms) {
      bytes += kTreeNodeOverhead + sizeof(std::pair<const std::string, std::vector<DocId>>) + string_heap(key);
      bytes += ids.capacity() * sizeof(DocId);
    }
  }
  return bytes;
}

JsonValue metadata_to_json(const Metadata& md) {
  JsonValue::Object obj;
  obj.reserve(md.size());
  for (const auto& [name, value] : md) {
    JsonValue v = std::visit(
        [](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Tags>) {
            JsonValue::Array items;
            items.reserve(x.size());
            for (const std::string& t : x) items.emplace_back(t);
            return JsonValue(std::move(items));
          } else {
            return JsonValue(x);
          }
        },
        value);
    obj.emplace_back(name, std::move(v));
  }
  return JsonValue(std::move(obj));
}

Metadata metadata_from_json(const JsonValue& json) {
  if (!json.is_object()) {
    throw_invalid("metadata", std::string("metadata: expected object, got ") + json_kind_name(json.kind()));
  }
  Metadata md;
  md.reserve(json.as_object().size());
  for (const auto& [name, v] : json.as_object()) {
    switch (v.kind()) {
      case JsonValue::Kind::kString: md.emplace_back(name, v.as_string()); break;
      case JsonValue::Kind::kBool: md.emplace_back(name, v.as_bool()); break;
      case JsonValue::Kind::kNumber:
        if (v.is_integer()) {
          md.emplace_back(name, v.as_int64());
        } else {
          md.emplace_back(name, v.as_number());
        }
        break;
      case JsonValue::Kind::kArray: {
        Tags tags;
        tags.reserve(v.as_array().size());
        for (const JsonValue& t : v.as_array()) {
          if (!t.is_string()) bad_field(name, std::string("tags must be strings, got ") + json_kind_name(t.kind()));
          tags.push_back(t.as_string());
        }
        md.emplace_back(name, std::move(tags));
        break;
      }
      default:
        bad_field(name, std::string("expected string, number, boolean or array of strings, got ") +
                            json_kind_name(v.kind()));
    }
  }
  return MetadataIndex::validate(std::move(md));
}

}  // namespace vesper
