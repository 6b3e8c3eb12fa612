// Dense vectors of one collection, stored contiguously and indexed by internal document id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#include "vesper/bitset.h"
#include "vesper/ids.h"
#include "vesper/metric.h"

namespace vesper {

/// Rows are `dim` floats at `id * dim`; ids without a vector (gaps) keep an unused row, which is cheap
/// because ids are dense. Cosine vectors are stored normalised, so every metric compares with one dot
/// product or one squared distance.
///
/// Not internally synchronised: many concurrent readers are fine while no writer runs.
class VectorStore {
 public:
  /// dim must be ≥ 1 (kInvalidArgument, component "collection").
  VectorStore(std::size_t dim, Metric metric);

  VectorStore(const VectorStore& other);
  VectorStore& operator=(const VectorStore& other);
  VectorStore(VectorStore&&) noexcept = default;
  VectorStore& operator=(VectorStore&&) noexcept = default;

  /// Stores (or replaces) the vector of `id`, normalised for cosine. Validates before touching anything:
  /// NaN/±Inf → kInvalidArgument (component "vector", "vector[17] is NaN"); a zero vector under cosine
  /// → kInvalidArgument. A rejected put leaves the store unchanged.
  void put(DocId id, const float* v);
  /// put() for a vector the caller has already validated (the collection validates a batch whole first).
  void put_validated(DocId id, const float* v);
  /// Stores a row already in stored form (a checkpoint's, whose checksum was verified and whose vectors
  /// were validated when first written): only checked for NaN/±Inf (kInvalidArgument), never normalised
  /// again, so a reloaded collection holds bit-identical vectors.
  void put_stored(DocId id, const float* v);

  bool has(DocId id) const noexcept { return present_.test(id); }
  /// The stored row, or nullptr when `id` has no vector.
  const float* get(DocId id) const noexcept { return has(id) ? row(id) : nullptr; }

  std::size_t dim() const noexcept { return dim_; }
  Metric metric() const noexcept { return metric_; }
  /// Number of ids that have a vector.
  std::size_t size() const noexcept { return count_; }
  /// One past the largest id that has a row (present or gap).
  std::size_t id_bound() const noexcept { return rows_; }
  /// Ids that have a vector.
  const Bitset& ids() const noexcept { return present_; }

  /// Unchecked row access for index inner loops: `id` must be < id_bound().
  const float* row(DocId id) const noexcept { return data_.get() + static_cast<std::size_t>(id) * dim_; }

  /// Grows the row capacity ahead of a bulk load (never shrinks).
  void reserve(std::size_t ids);

  /// Validates a query like put() and writes the form similarity() expects (normalised for cosine).
  /// `out` may alias `in`; it is written only when the query is valid.
  void prepare_query(const float* in, float* out) const;

  /// Internal similarity of a prepared query to a stored vector, higher is better: cosine and ip → dot
  /// product; l2 → −(squared distance). `id` must have a vector.
  float similarity(const float* prepared_query, DocId id) const noexcept;

  /// Internal similarity of two stored vectors (same conventions).
  float similarity_between(DocId a, DocId b) const noexcept;

  std::size_t memory_bytes() const noexcept;

 private:
  struct FreeAligned {
    void operator()(float* p) const noexcept { ::operator delete[](p, std::align_val_t{64}); }
  };

  void validate(const float* v) const;
  void store(DocId id, const float* v, bool normalise, bool check);
  void grow(std::size_t min_rows);

  std::size_t dim_;
  Metric metric_;
  std::unique_ptr<float[], FreeAligned> data_;  // 64-byte aligned: rows start on cache lines when dim % 16 == 0
  std::size_t rows_ = 0;                        // rows in use (id_bound)
  std::size_t capacity_ = 0;                    // rows allocated
  std::size_t count_ = 0;
  Bitset present_;
};

/// The score users see: l2 → −distance (−sqrt of the squared distance); cosine and ip unchanged.
float public_score(Metric metric, float internal_similarity) noexcept;

/// The raw distance users may see next to the score: cosine → 1 − s, ip → −s, l2 → sqrt(−s).
float public_distance(Metric metric, float internal_similarity) noexcept;

}  // namespace vesper
