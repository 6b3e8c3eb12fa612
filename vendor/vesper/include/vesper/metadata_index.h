// Per-document metadata and the indexes that evaluate filters into bitsets over internal ids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "vesper/bitset.h"
#include "vesper/filter.h"
#include "vesper/ids.h"
#include "vesper/json.h"
#include "vesper/metadata_value.h"

namespace vesper {

/// Metadata limits (filters share the name and string limits through filter.h).
inline constexpr std::size_t kMaxTagsPerField = 1024;

/// Stores each document's metadata and, per field:
///   - an ordered term index: type-tagged keys (the string "1", the boolean true and the number 1 are
///     different terms; integer 3 and double 3.0 are the same term) → sorted doc ids. Each tag of a
///     tags field is a string term of that field, so equality on a tags field means "contains";
///   - a sorted numeric index (integers and doubles compared exactly together) for ranges;
///   - a presence list for exists.
/// Prefix filters walk the string terms from lower_bound(prefix).
/// Filter semantics: and([]) = all live, or([]) = none, not X = live ∖ X (documents lacking the field
/// match not), a term against a field of another type matches nothing, a range matches only numeric
/// values. A field may hold different types in different documents.
/// Thread safety: const methods never mutate (safe for concurrent readers); the caller serialises
/// writers against everything else.
class MetadataIndex {
 public:
  /// Validates and normalises metadata: field names 1..256 bytes of UTF-8, unique; strings and tags
  /// ≤ 64 KiB of UTF-8; numbers finite; ≤ 1024 tags per field. Returns it sorted by field name.
  /// Errors: Error kInvalidArgument, component "metadata", naming the field.
  static Metadata validate(Metadata md);

  /// Sets a document's metadata (validated first, so a rejected call changes nothing); replaces
  /// whatever the id had before.
  void set(DocId id, Metadata md);
  /// Forgets a document's metadata (no-op when it has none).
  void remove(DocId id);
  void clear();

  /// The document's metadata (sorted by field name), or nullptr. Valid until the next mutation.
  const Metadata* get(DocId id) const;
  /// Number of documents with metadata (possibly empty metadata).
  std::size_t size() const noexcept { return count_; }
  /// One past the largest id that may have metadata (for iterating, e.g. by a checkpoint writer).
  std::size_t id_bound() const noexcept { return docs_.size(); }

  /// The documents of `live` that match `filter`: a Bitset of live.size() bits, ⊆ live. Validates the
  /// filter first (validate_filter); an invalid one throws Error kInvalidArgument component "filter".
  Bitset evaluate(const Filter& filter, const Bitset& live) const;

  /// Approximate heap bytes held (documents and indexes). Walks everything: meant for stats, not hot paths.
  std::size_t memory_bytes() const;

 private:
  struct NumEntry {
    Number value;
    DocId id;
  };
  struct NumLess {
    bool operator()(const NumEntry& a, const NumEntry& b) const noexcept;
  };
  struct FieldIndex {
    std::map<std::string, std::vector<DocId>, std::less<>> terms;  // type-tagged key → sorted ids
    std::set<NumEntry, NumLess> numbers;
    std::vector<DocId> present;  // sorted
  };

  void index_doc(DocId id, const Metadata& md);
  void unindex_doc(DocId id, const Metadata& md);
  Bitset eval(const Filter& f, const Bitset& allowed) const;
  const FieldIndex* field(const std::string& name) const;

  std::vector<Metadata> docs_;
  std::vector<std::uint8_t> has_;  // docs_[id] is meaningful
  std::size_t count_ = 0;
  std::map<std::string, FieldIndex, std::less<>> fields_;
};

/// Metadata as a JSON object in field order: strings, numbers (integers exactly), booleans, tags as
/// arrays of strings. What the binding returns to JavaScript.
JsonValue metadata_to_json(const Metadata& md);

/// The reverse, for callers holding JSON (CLI, binding): the value must be an object whose members are
/// strings, numbers (integer literals become integers), booleans or arrays of strings (tags). Validated
/// like MetadataIndex::validate; errors are component "metadata" and name the field.
Metadata metadata_from_json(const JsonValue& json);

}  // namespace vesper
