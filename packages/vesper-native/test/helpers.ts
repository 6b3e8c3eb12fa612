import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A fresh temporary directory for one collection. */
export function tempDir(prefix = "vesper-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** mulberry32: a tiny seeded PRNG so test data is the same on every run. */
export function rng(seed: number): () => number {
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
export function clusteredVectors(n: number, dim: number, clusters: number, seed: number): Float32Array[] {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const centroids = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, gauss));
  return Array.from({ length: n }, (_, i) => {
    const c = centroids[i % clusters]!;
    return Float32Array.from({ length: dim }, (_, d) => c[d]! + 0.35 * gauss());
  });
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function normalized(v: ArrayLike<number>): number[] {
  const n = Math.sqrt(dot(v, v));
  return Array.from(v, (x) => x / n);
}
