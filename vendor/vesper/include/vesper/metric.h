// The similarity metric of a collection's vectors.
#pragma once

#include <string>
#include <string_view>

#include "vesper/error.h"

namespace vesper {

/// cosine: vectors are normalised on ingest and compared by dot product; l2: Euclidean distance;
/// ip: raw inner product. Every index reports a similarity (higher is better) whatever the metric.
enum class Metric { kCosine, kL2, kInnerProduct };

/// "cosine" | "l2" | "ip"; anything else is kInvalidArgument (component "collection") naming the value.
inline Metric parse_metric(std::string_view name) {
  if (name == "cosine") return Metric::kCosine;
  if (name == "l2") return Metric::kL2;
  if (name == "ip") return Metric::kInnerProduct;
  throw Error(ErrorCode::kInvalidArgument, "collection",
              "unknown metric \"" + std::string(name) + "\" (expected \"cosine\", \"l2\" or \"ip\")");
}

/// The name parse_metric accepts (never null).
inline const char* metric_name(Metric metric) noexcept {
  switch (metric) {
    case Metric::kCosine: return "cosine";
    case Metric::kL2: return "l2";
    case Metric::kInnerProduct: return "ip";
  }
  return "cosine";
}

}  // namespace vesper
