// The WAL payload of a write batch: its validated operations, replayed through the same apply().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vesper/collection.h"

namespace vesper {

/// Serialises validated operations (vectors as given; apply() normalises them deterministically).
std::string encode_batch(const std::vector<WriteOp>& batch);

/// Decodes a batch written by encode_batch; vectors come back owned. Throws kCorruption.
std::vector<WriteOp> decode_batch(std::string_view payload, const std::string& what);

/// Metadata in the same binary form (shared with checkpoints).
void encode_metadata(std::string& out, const Metadata& md);
Metadata decode_metadata(class ByteReader& in);

}  // namespace vesper
