// Little-endian encoding of the engine's own binary files (WAL batches, checkpoints). Reads are
// bounds-checked and report corruption instead of reading past the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "vesper/error.h"

namespace vesper {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { put(&v, 4); }
  void u64(std::uint64_t v) { put(&v, 8); }
  void i64(std::int64_t v) { put(&v, 8); }
  void f64(double v) { put(&v, 8); }
  void floats(const float* data, std::size_t n) { put(data, n * sizeof(float)); }
  /// Raw little-endian bytes of trivially copyable values (arrays of integers).
  void raw(const void* data, std::size_t n) {
    if (n != 0) put(data, n);  // an empty vector's data() may be null
  }
  void bytes(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }

 private:
  // The engine targets little-endian hosts (x86-64, arm64); memcpy keeps it free of aliasing issues.
  void put(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out_;
};

class ByteReader {
 public:
  /// `what` names the data in errors ("checkpoint checkpoint-42.vsp", "wal batch 17").
  ByteReader(std::string_view in, std::string what) : in_(in), what_(std::move(what)) {}
  std::uint8_t u8() { return get<std::uint8_t>(); }
  std::uint32_t u32() { return get<std::uint32_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  std::int64_t i64() { return get<std::int64_t>(); }
  double f64() { return get<double>(); }
  void floats(float* out, std::size_t n) {
    need(n * sizeof(float));
    std::memcpy(out, in_.data() + pos_, n * sizeof(float));
    pos_ += n * sizeof(float);
  }
  void raw(void* out, std::size_t n) {
    if (n == 0) return;  // an empty vector's data() may be null: memcpy must not see it
    need(n);
    std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view bytes() {
    std::uint64_t n = u64();
    need(n);
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t position() const noexcept { return pos_; }
  bool done() const noexcept { return pos_ == in_.size(); }
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorCode::kCorruption, "storage", what_ + " at byte " + std::to_string(pos_) + ": " + why);
  }

 private:
  template <typename T>
  T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  void need(std::uint64_t n) const {
    if (n > in_.size() - pos_) fail("truncated (needs " + std::to_string(n) + " more bytes)");
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  std::string what_;
};

}  // namespace vesper
