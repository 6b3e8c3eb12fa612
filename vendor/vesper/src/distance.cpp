#include "vesper/distance.h"

#include <atomic>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define VESPER_X86 1
#elif defined(__aarch64__)
#include <arm_neon.h>
#define VESPER_NEON 1
#endif

namespace vesper {
namespace {

// The summation order every variant reproduces exactly: element i goes to partial sum i % 64 in
// increasing i; a last partial block is zero-padded to 64 (adding +0 never changes a partial sum);
// the 64 sums are then folded pairwise (j += j+32, j += j+16, …, j += j+1). 64 lanes keep 8 AVX or
// 4 AVX-512 accumulators busy, enough independent adds to hide their latency.
constexpr std::size_t kLanes = 64;

// An empty asm makes a product opaque, so no compiler setting (-ffp-contract, -march with FMA) can fuse
// the following add into an FMA, which would round differently from the other variants.
#if defined(VESPER_X86)
#define VESPER_OPAQUE(x) __asm__("" : "+x"(x))
#define VESPER_OPAQUE512(x) __asm__("" : "+v"(x))
#elif defined(VESPER_NEON)
#define VESPER_OPAQUE(x) __asm__("" : "+w"(x))
#else
#define VESPER_OPAQUE(x)                  \
  do {                                    \
    volatile auto tmp_ = x;               \
    x = tmp_;                             \
  } while (0)
#endif

// Copies the n % 64 trailing elements into zeroed 64-float blocks; returns the number of full blocks.
inline std::size_t split_tail(const float* a, const float* b, std::size_t n, float* pa, float* pb) noexcept {
  std::size_t full = n / kLanes, rem = n % kLanes;
  if (rem != 0) {
    std::memset(pa, 0, kLanes * sizeof(float));
    std::memset(pb, 0, kLanes * sizeof(float));
    std::memcpy(pa, a + full * kLanes, rem * sizeof(float));
    std::memcpy(pb, b + full * kLanes, rem * sizeof(float));
  }
  return full;
}

// ---- portable reference ------------------------------------------------------------------------

template <bool kL2>
float scalar_kernel(const float* a, const float* b, std::size_t n) noexcept {
  float lanes[kLanes] = {};
  float pa[kLanes], pb[kLanes];
  std::size_t full = split_tail(a, b, n, pa, pb);
  auto block = [&](const float* x, const float* y) {
    for (std::size_t j = 0; j < kLanes; ++j) {
      float t;
      if constexpr (kL2) {
        float d = x[j] - y[j];
        t = d * d;
      } else {
        t = x[j] * y[j];
      }
      VESPER_OPAQUE(t);
      lanes[j] = lanes[j] + t;
    }
  };
  for (std::size_t i = 0; i < full; ++i) block(a + i * kLanes, b + i * kLanes);
  if (n % kLanes != 0) block(pa, pb);
  for (std::size_t width = kLanes / 2; width >= 1; width /= 2) {
    for (std::size_t j = 0; j < width; ++j) lanes[j] = lanes[j] + lanes[j + width];
  }
  return lanes[0];
}

float scalar_dot(const float* a, const float* b, std::size_t n) noexcept { return scalar_kernel<false>(a, b, n); }
float scalar_l2(const float* a, const float* b, std::size_t n) noexcept { return scalar_kernel<true>(a, b, n); }

#if defined(VESPER_X86)

// Folds four 4-lane sums in lanes 0..3 of x: (x0+x2)+(x1+x3), the last three steps of the fixed tree.
inline float fold4(__m128 x) noexcept {
  x = _mm_add_ps(x, _mm_movehl_ps(x, x));
  x = _mm_add_ss(x, _mm_shuffle_ps(x, x, 1));
  return _mm_cvtss_f32(x);
}

// ---- SSE (the x86-64-v2 baseline) --------------------------------------------------------------

template <bool kL2>
inline __m128 sse_term(const float* x, const float* y) noexcept {
  __m128 a = _mm_loadu_ps(x), b = _mm_loadu_ps(y), t;
  if constexpr (kL2) {
    __m128 d = _mm_sub_ps(a, b);
    t = _mm_mul_ps(d, d);
  } else {
    t = _mm_mul_ps(a, b);
  }
  VESPER_OPAQUE(t);
  return t;
}

// 16 four-lane accumulators would spill, and lanes are independent, so the low and high 32 lanes of
// every block are summed in two passes of 8 registers each.
template <bool kL2>
float sse_kernel(const float* a, const float* b, std::size_t n) noexcept {
  alignas(16) float pa[kLanes], pb[kLanes];
  std::size_t full = split_tail(a, b, n, pa, pb);
  bool tail = n % kLanes != 0;
  __m128 acc[16];
  for (std::size_t half = 0; half < 2; ++half) {
    __m128 r[8];
    for (auto& v : r) v = _mm_setzero_ps();
    auto block = [&](const float* x, const float* y) {
      x += half * 32;
      y += half * 32;
      for (std::size_t k = 0; k < 8; ++k) r[k] = _mm_add_ps(r[k], sse_term<kL2>(x + 4 * k, y + 4 * k));
    };
    for (std::size_t i = 0; i < full; ++i) block(a + i * kLanes, b + i * kLanes);
    if (tail) block(pa, pb);
    for (std::size_t k = 0; k < 8; ++k) acc[half * 8 + k] = r[k];
  }
  for (std::size_t k = 0; k < 8; ++k) acc[k] = _mm_add_ps(acc[k], acc[k + 8]);  // j += j+32
  for (std::size_t k = 0; k < 4; ++k) acc[k] = _mm_add_ps(acc[k], acc[k + 4]);  // j += j+16
  for (std::size_t k = 0; k < 2; ++k) acc[k] = _mm_add_ps(acc[k], acc[k + 2]);  // j += j+8
  return fold4(_mm_add_ps(acc[0], acc[1]));                                     // j += j+4, …
}

float sse_dot(const float* a, const float* b, std::size_t n) noexcept { return sse_kernel<false>(a, b, n); }
float sse_l2(const float* a, const float* b, std::size_t n) noexcept { return sse_kernel<true>(a, b, n); }

// ---- AVX (256-bit; plain mul + add, so AVX2/FMA are not needed) --------------------------------

template <bool kL2>
__attribute__((target("avx"))) inline __m256 avx_term(const float* x, const float* y) noexcept {
  __m256 a = _mm256_loadu_ps(x), b = _mm256_loadu_ps(y), t;
  if constexpr (kL2) {
    __m256 d = _mm256_sub_ps(a, b);
    t = _mm256_mul_ps(d, d);
  } else {
    t = _mm256_mul_ps(a, b);
  }
  VESPER_OPAQUE(t);
  return t;
}

template <bool kL2>
__attribute__((target("avx"))) float avx_kernel(const float* a, const float* b, std::size_t n) noexcept {
  alignas(32) float pa[kLanes], pb[kLanes];
  std::size_t full = split_tail(a, b, n, pa, pb);
  __m256 r0 = _mm256_setzero_ps(), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
  auto block = [&](const float* x, const float* y) __attribute__((target("avx"))) {
    r0 = _mm256_add_ps(r0, avx_term<kL2>(x + 0, y + 0));
    r1 = _mm256_add_ps(r1, avx_term<kL2>(x + 8, y + 8));
    r2 = _mm256_add_ps(r2, avx_term<kL2>(x + 16, y + 16));
    r3 = _mm256_add_ps(r3, avx_term<kL2>(x + 24, y + 24));
    r4 = _mm256_add_ps(r4, avx_term<kL2>(x + 32, y + 32));
    r5 = _mm256_add_ps(r5, avx_term<kL2>(x + 40, y + 40));
    r6 = _mm256_add_ps(r6, avx_term<kL2>(x + 48, y + 48));
    r7 = _mm256_add_ps(r7, avx_term<kL2>(x + 56, y + 56));
  };
  for (std::size_t i = 0; i < full; ++i) block(a + i * kLanes, b + i * kLanes);
  if (n % kLanes != 0) block(pa, pb);
  r0 = _mm256_add_ps(r0, r4);  // j += j+32
  r1 = _mm256_add_ps(r1, r5);
  r2 = _mm256_add_ps(r2, r6);
  r3 = _mm256_add_ps(r3, r7);
  r0 = _mm256_add_ps(r0, r2);  // j += j+16
  r1 = _mm256_add_ps(r1, r3);
  r0 = _mm256_add_ps(r0, r1);  // j += j+8
  __m128 x = _mm_add_ps(_mm256_castps256_ps128(r0), _mm256_extractf128_ps(r0, 1));  // j += j+4
  return fold4(x);
}

__attribute__((target("avx"))) float avx_dot(const float* a, const float* b, std::size_t n) noexcept {
  return avx_kernel<false>(a, b, n);
}
__attribute__((target("avx"))) float avx_l2(const float* a, const float* b, std::size_t n) noexcept {
  return avx_kernel<true>(a, b, n);
}

// ---- AVX-512F ----------------------------------------------------------------------------------

template <bool kL2>
__attribute__((target("avx512f"))) inline __m512 avx512_term(const float* x, const float* y) noexcept {
  __m512 a = _mm512_loadu_ps(x), b = _mm512_loadu_ps(y), t;
  if constexpr (kL2) {
    __m512 d = _mm512_sub_ps(a, b);
    t = _mm512_mul_ps(d, d);
  } else {
    t = _mm512_mul_ps(a, b);
  }
  VESPER_OPAQUE512(t);
  return t;
}

template <bool kL2>
__attribute__((target("avx512f"))) float avx512_kernel(const float* a, const float* b, std::size_t n) noexcept {
  alignas(64) float pa[kLanes], pb[kLanes];
  std::size_t full = split_tail(a, b, n, pa, pb);
  __m512 r0 = _mm512_setzero_ps(), r1 = r0, r2 = r0, r3 = r0;
  auto block = [&](const float* x, const float* y) __attribute__((target("avx512f"))) {
    r0 = _mm512_add_ps(r0, avx512_term<kL2>(x + 0, y + 0));
    r1 = _mm512_add_ps(r1, avx512_term<kL2>(x + 16, y + 16));
    r2 = _mm512_add_ps(r2, avx512_term<kL2>(x + 32, y + 32));
    r3 = _mm512_add_ps(r3, avx512_term<kL2>(x + 48, y + 48));
  };
  for (std::size_t i = 0; i < full; ++i) block(a + i * kLanes, b + i * kLanes);
  if (n % kLanes != 0) block(pa, pb);
  r0 = _mm512_add_ps(r0, r2);  // j += j+32
  r1 = _mm512_add_ps(r1, r3);
  r0 = _mm512_add_ps(r0, r1);  // j += j+16
  // j += j+8. Through memory: GCC 12's 512→256 extract intrinsics trip -Wuninitialized in its headers.
  alignas(64) float t[16];
  _mm512_store_ps(t, r0);
  __m256 s = _mm256_add_ps(_mm256_load_ps(t), _mm256_load_ps(t + 8));
  __m128 x = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));  // j += j+4
  return fold4(x);
}

