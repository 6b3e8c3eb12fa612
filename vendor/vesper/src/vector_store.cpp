#include "vesper/vector_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "vesper/distance.h"
#include "vesper/error.h"

namespace vesper {

VectorStore::VectorStore(std::size_t dim, Metric metric) : dim_(dim), metric_(metric) {
  if (dim == 0) throw_invalid("collection", "dim must be at least 1");
  // A row count times dim must stay addressable; 2^20 dims is far beyond any embedding model.
  if (dim > (std::size_t{1} << 20)) throw_invalid("collection", "dim " + std::to_string(dim) + " is too large");
}

VectorStore::VectorStore(const VectorStore& other)
    : dim_(other.dim_), metric_(other.metric_), count_(other.count_), present_(other.present_) {
  grow(other.rows_);
  rows_ = other.rows_;
  if (rows_ != 0) std::memcpy(data_.get(), other.data_.get(), rows_ * dim_ * sizeof(float));
}

VectorStore& VectorStore::operator=(const VectorStore& other) {
  if (this != &other) *this = VectorStore(other);
  return *this;
}

void VectorStore::validate(const float* v) const {
  for (std::size_t i = 0; i < dim_; ++i) {
    if (std::isnan(v[i])) throw Error(ErrorCode::kInvalidArgument, "vector", "vector[" + std::to_string(i) + "] is NaN");
    if (std::isinf(v[i])) {
      throw Error(ErrorCode::kInvalidArgument, "vector",
                  "vector[" + std::to_string(i) + "] is " + (v[i] > 0 ? "+Infinity" : "-Infinity"));
    }
  }
  if (metric_ == Metric::kCosine && l2_norm(v, dim_) == 0) {
    throw Error(ErrorCode::kInvalidArgument, "vector", "vector has zero norm; cosine similarity needs a non-zero vector");
  }
}

void VectorStore::grow(std::size_t min_rows) {
  if (min_rows <= capacity_) return;
  // 1.5x growth: ids arrive mostly one at a time in increasing order.
  std::size_t cap = std::max({min_rows, capacity_ + capacity_ / 2, std::size_t{16}});
  auto* raw = static_cast<float*>(::operator new[](cap * dim_ * sizeof(float), std::align_val_t{64}));
  std::unique_ptr<float[], FreeAligned> fresh(raw);
  if (rows_ != 0) std::memcpy(fresh.get(), data_.get(), rows_ * dim_ * sizeof(float));
  data_ = std::move(fresh);
  capacity_ = cap;
}

void VectorStore::reserve(std::size_t ids) { grow(ids); }

void VectorStore::put(DocId id, const float* v) { store(id, v, metric_ == Metric::kCosine, true); }

void VectorStore::put_validated(DocId id, const float* v) { store(id, v, metric_ == Metric::kCosine, false); }

void VectorStore::put_stored(DocId id, const float* v) { store(id, v, false, false); }

void VectorStore::store(DocId id, const float* v, bool normalise, bool check) {
  if (check) {
    validate(v);
  } else {
    // x - x is NaN exactly when x is NaN or infinite: one vectorisable pass, then the precise message.
    float probe = 0;
    for (std::size_t i = 0; i < dim_; ++i) probe += v[i] - v[i];
    if (probe != 0) validate(v);
  }
  std::size_t need = static_cast<std::size_t>(id) + 1;
  std::vector<float> own;
  std::less<const float*> before;
  if (need > capacity_ && data_ && !before(v, data_.get()) && before(v, data_.get() + capacity_ * dim_)) {
    own.assign(v, v + dim_);  // v is one of our rows and grow() is about to move it
    v = own.data();
  }
  if (need > rows_) {
    grow(need);
    present_.resize(need);  // may throw; nothing observable has changed yet
    // Gap rows are zeroed so that every row in use holds defined bytes.
    std::memset(data_.get() + rows_ * dim_, 0, (need - rows_) * dim_ * sizeof(float));
    rows_ = need;
  }
  float* dst = data_.get() + static_cast<std::size_t>(id) * dim_;
  if (dst != v) std::memmove(dst, v, dim_ * sizeof(float));
  if (normalise) normalize(dst, dim_);
  if (!present_.test(id)) {
    present_.set(id);
    ++count_;
  }
}

void VectorStore::prepare_query(const float* in, float* out) const {
  validate(in);
  if (out != in) std::memmove(out, in, dim_ * sizeof(float));
  if (metric_ == Metric::kCosine) normalize(out, dim_);
}

float VectorStore::similarity(const float* prepared_query, DocId id) const noexcept {
  const float* v = row(id);
  return metric_ == Metric::kL2 ? -l2_squared(prepared_query, v, dim_) : dot(prepared_query, v, dim_);
}

float VectorStore::similarity_between(DocId a, DocId b) const noexcept { return similarity(row(a), b); }

std::size_t VectorStore::memory_bytes() const noexcept {
  return sizeof(*this) + capacity_ * dim_ * sizeof(float) + (present_.size() + 63) / 64 * 8;
}

float public_score(Metric metric, float s) noexcept {
  if (metric == Metric::kL2) return -std::sqrt(std::max(0.0f, -s));
  return s;
}

float public_distance(Metric metric, float s) noexcept {
  switch (metric) {
    case Metric::kCosine: return 1.0f - s;
    case Metric::kInnerProduct: return -s;
    case Metric::kL2: return std::sqrt(std::max(0.0f, -s));
  }
  return -s;
}

}  // namespace vesper
