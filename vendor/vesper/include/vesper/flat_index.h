// Exact (brute-force) dense search: small collections and very selective filters.
#pragma once

#include <cstddef>
#include <vector>

#include "vesper/bitset.h"
#include "vesper/ids.h"
#include "vesper/vector_store.h"

namespace vesper {

/// The k most similar ids among those set in `allowed` that have a vector, best first (better_hit
/// order: similarity descending, ties by id ascending). `prepared_query` comes from
/// VectorStore::prepare_query. Scores are internal similarities (see VectorStore::similarity).
std::vector<ScoredId> flat_search(const VectorStore& store, const float* prepared_query, std::size_t k,
                                  const Bitset& allowed);

}  // namespace vesper
