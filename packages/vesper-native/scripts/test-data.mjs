// Seeded data for tests, crash runs and examples: the same numbers on every run and machine.

/** mulberry32: floats in [0, 1) from a seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clustered vectors (a few centroids plus noise): a workload HNSW can be measured on. */
export function clusteredVectors(n, dim, clusters, seed) {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const centroids = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, gauss));
  return Array.from({ length: n }, (_, i) => {
    const c = centroids[i % clusters];
    return Float32Array.from({ length: dim }, (_, d) => c[d] + 0.35 * gauss());
  });
}
