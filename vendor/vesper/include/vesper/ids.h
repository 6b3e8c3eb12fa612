// Identifier types shared by every index.
#pragma once

#include <cstdint>
#include <vector>

namespace vesper {

/// Dense internal document id (0, 1, 2, …). Every upsert allocates a fresh one; the old one is
/// tombstoned. Indexes are therefore append-only between compactions, and ids grow with insert order.
using DocId = std::uint32_t;

/// A search hit inside one index: `score` is a similarity, higher is better.
struct ScoredId {
  DocId id;
  float score;
};

/// Orders hits best first, ties by ascending internal id (deterministic output).
inline bool better_hit(const ScoredId& a, const ScoredId& b) noexcept {
  return a.score != b.score ? a.score > b.score : a.id < b.id;
}

}  // namespace vesper
