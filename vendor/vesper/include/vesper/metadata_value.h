// Metadata field values: string, number (double), integer (i64), boolean, or string[] tags.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vesper {

using Tags = std::vector<std::string>;

/// One metadata value. Numbers and integers compare numerically with each other in filters.
using MetaValue = std::variant<std::string, double, std::int64_t, bool, Tags>;

/// A document's metadata: field name → value, sorted by field name, names unique.
using Metadata = std::vector<std::pair<std::string, MetaValue>>;

}  // namespace vesper
