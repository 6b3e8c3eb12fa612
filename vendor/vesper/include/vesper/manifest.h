// <dir>/MANIFEST: the collection's fixed options and its current checkpoint, replaced atomically.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vesper/collection.h"

namespace vesper {

struct Manifest {
  CollectionOptions options;
  std::uint64_t checkpoint_lsn = 0;
  std::string checkpoint_file;  // empty: no checkpoint yet
  /// First LSNs of the WAL segments that must exist (see WalWriter::SegmentListener); nullopt in a
  /// MANIFEST written before the list existed (then nothing is checked until the next open records it).
  std::optional<std::vector<std::uint64_t>> wal_segments;
};

/// The manifest of `dir`, or nullopt for a new collection. Throws kCorruption naming the file.
std::optional<Manifest> read_manifest(const std::filesystem::path& dir);

/// Writes it atomically (temp file, fsync, rename, fsync dir).
void write_manifest(const std::filesystem::path& dir, const Manifest& manifest);

}  // namespace vesper
