// Rank fusion of a dense and a sparse hit list into one ranking (hybrid search).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vesper/ids.h"

namespace vesper {

enum class FusionAlgorithm { kReciprocalRank, kWeightedSum, kMaxScore, kLateInteraction };

/// "RECIPROCAL_RANK" | "WEIGHTED_SUM" | "MAX_SCORE" | "LATE_INTERACTION" (case-insensitive; also "rrf").
FusionAlgorithm parse_fusion(std::string_view name);
const char* fusion_name(FusionAlgorithm algorithm) noexcept;

struct FusionParams {
  FusionAlgorithm algorithm = FusionAlgorithm::kReciprocalRank;
  double rrf_k = 60.0;
  double dense_weight = 0.5;
  double sparse_weight = 0.5;
};

/// One fused hit. Ranks are 1-based; 0 means "absent from that list".
struct FusedHit {
  DocId id;
  double fused_score;
  float dense_score;
  float sparse_score;
  std::uint32_t dense_rank;
  std::uint32_t sparse_rank;
};

/// Validates params: rrf_k > 0, weights finite, ≥ 0 and not both 0 (weighted algorithms only).
void validate_fusion(const FusionParams& params);

/// Fuses two best-first lists (similarities, higher is better) and returns the top `k`, ordered by fused
/// score then id. RRF: Σ 1/(rrf_k + rank). WEIGHTED_SUM: weights renormalised to sum 1, each list min–max
/// normalised (a list whose scores are all equal normalises to 1). MAX_SCORE: the larger of the two
/// normalised scores. LATE_INTERACTION has no token-level vectors here and falls back to WEIGHTED_SUM.
std::vector<FusedHit> fuse(const std::vector<ScoredId>& dense, const std::vector<ScoredId>& sparse,
                           const FusionParams& params, std::size_t k);

}  // namespace vesper