__attribute__((target("avx512f"))) float avx512_dot(const float* a, const float* b, std::size_t n) noexcept {
  return avx512_kernel<false>(a, b, n);
}
__attribute__((target("avx512f"))) float avx512_l2(const float* a, const float* b, std::size_t n) noexcept {
  return avx512_kernel<true>(a, b, n);
}

#endif  // VESPER_X86

#if defined(VESPER_NEON)

template <bool kL2>
inline float32x4_t neon_term(const float* x, const float* y) noexcept {
  float32x4_t a = vld1q_f32(x), b = vld1q_f32(y), t;
  if constexpr (kL2) {
    float32x4_t d = vsubq_f32(a, b);
    t = vmulq_f32(d, d);
  } else {
    t = vmulq_f32(a, b);
  }
  VESPER_OPAQUE(t);
  return t;
}

template <bool kL2>
float neon_kernel(const float* a, const float* b, std::size_t n) noexcept {
  alignas(16) float pa[kLanes], pb[kLanes];
  std::size_t full = split_tail(a, b, n, pa, pb);
  float32x4_t acc[16];
  for (auto& v : acc) v = vdupq_n_f32(0.0f);
  auto block = [&](const float* x, const float* y) {
    for (std::size_t k = 0; k < 16; ++k) acc[k] = vaddq_f32(acc[k], neon_term<kL2>(x + 4 * k, y + 4 * k));
  };
  for (std::size_t i = 0; i < full; ++i) block(a + i * kLanes, b + i * kLanes);
  if (n % kLanes != 0) block(pa, pb);
  for (std::size_t k = 0; k < 8; ++k) acc[k] = vaddq_f32(acc[k], acc[k + 8]);
  for (std::size_t k = 0; k < 4; ++k) acc[k] = vaddq_f32(acc[k], acc[k + 4]);
  for (std::size_t k = 0; k < 2; ++k) acc[k] = vaddq_f32(acc[k], acc[k + 2]);
  float32x4_t x = vaddq_f32(acc[0], acc[1]);
  float l[4];
  vst1q_f32(l, x);
  return (l[0] + l[2]) + (l[1] + l[3]);
}

