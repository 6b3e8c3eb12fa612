// Distance kernels: every SIMD variant agrees with a double-precision reference and, bit for bit, with
// the portable kernel (the determinism guarantee HNSW relies on).
#include "vesper/distance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace vesper {
namespace {

double ref_dot(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

double ref_l2(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
  return s;
}

double abs_sum(const float* a, const float* b, std::size_t n, bool l2) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double t = l2 ? (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]) : static_cast<double>(a[i]) * b[i];
    s += std::fabs(t);
  }
  return s;
}

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

TEST(DistanceTest, EveryVariantMatchesReferenceAndScalarBitForBit) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  // +1 float of slack so the kernels also run on pointers that are not 16/32/64-byte aligned.
  std::vector<float> a(1001), b(1001);
  for (auto& x : a) x = u(rng);
  for (auto& x : b) x = u(rng);
  std::vector<DistanceKernels> kernels = available_distance_kernels();
  ASSERT_FALSE(kernels.empty());
  ASSERT_STREQ(kernels.front().name, "scalar");
  for (std::size_t offset = 0; offset < 2; ++offset) {
    const float* pa = a.data() + offset;
    const float* pb = b.data() + offset;
    for (std::size_t n = 1; n <= 1000; ++n) {
      float scalar_dot = kernels.front().dot(pa, pb, n);
      float scalar_l2 = kernels.front().l2_squared(pa, pb, n);
      double tol_dot = 1e-5 * abs_sum(pa, pb, n, false) + 1e-6;
      double tol_l2 = 1e-5 * abs_sum(pa, pb, n, true) + 1e-6;
      ASSERT_NEAR(scalar_dot, ref_dot(pa, pb, n), tol_dot) << "n=" << n;
      ASSERT_NEAR(scalar_l2, ref_l2(pa, pb, n), tol_l2) << "n=" << n;
      for (const DistanceKernels& k : kernels) {
        ASSERT_EQ(bits(k.dot(pa, pb, n)), bits(scalar_dot)) << k.name << " dot n=" << n << " offset=" << offset;
        ASSERT_EQ(bits(k.l2_squared(pa, pb, n)), bits(scalar_l2)) << k.name << " l2 n=" << n << " offset=" << offset;
      }
      ASSERT_EQ(bits(dot(pa, pb, n)), bits(scalar_dot));
      ASSERT_EQ(bits(l2_squared(pa, pb, n)), bits(scalar_l2));
    }
  }
}

TEST(DistanceTest, ZeroLengthAndIdenticalVectors) {
  std::vector<float> a(37, 0.5f);
  EXPECT_EQ(dot(a.data(), a.data(), 0), 0.0f);
  EXPECT_EQ(l2_squared(a.data(), a.data(), 0), 0.0f);
  EXPECT_EQ(l2_squared(a.data(), a.data(), a.size()), 0.0f);
  EXPECT_FLOAT_EQ(dot(a.data(), a.data(), a.size()), 37 * 0.25f);
}

TEST(DistanceTest, ActiveVariantIsAvailable) {
  std::vector<DistanceKernels> kernels = available_distance_kernels();
  bool found = false;
  for (const auto& k : kernels) found = found || std::string(k.name) == active_distance_kernels().name;
  EXPECT_TRUE(found) << active_distance_kernels().name;
#if defined(__x86_64__)
  bool has_sse = false;
  for (const auto& k : kernels) has_sse = has_sse || std::string(k.name) == "sse";
  EXPECT_TRUE(has_sse);  // the x86-64-v2 baseline always has it
#endif
}

TEST(DistanceTest, SelectVariant) {
  std::string best = active_distance_kernels().name;
  EXPECT_FALSE(select_distance_kernels("no-such-isa"));
  EXPECT_EQ(best, active_distance_kernels().name);
  ASSERT_TRUE(select_distance_kernels("scalar"));
  EXPECT_STREQ(active_distance_kernels().name, "scalar");
  float a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
  EXPECT_EQ(dot(a, b, 3), 32.0f);
  ASSERT_TRUE(select_distance_kernels(best));
  EXPECT_EQ(best, active_distance_kernels().name);
}

TEST(DistanceTest, NormalizeGivesUnitLength) {
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  for (std::size_t n : {1u, 3u, 16u, 127u, 384u, 1000u}) {
    std::vector<float> v(n);
    for (auto& x : v) x = g(rng) * 100.0f;
    normalize(v.data(), n);
    EXPECT_NEAR(l2_norm(v.data(), n), 1.0, 1e-6) << n;
    EXPECT_NEAR(dot(v.data(), v.data(), n), 1.0f, 1e-5f) << n;
  }
}

TEST(DistanceTest, NormalizeHugeAndTinyValues) {
  // Squares of 1e30 overflow float; the norm is accumulated in double so normalisation still works.
  std::vector<float> big(8, 1e30f), tiny(8, 1e-30f);
  EXPECT_TRUE(std::isfinite(l2_norm(big.data(), big.size())));
  normalize(big.data(), big.size());
  normalize(tiny.data(), tiny.size());
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_NEAR(big[i], 1.0f / std::sqrt(8.0f), 1e-6f);
    EXPECT_NEAR(tiny[i], 1.0f / std::sqrt(8.0f), 1e-6f);
  }
}

TEST(DistanceTest, NormalizeLeavesZeroVectorAlone) {
  std::vector<float> z(5, 0.0f);
  normalize(z.data(), z.size());
  for (float x : z) EXPECT_EQ(x, 0.0f);
}

}  // namespace
}  // namespace vesper
