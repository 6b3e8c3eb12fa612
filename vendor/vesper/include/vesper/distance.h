// Vector kernels: dot product, squared Euclidean distance, normalisation.
//
// Every kernel sums in the same fixed order (64 interleaved partial sums, each element multiplied then
// added with no fused multiply-add, then a fixed pairwise reduction), so the SSE, AVX, AVX-512, NEON
// and portable variants return bit-identical results. That keeps HNSW graphs and search results a pure
// function of the inputs on every CPU a prebuild runs on. The best variant is picked at run time; the
// library itself only assumes x86-64-v2.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace vesper {

/// Σ a[i]·b[i].
float dot(const float* a, const float* b, std::size_t dim) noexcept;

/// Σ (a[i] − b[i])².
float l2_squared(const float* a, const float* b, std::size_t dim) noexcept;

/// Euclidean norm, accumulated in double (no overflow for any finite float input).
double l2_norm(const float* v, std::size_t dim) noexcept;

/// Scales v to unit length. A zero vector is left unchanged (callers reject it first).
void normalize(float* v, std::size_t dim) noexcept;

/// One implementation of the kernels, for dispatch and for tests that compare variants.
struct DistanceKernels {
  const char* name;  // "scalar", "sse", "avx", "avx512", "neon"
  float (*dot)(const float*, const float*, std::size_t) noexcept;
  float (*l2_squared)(const float*, const float*, std::size_t) noexcept;
};

/// The variant dot()/l2_squared() use; hot loops fetch it once and call through it directly.
const DistanceKernels& active_distance_kernels() noexcept;

/// Every variant this CPU can run, portable "scalar" first.
std::vector<DistanceKernels> available_distance_kernels();

/// Forces a variant by name (benchmarks, tests); false if it is unknown or unsupported here.
/// Not thread-safe with respect to concurrent kernel calls' choice, but every variant gives the same
/// results, so a switch is never observable except in speed.
bool select_distance_kernels(std::string_view name) noexcept;

}  // namespace vesper
