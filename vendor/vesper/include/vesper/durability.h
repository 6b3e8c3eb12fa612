// Durability settings and what recovery found on open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vesper {

/// none: no WAL, state is persisted at checkpoints and close only. flush: WAL written to the OS before
/// a write resolves (survives a process crash, not a power cut). commit: fsync before a write resolves.
enum class DurabilityMode { kNone, kFlush, kCommit };

/// "none" | "flush" | "commit".
DurabilityMode parse_durability(std::string_view name);
const char* durability_name(DurabilityMode mode) noexcept;

struct DurabilityOptions {
  DurabilityMode mode = DurabilityMode::kCommit;
  /// A commit leader waits this long before its fsync so more concurrent writers share it.
  std::uint32_t group_commit_ms = 0;
  /// A checkpoint is taken automatically once the WAL holds this many bytes.
  std::uint64_t checkpoint_wal_bytes = std::uint64_t{64} << 20;
  std::size_t wal_segment_bytes = std::size_t{64} << 20;
  /// Compaction rebuilds the indexes once tombstones exceed this share of slots…
  double compact_ratio = 0.2;
  /// …and this count (so small collections are not rebuilt over a handful of deletions).
  std::size_t compact_min_tombstones = 1000;
};

/// What opening a collection found and did.
struct RecoveryReport {
  std::uint64_t checkpoint_lsn = 0;   // 0: no checkpoint
  std::size_t replayed_batches = 0;   // committed WAL batches applied after the checkpoint
  std::uint64_t last_lsn = 0;
  bool truncated = false;             // a torn or corrupt WAL tail was cut off
  std::string truncated_file;
  std::uint64_t truncated_offset = 0;
  std::uint64_t dropped_bytes = 0;
  std::string reason;
  /// Why the text index was rebuilt from the stored texts instead of loaded ("" = loaded or nothing to
  /// load): an older checkpoint without one, another analyzer version, or new analyzer settings.
  std::string text_reindexed;
  double duration_ms = 0;
};

struct SnapshotInfo {
  std::string label;
  std::uint64_t lsn = 0;
};

}  // namespace vesper
