/** A snapshot of the scheduler's counters. */
export interface OrchestratorMetrics {
  /** Tasks admitted and not yet started (waiting for dependencies, queued, or waiting to retry). */
  queued: number;
  /** Handlers running now. */
  running: number;
  /** Global concurrency (number of workers). */
  workers: number;
  /** True once `close()` was called. */
  stopped: boolean;
  submitted: number;
  succeeded: number;
  failed: number;
  retried: number;
  cancelled: number;
  deadLettered: number;
  /** Submitters waiting for queue space (backpressure). */
  waitingSubmitters: number;
}

/** Monotonic counters the scheduler bumps; gauges are filled in at snapshot time. */
export class MetricsCounters {
  submitted = 0;
  succeeded = 0;
  failed = 0;
  retried = 0;
  cancelled = 0;
  deadLettered = 0;
}
