// <dir>/MANIFEST: the collection's fixed options and its current checkpoint, replaced atomically.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "vesper/collection.h"

namespace vesper {

struct Manifest {
  CollectionOptions options;
  std::uint64_t checkpoint_lsn = 0;
  std::string checkpoint_file;  // empty: no checkpoint yet
};

/// The manifest of `dir`, or nullopt for a new collection. Throws kCorruption naming the file.
std::optional<Manifest> read_manifest(const std::filesystem::path& dir);

/// Writes it atomically (temp file, fsync, rename, fsync dir).
void write_manifest(const std::filesystem::path& dir, const Manifest& manifest);

}  // namespace vesper
