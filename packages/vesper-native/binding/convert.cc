#include "convert.h"

#include <cmath>

#include "vesper/error.h"

namespace vesper_native {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 − 1

[[noreturn]] void bad(const std::string& where, const std::string& what, const char* component = "binding") {
  vesper::throw_invalid(component, where + ": " + what);
}

const char* type_name(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_object: return v.IsArray() ? "array" : "object";
    case napi_function: return "function";
    case napi_external: return "external";
    case napi_bigint: return "bigint";
  }
  return "unknown";
}

bool absent(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

std::uint64_t to_u64(const Napi::Value& v, const std::string& where) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= kMaxSafeInteger && std::floor(d) == d)) {
      bad(where, "ids must be integers in [0, 2^53 - 1] when given as numbers (use a bigint for larger ids)");
    }
    return static_cast<std::uint64_t>(d);
  }
  if (v.IsBigInt()) {
    bool lossless = false;
    std::uint64_t id = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) bad(where, "bigint ids must be within [0, 2^64 - 1]");
    return id;
  }
  bad(where, std::string("expected an id (number or bigint), got ") + type_name(v));
}

std::string to_utf8(const Napi::Value& v, const std::string& where) {
  if (!v.IsString()) bad(where, std::string("expected a string, got ") + type_name(v));
  return v.As<Napi::String>().Utf8Value();
}

vesper::MetaValue to_meta_value(const Napi::Value& v, const std::string& where) {
  if (v.IsString()) return v.As<Napi::String>().Utf8Value();
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d)) bad(where, "numbers must be finite", "metadata");
    if (std::floor(d) == d && std::fabs(d) <= kMaxSafeInteger) return static_cast<std::int64_t>(d);
    return d;
  }
  if (v.IsBigInt()) {
    bool lossless = false;
    std::int64_t i = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) bad(where, "bigint values must fit in a signed 64-bit integer", "metadata");
    return i;
  }
  if (v.IsArray()) {
    auto array = v.As<Napi::Array>();
    vesper::Tags tags;
    tags.reserve(array.Length());
    for (std::uint32_t i = 0; i < array.Length(); ++i) {
      Napi::Value tag = array.Get(i);
      if (!tag.IsString()) {
        bad(where + "[" + std::to_string(i) + "]", std::string("tags must be strings, got ") + type_name(tag), "metadata");
      }
      tags.push_back(tag.As<Napi::String>().Utf8Value());
    }
    return tags;
  }
  bad(where, std::string("unsupported value type ") + type_name(v) + " (expected string, number, boolean, bigint or string[])",
      "metadata");
}

vesper::Metadata to_metadata(const Napi::Value& v, const std::string& where) {
  if (absent(v)) return {};
  if (!v.IsObject() || v.IsArray()) bad(where, std::string("expected an object, got ") + type_name(v), "metadata");
  auto object = v.As<Napi::Object>();
  Napi::Array names = object.GetPropertyNames();
  vesper::Metadata md;
  md.reserve(names.Length());
  for (std::uint32_t i = 0; i < names.Length(); ++i) {
    std::string name = names.Get(i).As<Napi::String>().Utf8Value();
    md.emplace_back(name, to_meta_value(object.Get(name), where + "." + name));
  }
  return md;
}

