// The write-ahead log's on-disk format (VESPER.md §6). All integers are little-endian.
//
// Frame: a 20-byte header, the payload, then a CRC32C over header + payload:
//   u32 magic 0x56535741 ("VSWA" in hex; the bytes on disk read "AWSV") | u32 total_length
//   (20 + payload + 4) | u16 type | u16 reserved (0) | u64 LSN | payload | u32 crc32c(header, payload)
// Types: 1 data, 2 commit, 3 padding (ignored by readers; carries an LSN like every frame). The writer
// opens every segment it creates with one empty padding frame, made durable before the segment is
// recorded in the collection's MANIFEST: a recorded segment is never legitimately empty.
//
// Batch: one or more data frames whose payloads, concatenated, are the batch payload (an empty payload
// is one empty data frame), followed by exactly one commit frame whose 16-byte payload is
//   u32 data_frames (data frames in the batch) | u32 payload_crc (crc32c of the whole batch payload)
//   | u64 payload_size (bytes in the whole batch payload)
// Every frame takes the next LSN (+1, no gaps); the batch's LSN is its commit frame's LSN.
//
// Segments: files `<20-digit LSN of the first frame>.log` in the WAL directory. A batch never spans
// segments; the writer starts a new segment at a batch boundary once the current one reaches its size
// limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vesper {

inline constexpr std::uint32_t kWalMagic = 0x56535741u;
inline constexpr std::size_t kWalHeaderSize = 20;
inline constexpr std::size_t kWalCrcSize = 4;
inline constexpr std::size_t kWalFrameOverhead = kWalHeaderSize + kWalCrcSize;  // smallest frame: 24
/// Readers treat a larger frame as corrupt — a bad length field must never size an allocation.
inline constexpr std::size_t kWalMaxFramePayload = std::size_t{64} << 20;
inline constexpr std::size_t kWalMaxFrameSize = kWalMaxFramePayload + kWalFrameOverhead;
/// The writer's default split: data frames carry at most this many payload bytes.
inline constexpr std::size_t kWalDefaultFramePayload = std::size_t{1} << 20;
inline constexpr std::size_t kWalCommitPayloadSize = 16;
inline constexpr std::size_t kWalCommitFrameSize = kWalFrameOverhead + kWalCommitPayloadSize;  // 40

enum class WalFrameType : std::uint16_t { kData = 1, kCommit = 2, kPadding = 3 };

struct WalFrameHeader {
  std::uint32_t magic = 0;
  std::uint32_t length = 0;  // whole frame: header + payload + CRC
  std::uint16_t type = 0;
  std::uint16_t reserved = 0;
  std::uint64_t lsn = 0;
};

struct WalCommit {
  std::uint32_t data_frames = 0;
  std::uint32_t payload_crc = 0;
  std::uint64_t payload_size = 0;
};

/// Appends one complete frame (header, payload, CRC) to `out`. The payload must be ≤ kWalMaxFramePayload.
void append_wal_frame(std::string& out, WalFrameType type, std::uint64_t lsn, std::string_view payload);

/// Decodes the 20 header bytes at `p` (no validation).
WalFrameHeader decode_wal_header(const unsigned char* p) noexcept;

/// True when the `length` bytes at `frame` end with the CRC32C of everything before it.
/// Requires length >= kWalFrameOverhead.
bool wal_frame_crc_ok(const unsigned char* frame, std::size_t length) noexcept;

std::string encode_wal_commit(const WalCommit& commit);
/// nullopt unless `payload` is exactly kWalCommitPayloadSize bytes.
std::optional<WalCommit> decode_wal_commit(std::string_view payload) noexcept;

/// "00000000000000000042.log"
std::string wal_segment_name(std::uint64_t first_lsn);
/// The first LSN encoded in a segment file name; nullopt for any other name.
std::optional<std::uint64_t> parse_wal_segment_name(std::string_view name) noexcept;

}  // namespace vesper
