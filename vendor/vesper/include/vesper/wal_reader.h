// Recovery: replays the committed batches of a write-ahead log (format: wal_format.h) and repairs a
// torn tail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace vesper {

struct WalBatch {
  std::uint64_t lsn = 0;  // the commit frame's LSN
  std::string payload;
};

struct WalRecovery {
  /// Batches passed to `apply` (those with lsn > after_lsn).
  std::size_t batches = 0;
  /// The highest LSN left in the WAL, or after_lsn if that is higher: open the WalWriter at last_lsn + 1.
  std::uint64_t last_lsn = 0;
  /// A torn or corrupt tail was cut off.
  bool truncated = false;
  /// "<WAL dir name>/<segment>", e.g. "wal/00000000000000000001.log", and where it was cut.
  std::string truncated_file;
  std::uint64_t truncated_offset = 0;
  std::uint64_t dropped_bytes = 0;
  /// "torn frame header", "bad magic", "bad frame length", "torn frame", "crc mismatch",
  /// "batch without commit".
  std::string reason;
};

/// Reads the segments of the WAL directory `dir` in LSN order and calls `apply` for every complete,
/// CRC-valid, committed batch with lsn > after_lsn, in order (batches at or below after_lsn — already
/// in a checkpoint — are validated but skipped). A missing directory is an empty WAL.
///
/// * Torn/corrupt tail — the first bad frame is in the last non-empty segment and no CRC-valid commit
///   frame follows it: the segment is cut at the end of its last complete batch (ftruncate + fsync;
///   deleted if that leaves it empty), trailing empty segments are deleted, and the result says so.
///   Data frames after the cut are dropped even if valid: without their commit they were never
///   acknowledged, and a multi-frame batch torn by out-of-order writeback looks exactly like that.
/// * Anything else — a bad frame followed by a valid commit frame, a bad frame or an unfinished batch
///   in an earlier segment, an LSN gap or repeat, a malformed commit — throws Error(kCorruption, "wal",
///   "wal/<segment> at offset N: …") and changes nothing on disk: committed data is never dropped
///   silently.
///
/// * `recorded` (the segment list of the collection's MANIFEST; nullptr when it has none, as in
///   collections written before the list existed): each recorded segment must exist, be non-empty and
///   keep its first frame — a missing or emptied segment, or a repair that would delete one, throws
///   Error(kCorruption, "wal", "wal/<segment> …") before anything changes on disk: a deleted newest
///   segment is never mistaken for a shorter log.
///
/// `apply` runs as batches are validated, so on a throw some batches have already been applied; the
/// caller must then discard that state. Exceptions from `apply` propagate unchanged. Segments that
/// were read are fdatasync'ed, so what was applied stays durable before new batches follow it.
WalRecovery replay_wal(const std::filesystem::path& dir, std::uint64_t after_lsn,
                       const std::function<void(const WalBatch&)>& apply,
                       const std::vector<std::uint64_t>* recorded = nullptr);

}  // namespace vesper