Napi::Value from_meta_value(Napi::Env env, const vesper::MetaValue& value) {
  return std::visit(
      [&](const auto& v) -> Napi::Value {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return Napi::String::New(env, v);
        } else if constexpr (std::is_same_v<T, double>) {
          return Napi::Number::New(env, v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          if (std::fabs(static_cast<double>(v)) <= kMaxSafeInteger) return Napi::Number::New(env, static_cast<double>(v));
          return Napi::BigInt::New(env, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return Napi::Boolean::New(env, v);
        } else {
          auto array = Napi::Array::New(env, v.size());
          for (std::size_t i = 0; i < v.size(); ++i) array.Set(static_cast<std::uint32_t>(i), Napi::String::New(env, v[i]));
          return array;
        }
      },
      value);
}

Napi::Object from_metadata(Napi::Env env, const vesper::Metadata& md) {
  auto object = Napi::Object::New(env);
  for (const auto& [name, value] : md) object.Set(name, from_meta_value(env, value));
  return object;
}

// Payloads are stored with a one-byte tag: binary bytes, or JSON text serialised by the TS wrapper.
constexpr char kPayloadBinary = 'b';
constexpr char kPayloadJson = 'j';

std::string to_payload(const Napi::Value& v, const std::string& where) {
  if (v.IsString()) return kPayloadJson + v.As<Napi::String>().Utf8Value();
  if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    auto bytes = v.As<Napi::Uint8Array>();
    std::string out(1, kPayloadBinary);
    out.append(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
    return out;
  }
  bad(where, std::string("expected a Uint8Array or JSON text, got ") + type_name(v));
}

}  // namespace

Napi::Object options_object(const Napi::Value& value, const std::string& where) {
  if (absent(value)) return Napi::Object::New(value.Env());
  if (!value.IsObject() || value.IsArray()) bad(where, std::string("expected an options object, got ") + type_name(value));
  return value.As<Napi::Object>();
}

std::optional<std::string> optional_string(const Napi::Object& object, const char* name, const std::string& where) {
  Napi::Value v = object.Get(name);
  if (absent(v)) return std::nullopt;
  return to_utf8(v, where + "." + name);
}

std::optional<double> optional_number(const Napi::Object& object, const char* name, const std::string& where) {
  Napi::Value v = object.Get(name);
  if (absent(v)) return std::nullopt;
  if (!v.IsNumber()) bad(where + "." + name, std::string("expected a number, got ") + type_name(v));
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) bad(where + "." + name, "expected a finite number");
  return d;
}

std::optional<std::size_t> optional_count(const Napi::Object& object, const char* name, const std::string& where) {
  auto d = optional_number(object, name, where);
  if (!d) return std::nullopt;
  if (*d < 0 || std::floor(*d) != *d || *d > kMaxSafeInteger) bad(where + "." + name, "expected a non-negative integer");
  return static_cast<std::size_t>(*d);
}

std::optional<bool> optional_bool(const Napi::Object& object, const char* name, const std::string& where) {
  Napi::Value v = object.Get(name);
  if (absent(v)) return std::nullopt;
  if (!v.IsBoolean()) bad(where + "." + name, std::string("expected a boolean, got ") + type_name(v));
  return v.As<Napi::Boolean>().Value();
}

