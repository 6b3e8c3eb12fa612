// Percentiles, recall and the "latency at equal recall" interpolation.

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50 / p99 / mean of latencies in microseconds. */
export function summarize(latenciesUs) {
  const sorted = Float64Array.from(latenciesUs).sort();
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** Mean over queries of |result ∩ truth| / |truth| (truth = exact top-k ids). */
export function recall(results, truths) {
  let sum = 0;
  results.forEach((ids, q) => {
    const truth = new Set(truths[q]);
    if (truth.size === 0) return void (sum += 1);
    let hit = 0;
    for (const id of ids) if (truth.has(id)) hit++;
    sum += hit / truth.size;
  });
  return sum / results.length;
}

/**
 * Recall that forgives ties: a returned id counts when its exact score reaches the exact k-th best
 * score (BM25 on short synthetic texts has many equal scores; any of them is a correct answer).
 * `exact[q]` = { expected, acceptable: Set } from ExactBm25.top.
 */
export function tieAwareRecall(results, exact) {
  let sum = 0;
  results.forEach((ids, q) => {
    const { expected, acceptable } = exact[q];
    if (expected === 0) return void (sum += ids.length === 0 ? 1 : 0);
    let hit = 0;
    for (const id of ids.slice(0, expected)) if (acceptable.has(id)) hit++;
    sum += hit / expected;
  });
  return sum / results.length;
}

/**
 * The p50 a system needs to reach `target` recall, from its sweep points ({ recall, p50 }, in ef
 * order): linear interpolation between the last point below the target and the first one at or
 * above it (the first point itself when it already reaches the target). null when none reaches it.
 */
export function p50AtRecall(points, target) {
  const i = points.findIndex((p) => p.recall >= target);
  if (i < 0) return null;
  if (i === 0) return { p50: points[0].p50, ef: points[0].ef, interpolated: false };
  const a = points[i - 1], b = points[i];
  const t = (target - a.recall) / (b.recall - a.recall);
  return { p50: a.p50 + t * (b.p50 - a.p50), ef: a.ef + t * (b.ef - a.ef), interpolated: true };
}

/** The first sweep point (smallest ef) reaching `target` recall, or null. */
export function firstReaching(points, target) {
  return points.find((p) => p.recall >= target) ?? null;
}
