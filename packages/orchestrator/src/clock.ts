/** Where the core gets the time from: injected, so runs can be replayed and tests control time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `fn` once `ms` milliseconds have passed on this clock; returns a function that cancels it.
   * Optional: clocks without it fall back to the host's `setTimeout`.
   */
  setTimer?(ms: number, fn: () => void): () => void;
}

/** The real wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

/** Arms a timer on `clock`, or on the host when the clock has no timers of its own. */
export function setClockTimer(clock: Clock, ms: number, fn: () => void): () => void {
  if (clock.setTimer) return clock.setTimer(ms, fn);
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
}

interface PendingTimer {
  due: number;
  order: number;
  fn: () => void;
}

/** A clock that moves only when told to (tests, replay); its timers fire as `advance` passes them. */
export class ManualClock implements Clock {
  #now: number;
  #timers: PendingTimer[] = [];
  #order = 0;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: PendingTimer = { due: this.#now + Math.max(0, ms), order: this.#order++, fn };
    this.#timers.push(timer);
    return () => {
      const i = this.#timers.indexOf(timer);
      if (i >= 0) this.#timers.splice(i, 1);
    };
  }

  /** Number of timers armed and not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms` (≥ 0), firing due timers in due-time order (ties: arming order). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock by ${ms} ms`);
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = next.due;
      next.fn();
    }
    this.#now = target;
  }

  /** Jumps to the earliest armed timer and fires it (and any others due at the same time). */
  advanceToNextTimer(): void {
    const next = this.#nextDue(Number.POSITIVE_INFINITY);
    if (next) this.advance(next.due - this.#now);
  }

  #nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.order < best.order)) best = t;
    }
    return best;
  }
}

/**
 * A clock for replay: time stands still except that, when timers are armed, it jumps to the earliest
 * one on the next macrotask and fires it — retries and backoff replay instantly and in order.
 */
export class VirtualClock implements Clock {
  readonly #inner: ManualClock;
  #scheduled = false;

  constructor(startMs = 0) {
    this.#inner = new ManualClock(startMs);
  }

  now(): number {
    return this.#inner.now();
  }

  setTimer(ms: number, fn: () => void): () => void {
    const cancel = this.#inner.setTimer(ms, fn);
    this.#schedule();
    return cancel;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#fireEarliest();
    });
  }

  #fireEarliest(): void {
    this.#inner.advanceToNextTimer();
    if (this.#inner.pendingTimers > 0) this.#schedule();
  }
}