vesper::CollectionOptions to_options(const Napi::Value& value) {
  const std::string where = "options";
  Napi::Object o = options_object(value, where);
  vesper::CollectionOptions out;
  auto dim = optional_count(o, "dim", where);
  if (!dim) bad(where + ".dim", "is required (the vector dimension)");
  out.dim = *dim;
  if (auto metric = optional_string(o, "metric", where)) out.metric = vesper::parse_metric(*metric);
  if (auto ef = optional_count(o, "efSearch", where)) out.ef_search = *ef;
  if (auto flat = optional_count(o, "flatThreshold", where)) out.flat_threshold = *flat;
  if (auto ratio = optional_number(o, "flatFilterRatio", where)) out.flat_filter_ratio = *ratio;
  if (auto count = optional_count(o, "flatFilterCount", where)) out.flat_filter_count = *count;
  Napi::Object hnsw = options_object(o.Get("hnsw"), where + ".hnsw");
  if (auto m = optional_count(hnsw, "M", where + ".hnsw")) out.hnsw.M = *m;
  if (auto efc = optional_count(hnsw, "efConstruction", where + ".hnsw")) out.hnsw.ef_construction = *efc;
  if (auto ef = optional_count(hnsw, "efSearch", where + ".hnsw")) out.ef_search = *ef;
  if (auto seed = optional_count(hnsw, "seed", where + ".hnsw")) out.hnsw.seed = *seed;
  Napi::Object bm25 = options_object(o.Get("bm25"), where + ".bm25");
  if (auto k1 = optional_number(bm25, "k1", where + ".bm25")) out.bm25.k1 = *k1;
  if (auto b = optional_number(bm25, "b", where + ".bm25")) out.bm25.b = *b;
  if (auto analyzer = optional_string(bm25, "analyzer", where + ".bm25")) {
    out.analyzer = vesper::parse_analyzer(*analyzer);
    out.analyzer_explicit = true;
  }
  if (auto field = optional_string(bm25, "analyzerField", where + ".bm25")) {
    out.analyzer_field = *field;
    out.analyzer_explicit = true;
    Napi::Object values = options_object(bm25.Get("analyzerValues"), where + ".bm25.analyzerValues");
    Napi::Array names = values.GetPropertyNames();
    for (std::uint32_t i = 0; i < names.Length(); ++i) {
      const std::string value = names.Get(i).As<Napi::String>().Utf8Value();
      auto kind = optional_string(values, value.c_str(), where + ".bm25.analyzerValues");
      if (!kind) bad(where + ".bm25.analyzerValues." + value, "expected an analyzer name");
      out.analyzer_values.emplace_back(value, vesper::parse_analyzer(*kind));
    }
  }
  if (auto reindex = optional_bool(bm25, "reindex", where + ".bm25")) out.reindex_text = *reindex;
  return out;
}

vesper::DurabilityOptions to_durability(const Napi::Value& value) {
  const std::string where = "options.durability";
  Napi::Object o = options_object(options_object(value, "options").Get("durability"), where);
  vesper::DurabilityOptions out;
  if (auto mode = optional_string(o, "mode", where)) out.mode = vesper::parse_durability(*mode);
  if (auto ms = optional_count(o, "groupCommitMs", where)) {
    if (*ms > 1000) bad(where + ".groupCommitMs", "must be at most 1000");
    out.group_commit_ms = static_cast<std::uint32_t>(*ms);
  }
  if (auto bytes = optional_count(o, "checkpointWalBytes", where)) out.checkpoint_wal_bytes = *bytes;
  if (auto bytes = optional_count(o, "walSegmentBytes", where)) {
    if (*bytes < 4096) bad(where + ".walSegmentBytes", "must be at least 4096");
    out.wal_segment_bytes = *bytes;
  }
  if (auto ratio = optional_number(o, "compactRatio", where)) out.compact_ratio = *ratio;
  if (auto count = optional_count(o, "compactMinTombstones", where)) out.compact_min_tombstones = *count;
  return out;
}

std::span<const float> to_vector(const Napi::Value& value, const std::string& where, std::vector<float>& owned,
                                 std::vector<Napi::ObjectReference>& keep_alive) {
  if (value.IsTypedArray()) {
    auto typed = value.As<Napi::TypedArray>();
    if (typed.TypedArrayType() == napi_float32_array) {
      auto floats = value.As<Napi::Float32Array>();
      keep_alive.push_back(Napi::Persistent(value.As<Napi::Object>()));
      return {floats.Data(), floats.ElementLength()};
    }
    if (typed.TypedArrayType() == napi_float64_array) {
      auto doubles = value.As<Napi::Float64Array>();
      owned.assign(doubles.Data(), doubles.Data() + doubles.ElementLength());
      return owned;
    }
  }
  if (value.IsArray()) {
    auto array = value.As<Napi::Array>();
    owned.resize(array.Length());
    for (std::uint32_t i = 0; i < array.Length(); ++i) {
      Napi::Value x = array.Get(i);
      if (!x.IsNumber()) bad(where + "[" + std::to_string(i) + "]", std::string("expected a number, got ") + type_name(x), "vector");
      owned[i] = static_cast<float>(x.As<Napi::Number>().DoubleValue());
    }
    return owned;
  }
  bad(where, std::string("expected a Float32Array or number[], got ") + type_name(value), "vector");
}

