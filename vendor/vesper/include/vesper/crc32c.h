// CRC32C (Castagnoli), the checksum of WAL frames and checkpoint files.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vesper {

/// Extends `crc` (0 to start) over `size` bytes. crc32c("123456789") == 0xE3069283.
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;

}  // namespace vesper
