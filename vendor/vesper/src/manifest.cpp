#include "vesper/manifest.h"

#include <fstream>
#include <sstream>

#include "vesper/error.h"
#include "vesper/file_util.h"
#include "vesper/json.h"

namespace vesper {
namespace {

constexpr int kFormat = 1;

[[noreturn]] void corrupt(const std::filesystem::path& path, const std::string& why) {
  throw Error(ErrorCode::kCorruption, "collection", path.string() + ": " + why);
}

double number(const JsonValue& object, std::string_view key, const std::filesystem::path& path) {
  const JsonValue* v = object.is_object() ? object.find(key) : nullptr;
  if (v == nullptr || !v->is_number()) corrupt(path, "missing number \"" + std::string(key) + "\"");
  return v->as_number();
}

std::string text(const JsonValue& object, std::string_view key, const std::filesystem::path& path) {
  const JsonValue* v = object.is_object() ? object.find(key) : nullptr;
  if (v == nullptr || !v->is_string()) corrupt(path, "missing string \"" + std::string(key) + "\"");
  return v->as_string();
}

const JsonValue& member(const JsonValue& object, std::string_view key, const std::filesystem::path& path) {
  const JsonValue* v = object.is_object() ? object.find(key) : nullptr;
  if (v == nullptr || !v->is_object()) corrupt(path, "missing object \"" + std::string(key) + "\"");
  return *v;
}

}  // namespace

std::optional<Manifest> read_manifest(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / "MANIFEST";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  JsonValue root;
  try {
    root = parse_json(buffer.str());
  } catch (const Error& e) {
    corrupt(path, e.what());
  }
  if (number(root, "format", path) != kFormat) corrupt(path, "unsupported manifest format");
  Manifest m;
  CollectionOptions& o = m.options;
  o.dim = static_cast<std::size_t>(number(root, "dim", path));
  try {
    o.metric = parse_metric(text(root, "metric", path));
    const JsonValue& hnsw = member(root, "hnsw", path);
    o.hnsw.M = static_cast<std::size_t>(number(hnsw, "M", path));
    o.hnsw.ef_construction = static_cast<std::size_t>(number(hnsw, "efConstruction", path));
    o.hnsw.seed = static_cast<std::uint64_t>(number(hnsw, "seed", path));
    const JsonValue& bm25 = member(root, "bm25", path);
    o.bm25.k1 = number(bm25, "k1", path);
    o.bm25.b = number(bm25, "b", path);
    o.analyzer = parse_analyzer(text(bm25, "analyzer", path));
    if (const JsonValue* field = bm25.find("analyzerField"); field != nullptr) {
      if (!field->is_string() || field->as_string().empty()) corrupt(path, "\"bm25.analyzerField\" must be a non-empty string");
      o.analyzer_field = field->as_string();
      const JsonValue& values = member(bm25, "analyzerValues", path);
      for (const auto& [value, name] : values.as_object()) {
        if (!name.is_string()) corrupt(path, "\"bm25.analyzerValues\" must map values to analyzer names");
        o.analyzer_values.emplace_back(value, parse_analyzer(name.as_string()));
      }
    }
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kCorruption) throw;
    corrupt(path, e.what());
  }
  if (const JsonValue* ckpt = root.find("checkpoint"); ckpt != nullptr && ckpt->is_object()) {
    m.checkpoint_lsn = static_cast<std::uint64_t>(number(*ckpt, "lsn", path));
    m.checkpoint_file = text(*ckpt, "file", path);
    if (m.checkpoint_file.find('/') != std::string::npos) corrupt(path, "checkpoint file must be a plain name");
  }
  if (const JsonValue* wal = root.find("walSegments"); wal != nullptr) {
    if (!wal->is_array()) corrupt(path, "\"walSegments\" must be an array of LSNs");
    std::vector<std::uint64_t> segments;
    for (const JsonValue& v : wal->as_array()) {
      if (!v.is_number() || v.as_number() < 1 || v.as_number() != static_cast<double>(static_cast<std::uint64_t>(v.as_number()))) {
        corrupt(path, "\"walSegments\" must be an array of LSNs");
      }
      segments.push_back(static_cast<std::uint64_t>(v.as_number()));
    }
    m.wal_segments = std::move(segments);
  }
  return m;
}

void write_manifest(const std::filesystem::path& dir, const Manifest& m) {
  const CollectionOptions& o = m.options;
  JsonValue::Object hnsw{{"M", JsonValue(static_cast<double>(o.hnsw.M))},
                         {"efConstruction", JsonValue(static_cast<double>(o.hnsw.ef_construction))},
                         {"seed", JsonValue(static_cast<double>(o.hnsw.seed))}};
  JsonValue::Object bm25{{"k1", JsonValue(o.bm25.k1)}, {"b", JsonValue(o.bm25.b)},
                         {"analyzer", JsonValue(analyzer_name(o.analyzer))}};
  if (!o.analyzer_field.empty()) {
    JsonValue::Object values;
    for (const auto& [value, kind] : o.analyzer_values) values.emplace_back(value, JsonValue(analyzer_name(kind)));
    bm25.emplace_back("analyzerField", JsonValue(o.analyzer_field));
    bm25.emplace_back("analyzerValues", JsonValue(std::move(values)));
  }
  JsonValue::Object root{{"format", JsonValue(static_cast<double>(kFormat))},
                         {"dim", JsonValue(static_cast<double>(o.dim))},
                         {"metric", JsonValue(metric_name(o.metric))},
                         {"hnsw", JsonValue(std::move(hnsw))},
                         {"bm25", JsonValue(std::move(bm25))}};
  if (!m.checkpoint_file.empty()) {
    root.emplace_back("checkpoint", JsonValue(JsonValue::Object{{"lsn", JsonValue(static_cast<double>(m.checkpoint_lsn))},
                                                                {"file", JsonValue(m.checkpoint_file)}}));
  }
  if (m.wal_segments) {
    JsonValue::Array segments;
    for (std::uint64_t first : *m.wal_segments) segments.emplace_back(static_cast<double>(first));
    root.emplace_back("walSegments", JsonValue(std::move(segments)));
  }
  atomic_write_file(dir / "MANIFEST", to_json(JsonValue(std::move(root))) + "\n");
}

}  // namespace vesper
