#include "vesper/wal_format.h"

#include <cstdio>

#include "vesper/crc32c.h"

namespace vesper {
namespace {

// Explicit byte shifts: the format is little-endian on every host.
void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFFu));
  out.push_back(static_cast<char>(v >> 8));
}
void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
std::uint16_t get_u16(const unsigned char* p) noexcept {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t get_u32(const unsigned char* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
std::uint64_t get_u64(const unsigned char* p) noexcept {
  return static_cast<std::uint64_t>(get_u32(p)) | static_cast<std::uint64_t>(get_u32(p + 4)) << 32;
}

constexpr std::size_t kSegmentDigits = 20;
constexpr std::string_view kSegmentSuffix = ".log";

}  // namespace

void append_wal_frame(std::string& out, WalFrameType type, std::uint64_t lsn, std::string_view payload) {
  const std::size_t start = out.size();
  out.reserve(start + kWalFrameOverhead + payload.size());
  put_u32(out, kWalMagic);
  put_u32(out, static_cast<std::uint32_t>(kWalFrameOverhead + payload.size()));
  put_u16(out, static_cast<std::uint16_t>(type));
  put_u16(out, 0);
  put_u64(out, lsn);
  out.append(payload);
  put_u32(out, crc32c(out.data() + start, out.size() - start));
}

WalFrameHeader decode_wal_header(const unsigned char* p) noexcept {
  WalFrameHeader h;
  h.magic = get_u32(p);
  h.length = get_u32(p + 4);
  h.type = get_u16(p + 8);
  h.reserved = get_u16(p + 10);
  h.lsn = get_u64(p + 12);
  return h;
}

bool wal_frame_crc_ok(const unsigned char* frame, std::size_t length) noexcept {
  const std::size_t body = length - kWalCrcSize;
  return crc32c(frame, body) == get_u32(frame + body);
}

std::string encode_wal_commit(const WalCommit& commit) {
  std::string out;
  out.reserve(kWalCommitPayloadSize);
  put_u32(out, commit.data_frames);
  put_u32(out, commit.payload_crc);
  put_u64(out, commit.payload_size);
  return out;
}

std::optional<WalCommit> decode_wal_commit(std::string_view payload) noexcept {
  if (payload.size() != kWalCommitPayloadSize) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  WalCommit c;
  c.data_frames = get_u32(p);
  c.payload_crc = get_u32(p + 4);
  c.payload_size = get_u64(p + 8);
  return c;
}

std::string wal_segment_name(std::uint64_t first_lsn) {
  char buf[kSegmentDigits + 1];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(first_lsn));
  return std::string(buf) + std::string(kSegmentSuffix);
}

std::optional<std::uint64_t> parse_wal_segment_name(std::string_view name) noexcept {
  if (name.size() != kSegmentDigits + kSegmentSuffix.size()) return std::nullopt;
  if (name.substr(kSegmentDigits) != kSegmentSuffix) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < kSegmentDigits; ++i) {
    const char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;  // 20 digits can exceed 2^64
    v = v * 10 + d;
  }
  return v;
}

}  // namespace vesper