float neon_dot(const float* a, const float* b, std::size_t n) noexcept { return neon_kernel<false>(a, b, n); }
float neon_l2(const float* a, const float* b, std::size_t n) noexcept { return neon_kernel<true>(a, b, n); }

#endif  // VESPER_NEON

// ---- dispatch ----------------------------------------------------------------------------------

constexpr DistanceKernels kScalar{"scalar", &scalar_dot, &scalar_l2};
#if defined(VESPER_X86)
constexpr DistanceKernels kSse{"sse", &sse_dot, &sse_l2};
constexpr DistanceKernels kAvx{"avx", &avx_dot, &avx_l2};
constexpr DistanceKernels kAvx512{"avx512", &avx512_dot, &avx512_l2};
#endif
#if defined(VESPER_NEON)
constexpr DistanceKernels kNeon{"neon", &neon_dot, &neon_l2};
#endif

// The variants this CPU runs, portable first, best last.
struct Supported {
  const DistanceKernels* list[5];
  std::size_t count = 0;
};

Supported supported() noexcept {
  Supported out;
  out.list[out.count++] = &kScalar;
#if defined(VESPER_X86)
  // __builtin_cpu_supports also checks that the OS saves the wide registers (XGETBV).
  __builtin_cpu_init();
  out.list[out.count++] = &kSse;
  if (__builtin_cpu_supports("avx")) out.list[out.count++] = &kAvx;
  if (__builtin_cpu_supports("avx512f")) out.list[out.count++] = &kAvx512;
#endif
#if defined(VESPER_NEON)
  out.list[out.count++] = &kNeon;
#endif
  return out;
}

