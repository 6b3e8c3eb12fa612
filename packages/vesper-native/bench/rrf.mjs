// Reciprocal-rank fusion in JS: the baseline's fusion and the exact hybrid truth.

/** Fuses ranked id lists (rank 1-based: Σ 1/(rrfK + rank)); top-k by fused score desc, id asc. */
export function rrf(lists, k, rrfK = 60) {
  const fused = new Map();
  for (const list of lists) {
    for (let r = 0; r < list.length; r++) fused.set(list[r], (fused.get(list[r]) ?? 0) + 1 / (rrfK + r + 1));
  }
  return [...fused]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([id]) => id);
}