std::vector<vesper::DocumentInput> to_documents(const Napi::Value& value, std::vector<Napi::ObjectReference>& keep_alive) {
  if (!value.IsArray()) bad("documents", std::string("expected an array of documents, got ") + type_name(value));
  auto array = value.As<Napi::Array>();
  std::vector<vesper::DocumentInput> docs(array.Length());
  for (std::uint32_t i = 0; i < array.Length(); ++i) {
    const std::string where = "documents[" + std::to_string(i) + "]";
    Napi::Value item = array.Get(i);
    if (!item.IsObject() || item.IsArray()) bad(where, std::string("expected a document object, got ") + type_name(item));
    auto o = item.As<Napi::Object>();
    vesper::DocumentInput& d = docs[i];
    if (Napi::Value id = o.Get("id"); !absent(id)) d.id = to_u64(id, where + ".id");
    if (Napi::Value key = o.Get("key"); !absent(key)) d.key = to_utf8(key, where + ".key");
    if (Napi::Value v = o.Get("vector"); !absent(v)) d.vector = to_vector(v, where + ".vector", d.owned_vector, keep_alive);
    if (Napi::Value text = o.Get("text"); !absent(text)) d.text = to_utf8(text, where + ".text");
    d.metadata = to_metadata(o.Get("metadata"), where + ".metadata");
    if (Napi::Value payload = o.Get("payload"); !absent(payload)) d.payload = to_payload(payload, where + ".payload");
  }
  return docs;
}

vesper::DocRef to_ref(const Napi::Value& value, const std::string& where) {
  if (value.IsString()) return vesper::DocRef{std::nullopt, value.As<Napi::String>().Utf8Value()};
  return vesper::DocRef{to_u64(value, where), std::nullopt};
}

std::vector<vesper::DocRef> to_refs(const Napi::Value& value, const std::string& where) {
  if (!value.IsArray()) return {to_ref(value, where)};
  auto array = value.As<Napi::Array>();
  std::vector<vesper::DocRef> refs;
  refs.reserve(array.Length());
  for (std::uint32_t i = 0; i < array.Length(); ++i) refs.push_back(to_ref(array.Get(i), where + "[" + std::to_string(i) + "]"));
  return refs;
}

Napi::Value from_id(Napi::Env env, std::uint64_t id) {
  if (static_cast<double>(id) <= kMaxSafeInteger) return Napi::Number::New(env, static_cast<double>(id));
  return Napi::BigInt::New(env, id);
}

Napi::Value from_hits(Napi::Env env, const std::vector<vesper::SearchHit>& hits) {
  auto array = Napi::Array::New(env, hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const vesper::SearchHit& h = hits[i];
    auto o = Napi::Object::New(env);
    if (h.id) o.Set("id", from_id(env, *h.id));
    if (h.key) o.Set("key", Napi::String::New(env, *h.key));
    o.Set("score", Napi::Number::New(env, h.score));
    if (h.dense_score) o.Set("denseScore", Napi::Number::New(env, *h.dense_score));
    if (h.distance) o.Set("distance", Napi::Number::New(env, *h.distance));
    if (h.sparse_score) o.Set("sparseScore", Napi::Number::New(env, *h.sparse_score));
    o.Set("denseRank", Napi::Number::New(env, h.dense_rank));
    o.Set("sparseRank", Napi::Number::New(env, h.sparse_rank));
    if (h.metadata) o.Set("metadata", from_metadata(env, *h.metadata));
    array.Set(static_cast<std::uint32_t>(i), o);
  }
  return array;
}

