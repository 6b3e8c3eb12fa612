#include "vesper/flat_index.h"

#include <algorithm>

#include "vesper/distance.h"

namespace vesper {
namespace {

template <bool kL2>
void scan(const VectorStore& store, const float* q, std::size_t k, const Bitset& allowed,
          std::vector<ScoredId>& heap) {
  const DistanceKernels& kernels = active_distance_kernels();
  const std::size_t dim = store.dim();
  const Bitset& present = store.ids();
  // A bounded heap whose top is the worst kept hit (better_hit as "less" puts the worst on top).
  allowed.for_each([&](DocId id) {
    if (!present.test(id)) return;
    const float* v = store.row(id);
    ScoredId hit{id, kL2 ? -kernels.l2_squared(q, v, dim) : kernels.dot(q, v, dim)};
    if (heap.size() < k) {
      heap.push_back(hit);
      std::push_heap(heap.begin(), heap.end(), better_hit);
    } else if (better_hit(hit, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better_hit);
      heap.back() = hit;
      std::push_heap(heap.begin(), heap.end(), better_hit);
    }
  });
}

}  // namespace

std::vector<ScoredId> flat_search(const VectorStore& store, const float* prepared_query, std::size_t k,
                                  const Bitset& allowed) {
  std::vector<ScoredId> heap;
  if (k == 0) return heap;
  heap.reserve(std::min(k, store.size()));
  if (store.metric() == Metric::kL2) {
    scan<true>(store, prepared_query, k, allowed, heap);
  } else {
    scan<false>(store, prepared_query, k, allowed, heap);
  }
  std::sort(heap.begin(), heap.end(), better_hit);
  return heap;
}

}  // namespace vesper