const DistanceKernels* best_supported() noexcept {
#if defined(VESPER_X86)
  // 512-bit multiplies down-clock Skylake/Cascade Lake cores for everything else the process runs, so
  // AVX-512 is the default only from Ice Lake / Zen 4 on (VBMI2 marks them); results are identical anyway.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vbmi2")) return &kAvx512;
  if (__builtin_cpu_supports("avx")) return &kAvx;
  return &kSse;
#else
  Supported all = supported();
  return all.list[all.count - 1];
#endif
}

float resolve_dot(const float* a, const float* b, std::size_t n) noexcept;
float resolve_l2(const float* a, const float* b, std::size_t n) noexcept;
constexpr DistanceKernels kResolver{"unresolved", &resolve_dot, &resolve_l2};

// Constant-initialised, so a call from another file's static initialiser still works: the first call
// resolves. Every thread resolving concurrently stores the same value.
constinit std::atomic<const DistanceKernels*> g_active{&kResolver};

const DistanceKernels* active() noexcept {
  const DistanceKernels* k = g_active.load(std::memory_order_acquire);
  if (k == &kResolver) {
    k = best_supported();
    g_active.store(k, std::memory_order_release);
  }
  return k;
}

float resolve_dot(const float* a, const float* b, std::size_t n) noexcept { return active()->dot(a, b, n); }
float resolve_l2(const float* a, const float* b, std::size_t n) noexcept { return active()->l2_squared(a, b, n); }

}  // namespace

float dot(const float* a, const float* b, std::size_t dim) noexcept {
  return g_active.load(std::memory_order_acquire)->dot(a, b, dim);
}

float l2_squared(const float* a, const float* b, std::size_t dim) noexcept {
  return g_active.load(std::memory_order_acquire)->l2_squared(a, b, dim);
}

double l2_norm(const float* v, std::size_t dim) noexcept {
  double sum = 0;
  for (std::size_t i = 0; i < dim; ++i) {
    double t = static_cast<double>(v[i]) * static_cast<double>(v[i]);
    VESPER_OPAQUE(t);  // same normalised vectors whatever FMA the build targets
    sum += t;
  }
  return std::sqrt(sum);
}

void normalize(float* v, std::size_t dim) noexcept {
  double norm = l2_norm(v, dim);
  if (norm == 0 || !std::isfinite(norm)) return;
  for (std::size_t i = 0; i < dim; ++i) v[i] = static_cast<float>(static_cast<double>(v[i]) / norm);
}

const DistanceKernels& active_distance_kernels() noexcept { return *active(); }

std::vector<DistanceKernels> available_distance_kernels() {
  Supported all = supported();
  std::vector<DistanceKernels> out;
  for (std::size_t i = 0; i < all.count; ++i) out.push_back(*all.list[i]);
  return out;
}

bool select_distance_kernels(std::string_view name) noexcept {
  Supported all = supported();
  for (std::size_t i = 0; i < all.count; ++i) {
    if (name == all.list[i]->name) {
      g_active.store(all.list[i], std::memory_order_release);
      return true;
    }
  }
  return false;
}

}  // namespace vesper
