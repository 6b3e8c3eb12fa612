#include "vesper/fusion.h"

#include <gtest/gtest.h>

#include "vesper/error.h"

namespace vesper {
namespace {

FusionParams with(FusionAlgorithm a) {
  FusionParams p;
  p.algorithm = a;
  return p;
}

}  // namespace

TEST(Fusion, RrfRankOneInBothListsScoresTwoOverSixtyOne) {
  auto out = fuse({{7, 0.9f}, {3, 0.5f}}, {{7, 12.0f}, {9, 4.0f}}, with(FusionAlgorithm::kReciprocalRank), 10);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].id, 7u);
  EXPECT_DOUBLE_EQ(out[0].fused_score, 2.0 / 61.0);
  EXPECT_EQ(out[0].dense_rank, 1u);
  EXPECT_EQ(out[0].sparse_rank, 1u);
  // Docs 3 and 9 both sit at rank 2 of one list: equal fused scores, ties broken by id.
  EXPECT_EQ(out[1].id, 3u);
  EXPECT_EQ(out[2].id, 9u);
  EXPECT_DOUBLE_EQ(out[1].fused_score, 1.0 / 62.0);
  EXPECT_EQ(out[1].sparse_rank, 0u);
  EXPECT_EQ(out[2].dense_rank, 0u);
}

TEST(Fusion, RrfUsesConfiguredK) {
  FusionParams p = with(FusionAlgorithm::kReciprocalRank);
  p.rrf_k = 10;
  auto out = fuse({{1, 0.1f}}, {}, p, 10);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].fused_score, 1.0 / 11.0);
}

TEST(Fusion, WeightedSumNormalisesWithinZeroAndOne) {
  FusionParams p = with(FusionAlgorithm::kWeightedSum);
  p.dense_weight = 3;  // renormalised to 0.75 / 0.25
  p.sparse_weight = 1;
  auto out = fuse({{1, 0.9f}, {2, 0.5f}, {3, 0.1f}}, {{3, 30.0f}, {4, 10.0f}}, p, 10);
  for (const FusedHit& h : out) {
    EXPECT_GE(h.fused_score, 0.0);
    EXPECT_LE(h.fused_score, 1.0);
  }
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].id, 1u);                      // 0.75 · 1
  EXPECT_NEAR(out[0].fused_score, 0.75, 1e-6);
  EXPECT_EQ(out[1].id, 2u);                      // 0.75 · 0.5
  EXPECT_NEAR(out[1].fused_score, 0.375, 1e-6);
  EXPECT_EQ(out[2].id, 3u);                      // 0.75 · 0 + 0.25 · 1
  EXPECT_NEAR(out[2].fused_score, 0.25, 1e-6);
  EXPECT_EQ(out[3].id, 4u);
  EXPECT_NEAR(out[3].fused_score, 0.0, 1e-6);
}

TEST(Fusion, WeightedSumKeepsSimilarityOrderForNegativeScores) {
  // l2 similarities are negative distances; normalisation must not invert them.
  auto out = fuse({{1, -0.5f}, {2, -2.0f}}, {}, with(FusionAlgorithm::kWeightedSum), 10);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, 1u);
  EXPECT_GT(out[0].fused_score, out[1].fused_score);
}

TEST(Fusion, MaxScoreTakesLargerNormalisedScore) {
  auto out = fuse({{1, 0.9f}, {2, 0.1f}}, {{2, 5.0f}, {1, 1.0f}}, with(FusionAlgorithm::kMaxScore), 10);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_DOUBLE_EQ(out[0].fused_score, 1.0);
  EXPECT_DOUBLE_EQ(out[1].fused_score, 1.0);
  EXPECT_EQ(out[0].id, 1u);  // tie → id order
}

TEST(Fusion, EqualScoresNormaliseToOne) {
  auto out = fuse({{5, 0.3f}, {6, 0.3f}}, {}, with(FusionAlgorithm::kWeightedSum), 10);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_DOUBLE_EQ(out[0].fused_score, 0.5);
  EXPECT_EQ(out[0].id, 5u);
}

TEST(Fusion, TruncatesToK) {
  auto out = fuse({{1, 3.f}, {2, 2.f}, {3, 1.f}}, {}, with(FusionAlgorithm::kReciprocalRank), 2);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].id, 2u);
}

TEST(Fusion, RejectsBadParams) {
  FusionParams p;
  p.rrf_k = 0;
  EXPECT_THROW(fuse({}, {}, p, 1), Error);
  p = with(FusionAlgorithm::kWeightedSum);
  p.dense_weight = 0;
  p.sparse_weight = 0;
  EXPECT_THROW(fuse({}, {}, p, 1), Error);
  EXPECT_THROW(parse_fusion("bogus"), Error);
  EXPECT_EQ(parse_fusion("rrf"), FusionAlgorithm::kReciprocalRank);
  EXPECT_EQ(parse_fusion("weighted_sum"), FusionAlgorithm::kWeightedSum);
}

}  // namespace vesper