Napi::Value from_document(Napi::Env env, const vesper::StoredDocument& doc) {
  auto o = Napi::Object::New(env);
  if (doc.id) o.Set("id", from_id(env, *doc.id));
  if (doc.key) o.Set("key", Napi::String::New(env, *doc.key));
  if (doc.vector) {
    auto v = Napi::Float32Array::New(env, doc.vector->size());
    std::copy(doc.vector->begin(), doc.vector->end(), v.Data());
    o.Set("vector", v);
  }
  if (doc.text) o.Set("text", Napi::String::New(env, *doc.text));
  o.Set("metadata", from_metadata(env, doc.metadata));
  if (doc.payload && !doc.payload->empty()) {
    const std::string& p = *doc.payload;
    if (p[0] == kPayloadBinary) {
      o.Set("payload", Napi::Buffer<char>::Copy(env, p.data() + 1, p.size() - 1));
    } else {
      o.Set("payloadJson", Napi::String::New(env, p.data() + 1, p.size() - 1));
    }
  }
  return o;
}

Napi::Value from_stats(Napi::Env env, const vesper::CollectionStats& s) {
  auto o = Napi::Object::New(env);
  o.Set("count", Napi::Number::New(env, static_cast<double>(s.count)));
  o.Set("vectors", Napi::Number::New(env, static_cast<double>(s.vectors)));
  o.Set("texts", Napi::Number::New(env, static_cast<double>(s.texts)));
  o.Set("tombstones", Napi::Number::New(env, static_cast<double>(s.tombstones)));
  o.Set("hnswNodes", Napi::Number::New(env, static_cast<double>(s.hnsw_nodes)));
  o.Set("unindexed", Napi::Number::New(env, static_cast<double>(s.unindexed)));
  o.Set("dim", Napi::Number::New(env, static_cast<double>(s.dim)));
  o.Set("metric", Napi::String::New(env, vesper::metric_name(s.metric)));
  auto memory = Napi::Object::New(env);
  memory.Set("vectors", Napi::Number::New(env, static_cast<double>(s.memory_vectors)));
  memory.Set("hnsw", Napi::Number::New(env, static_cast<double>(s.memory_hnsw)));
  memory.Set("bm25", Napi::Number::New(env, static_cast<double>(s.memory_bm25)));
  memory.Set("metadata", Napi::Number::New(env, static_cast<double>(s.memory_metadata)));
  memory.Set("documents", Napi::Number::New(env, static_cast<double>(s.memory_documents)));
  o.Set("memoryBytes", memory);
  o.Set("persistent", Napi::Boolean::New(env, s.persistent));
  o.Set("durability", Napi::String::New(env, vesper::durability_name(s.durability)));
  o.Set("lastLsn", Napi::Number::New(env, static_cast<double>(s.last_lsn)));
  o.Set("checkpointLsn", Napi::Number::New(env, static_cast<double>(s.checkpoint_lsn)));
  o.Set("walBytes", Napi::Number::New(env, static_cast<double>(s.wal_bytes)));
  const vesper::RecoveryReport& r = s.recovery;
  auto recovery = Napi::Object::New(env);
  recovery.Set("checkpointLsn", Napi::Number::New(env, static_cast<double>(r.checkpoint_lsn)));
  recovery.Set("replayedBatches", Napi::Number::New(env, static_cast<double>(r.replayed_batches)));
  recovery.Set("lastLsn", Napi::Number::New(env, static_cast<double>(r.last_lsn)));
  recovery.Set("truncated", Napi::Boolean::New(env, r.truncated));
  if (r.truncated) {
    recovery.Set("truncatedFile", Napi::String::New(env, r.truncated_file));
    recovery.Set("truncatedOffset", Napi::Number::New(env, static_cast<double>(r.truncated_offset)));
    recovery.Set("droppedBytes", Napi::Number::New(env, static_cast<double>(r.dropped_bytes)));
    recovery.Set("reason", Napi::String::New(env, r.reason));
  }
  if (!r.text_reindexed.empty()) recovery.Set("textReindexed", Napi::String::New(env, r.text_reindexed));
  recovery.Set("durationMs", Napi::Number::New(env, r.duration_ms));
  o.Set("recovery", recovery);
  return o;
}

}  // namespace vesper_native
