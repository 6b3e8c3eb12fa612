// Appends batches to the write-ahead log (format: wal_format.h). Not thread-safe: the collection
// serialises writes and decides when to sync (durability modes, group commit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "vesper/wal_format.h"

namespace vesper {

class WalWriter {
 public:
  static constexpr std::size_t kDefaultSegmentBytes = std::size_t{64} << 20;

  /// Opens the WAL directory `dir` (created if missing) for appending; the first frame written gets
  /// `next_lsn` (≥ 1). Call replay_wal first and pass its last_lsn + 1: the first append starts a new
  /// segment named after `next_lsn`; the writer never reads or repairs older segments. Throws kInvalidArgument if a
  /// non-empty segment already holds LSNs ≥ next_lsn or a size is 0; `max_frame_payload` (the data
  /// frame split, ≤ kWalMaxFramePayload) exists for tests.
  static WalWriter open(const std::filesystem::path& dir, std::uint64_t next_lsn,
                        std::size_t segment_bytes = kDefaultSegmentBytes,
                        std::size_t max_frame_payload = kWalDefaultFramePayload);

  WalWriter(WalWriter&&) noexcept;
  WalWriter& operator=(WalWriter&&) noexcept;
  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;
  /// Closes the files without syncing (call sync() for durability).
  ~WalWriter();

  /// Called with the first LSNs of the segments the WAL will hold (ascending): after a new segment is
  /// created and its opening padding frame is durable (before any batch goes into it), and before
  /// segments are deleted. Only a writer with a listener opens its segments with a padding frame. The collection records the list in its MANIFEST, so a segment that goes
  /// missing later is corruption, not a shorter log. If it throws, the change does not happen: a new
  /// segment is deleted again (the append fails with that error), nothing is deleted.
  using SegmentListener = std::function<void(const std::vector<std::uint64_t>& segments)>;
  void set_segment_listener(SegmentListener listener);
  /// The first LSNs of the segments in the WAL directory, ascending.
  std::vector<std::uint64_t> segments() const;

  /// Writes one batch (write(2) only, no fsync) and returns its LSN (the commit frame's). A batch that
  /// starts a segment is preceded by the segment's padding frame (one more LSN) when a listener is set. On failure
  /// (e.g. ENOSPC) the segment is truncated back to the batch start, no LSN is consumed and kIo is
  /// thrown; if even that truncation fails the writer refuses all further calls (kIo).
  std::uint64_t append(std::string_view batch_payload);

  /// Makes every appended batch durable: fdatasync of the segments written since the last sync, then
  /// an fsync of the directory if a segment was created. An fsync failure poisons the writer (kIo):
  /// the kernel may have dropped the dirty pages, so nothing later can be trusted.
  void sync();

  /// LSN of the last appended batch (next_lsn - 1 before the first append).
  std::uint64_t written_lsn() const;
  /// LSN of the last batch covered by a successful sync() (initially next_lsn - 1: replay made the
  /// earlier WAL durable).
  std::uint64_t synced_lsn() const;
  /// Bytes in all segments of the WAL directory (pre-existing + appended − removed), for checkpoint
  /// scheduling.
  std::uint64_t total_bytes() const;

  /// Deletes, oldest first, whole segments whose frames all have LSN < `lsn` (call after a durable
  /// checkpoint at lsn - 1 or later), then fsyncs the directory. The segment being appended to is kept.
  void remove_segments_before(std::uint64_t lsn);

 private:
  struct Impl;
  explicit WalWriter(std::unique_ptr<Impl> impl) noexcept;
  Impl& impl() const;  // throws kClosed on a moved-from writer
  std::unique_ptr<Impl> impl_;
};

}  // namespace vesper
