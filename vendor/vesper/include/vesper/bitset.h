// A dense bitset over internal document ids: filter results, live-document masks, visited sets.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vesper/ids.h"

namespace vesper {

class Bitset {
 public:
  Bitset() = default;
  explicit Bitset(std::size_t size, bool value = false)
      : words_((size + 63) / 64, value ? ~std::uint64_t{0} : 0), size_(size) {
    trim();
  }

  std::size_t size() const noexcept { return size_; }

  /// Grows (new bits are `value`); never shrinks.
  void resize(std::size_t size, bool value = false) {
    if (size <= size_) return;
    std::size_t old = size_;
    words_.resize((size + 63) / 64, 0);
    size_ = size;
    if (value) {
      for (std::size_t i = old; i < size; ++i) set(static_cast<DocId>(i));
    }
  }

  bool test(DocId id) const noexcept {
    return id < size_ && ((words_[id >> 6] >> (id & 63)) & 1u) != 0;
  }
  void set(DocId id) noexcept { words_[id >> 6] |= std::uint64_t{1} << (id & 63); }
  void reset(DocId id) noexcept { words_[id >> 6] &= ~(std::uint64_t{1} << (id & 63)); }

  std::size_t count() const noexcept {
    std::size_t n = 0;
    for (std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
  }

  /// this &= other (bits beyond other's size are cleared).
  Bitset& operator&=(const Bitset& other) noexcept {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= i < other.words_.size() ? other.words_[i] : 0;
    return *this;
  }
  /// this |= other (other must not be larger).
  Bitset& operator|=(const Bitset& other) noexcept {
    for (std::size_t i = 0; i < words_.size() && i < other.words_.size(); ++i) words_[i] |= other.words_[i];
    trim();
    return *this;
  }
  /// this &= ~other.
  Bitset& and_not(const Bitset& other) noexcept {
    for (std::size_t i = 0; i < words_.size() && i < other.words_.size(); ++i) words_[i] &= ~other.words_[i];
    return *this;
  }

  /// Calls fn(id) for every set bit, in ascending id order.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t bits = words_[w];
      while (bits != 0) {
        fn(static_cast<DocId>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
        bits &= bits - 1;
      }
    }
  }

  std::vector<DocId> to_vector() const {
    std::vector<DocId> out;
    out.reserve(count());
    for_each([&](DocId id) { out.push_back(id); });
    return out;
  }

 private:
  void trim() noexcept {
    if (size_ % 64 != 0 && !words_.empty()) words_.back() &= (std::uint64_t{1} << (size_ % 64)) - 1;
  }

  std::vector<std::uint64_t> words_;
  std::size_t size_ = 0;
};

}  // namespace vesper
