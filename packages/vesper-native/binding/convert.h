// JS ⇄ engine conversions. Bad input throws vesper::Error with the path of the offending value.
#pragma once

#include <napi.h>

#include <optional>
#include <string>
#include <vector>

#include "vesper/collection.h"

namespace vesper_native {

/// Reads a collection's options object ({ dim, metric, hnsw, bm25, efSearch, flatThreshold, … }).
vesper::CollectionOptions to_options(const Napi::Value& value);
/// Reads options.durability ({ mode, groupCommitMs, checkpointWalBytes, compactRatio, … }).
vesper::DurabilityOptions to_durability(const Napi::Value& value);

/// Reads an array of documents. Float32Array vectors are borrowed: their objects go to `keep_alive`.
std::vector<vesper::DocumentInput> to_documents(const Napi::Value& value, std::vector<Napi::ObjectReference>& keep_alive);

/// Reads an array of ids (number | bigint) or keys (string).
std::vector<vesper::DocRef> to_refs(const Napi::Value& value, const std::string& where);
vesper::DocRef to_ref(const Napi::Value& value, const std::string& where);

/// A vector argument: Float32Array (borrowed, referenced in keep_alive) or number[] (copied into owned).
std::span<const float> to_vector(const Napi::Value& value, const std::string& where, std::vector<float>& owned,
                                 std::vector<Napi::ObjectReference>& keep_alive);

/// Optional string option (`undefined`/`null` → nullopt).
std::optional<std::string> optional_string(const Napi::Object& object, const char* name, const std::string& where);
/// Optional non-negative integer option.
std::optional<std::size_t> optional_count(const Napi::Object& object, const char* name, const std::string& where);
std::optional<double> optional_number(const Napi::Object& object, const char* name, const std::string& where);
std::optional<bool> optional_bool(const Napi::Object& object, const char* name, const std::string& where);
/// Options object or empty object when undefined.
Napi::Object options_object(const Napi::Value& value, const std::string& where);

Napi::Value from_hits(Napi::Env env, const std::vector<vesper::SearchHit>& hits);
Napi::Value from_document(Napi::Env env, const vesper::StoredDocument& doc);
Napi::Value from_stats(Napi::Env env, const vesper::CollectionStats& stats);
Napi::Value from_id(Napi::Env env, std::uint64_t id);

}  // namespace vesper_native
