// Timing loops (warm up first, then one timed call per query) and memory readings.
import { summarize } from "./stats.mjs";

const now = () => process.hrtime.bigint();
const us = (start) => Number(now() - start) / 1e3;

/**
 * Times `call(query)` once per query, sequentially, after `warmup` calls on other queries.
 * `ids(result)` turns a result into doc ids outside the timed region. Works for sync and async calls:
 * an async call is awaited inside the timed region (its real latency, binding included).
 */
export async function timeQueries(queries, warmup, call, ids) {
  for (const q of warmup) await call(q);
  const latencies = new Float64Array(queries.length);
  const results = new Array(queries.length);
  for (let i = 0; i < queries.length; i++) {
    const start = now();
    let r = call(queries[i]);
    if (r instanceof Promise) r = await r;
    latencies[i] = us(start);
    results[i] = ids(r);
  }
  return { ...summarize(latencies), ids: results };
}

/** Times `fn` repeated `n` times sequentially (e.g. an empty async call); per-call µs summary. */
export async function timeRepeated(n, warmup, fn) {
  for (let i = 0; i < warmup; i++) await fn();
  const latencies = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = now();
    await fn();
    latencies[i] = us(start);
  }
  return summarize(latencies);
}

/** Queries per second with `concurrency` async calls in flight, over `total` calls. */
export async function throughput(queries, total, concurrency, call) {
  let next = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(queries[next++ % queries.length]);
    }),
  );
  return { concurrency, total, qps: total / (us(start) / 1e6) };
}

/** Sums the time spent inside `fn` calls (build loops time only the indexing call, not data prep). */
export class Stopwatch {
  elapsedUs = 0;
  sync(fn) {
    const start = now();
    const r = fn();
    this.elapsedUs += us(start);
    return r;
  }
  async async(fn) {
    const start = now();
    const r = await fn();
    this.elapsedUs += us(start);
    return r;
  }
  get ms() {
    return this.elapsedUs / 1e3;
  }
}

/** Resident set size in MB after a full garbage collection (children run with --expose-gc). */
export function rssMB() {
  if (globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
  return process.memoryUsage().rss / 2 ** 20;
}
