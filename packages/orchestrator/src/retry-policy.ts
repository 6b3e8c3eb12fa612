import type { SeededRandom } from "./seeded-random.js";

/** Backoff settings: delay before attempt n+1 is `baseMs·2^(n-1)` capped at `maxDelayMs`, jittered. */
export interface RetryPolicy {
  /** Attempts including the first, unless a task sets `constraints.maxAttempts` (default 3). */
  maxAttempts: number;
  baseMs: number;
  maxDelayMs: number;
}

/** Defaults: 3 attempts, 100 ms base, 30 s cap. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseMs: 100, maxDelayMs: 30_000 };

/**
 * The wait before the next attempt after `attempt` (1-based) failed: "equal jitter" — half the
 * exponential step fixed, half drawn from the seeded RNG — so retries spread out yet never collapse to 0.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: SeededRandom): number {
  const step = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random.next() * (step / 2));
}
