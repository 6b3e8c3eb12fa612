#include "vesper/fusion.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <unordered_map>

#include "vesper/error.h"

namespace vesper {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// Min–max normalisation of a best-first list onto [0, 1]; a list whose scores are all equal maps to 1.
struct Normaliser {
  double lo = 0;
  double range = 0;
  explicit Normaliser(const std::vector<ScoredId>& hits) {
    if (hits.empty()) return;
    double hi = hits.front().score;
    lo = hi;
    for (const ScoredId& h : hits) {
      hi = std::max(hi, static_cast<double>(h.score));
      lo = std::min(lo, static_cast<double>(h.score));
    }
    range = hi - lo;
  }
  double operator()(float score) const { return range == 0 ? 1.0 : (score - lo) / range; }
};

}  // namespace

FusionAlgorithm parse_fusion(std::string_view name) {
  const std::string u = upper(name);
  if (u == "RECIPROCAL_RANK" || u == "RRF") return FusionAlgorithm::kReciprocalRank;
  if (u == "WEIGHTED_SUM") return FusionAlgorithm::kWeightedSum;
  if (u == "MAX_SCORE") return FusionAlgorithm::kMaxScore;
  if (u == "LATE_INTERACTION") return FusionAlgorithm::kLateInteraction;
  throw_invalid("fusion", "unknown fusion algorithm '" + std::string(name) +
                              "' (expected RECIPROCAL_RANK, WEIGHTED_SUM, MAX_SCORE or LATE_INTERACTION)");
}

const char* fusion_name(FusionAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case FusionAlgorithm::kReciprocalRank: return "RECIPROCAL_RANK";
    case FusionAlgorithm::kWeightedSum: return "WEIGHTED_SUM";
    case FusionAlgorithm::kMaxScore: return "MAX_SCORE";
    case FusionAlgorithm::kLateInteraction: return "LATE_INTERACTION";
  }
  return "RECIPROCAL_RANK";
}

void validate_fusion(const FusionParams& p) {
  if (!std::isfinite(p.rrf_k) || p.rrf_k <= 0) throw_invalid("fusion", "rrfK must be a finite number > 0");
  if (!std::isfinite(p.dense_weight) || p.dense_weight < 0)
    throw_invalid("fusion", "denseWeight must be a finite number >= 0");
  if (!std::isfinite(p.sparse_weight) || p.sparse_weight < 0)
    throw_invalid("fusion", "sparseWeight must be a finite number >= 0");
  const bool weighted = p.algorithm == FusionAlgorithm::kWeightedSum || p.algorithm == FusionAlgorithm::kLateInteraction;
  if (weighted && p.dense_weight + p.sparse_weight == 0)
    throw_invalid("fusion", "denseWeight and sparseWeight cannot both be 0");
}

std::vector<FusedHit> fuse(const std::vector<ScoredId>& dense, const std::vector<ScoredId>& sparse,
                           const FusionParams& params, std::size_t k) {
  validate_fusion(params);
  std::vector<FusedHit> hits;
  hits.reserve(dense.size() + sparse.size());
  std::unordered_map<DocId, std::size_t> slot;
  slot.reserve(dense.size() + sparse.size());
  auto entry = [&](DocId id) -> FusedHit& {
    auto [it, inserted] = slot.try_emplace(id, hits.size());
    if (inserted) hits.push_back(FusedHit{id, 0.0, 0.0f, 0.0f, 0, 0});
    return hits[it->second];
  };
  for (std::size_t i = 0; i < dense.size(); ++i) {
    FusedHit& h = entry(dense[i].id);
    h.dense_rank = static_cast<std::uint32_t>(i + 1);
    h.dense_score = dense[i].score;
  }
  for (std::size_t i = 0; i < sparse.size(); ++i) {
    FusedHit& h = entry(sparse[i].id);
    h.sparse_rank = static_cast<std::uint32_t>(i + 1);
    h.sparse_score = sparse[i].score;
  }

  const Normaliser dense_norm(dense);
  const Normaliser sparse_norm(sparse);
  const double weight_sum = params.dense_weight + params.sparse_weight;
  for (FusedHit& h : hits) {
    switch (params.algorithm) {
      case FusionAlgorithm::kReciprocalRank:
        h.fused_score = (h.dense_rank ? 1.0 / (params.rrf_k + h.dense_rank) : 0.0) +
                        (h.sparse_rank ? 1.0 / (params.rrf_k + h.sparse_rank) : 0.0);
        break;
      case FusionAlgorithm::kWeightedSum:
      case FusionAlgorithm::kLateInteraction:
        h.fused_score = (h.dense_rank ? params.dense_weight / weight_sum * dense_norm(h.dense_score) : 0.0) +
                        (h.sparse_rank ? params.sparse_weight / weight_sum * sparse_norm(h.sparse_score) : 0.0);
        break;
      case FusionAlgorithm::kMaxScore:
        h.fused_score = std::max(h.dense_rank ? dense_norm(h.dense_score) : 0.0,
                                 h.sparse_rank ? sparse_norm(h.sparse_score) : 0.0);
        break;
    }
  }
  auto order = [](const FusedHit& a, const FusedHit& b) {
    return a.fused_score != b.fused_score ? a.fused_score > b.fused_score : a.id < b.id;
  };
  if (hits.size() > k) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), order);
    hits.resize(k);
  } else {
    std::sort(hits.begin(), hits.end(), order);
  }
  return hits;
}

}  // namespace vesper
