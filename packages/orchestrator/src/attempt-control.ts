/**
 * Cancellation of one attempt: why it was stopped (timeout, cancellation, shutdown), the race that makes
 * a handler ignoring its signal lose anyway, and the `AbortSignal` handed to the handler.
 *
 * The signal is created on first read: an `AbortController` and its signal cost more than a no-op
 * handler's whole attempt, and most handlers never look at it. A signal first read after the attempt was
 * stopped is created already aborted with the same reason, so a lazy signal is indistinguishable from an
 * eager one.
 */
export class AttemptControl {
  #controller: AbortController | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  #aborted = false;
  #reason: unknown = undefined;

  /** True once {@link AttemptControl.abort} was called. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The reason given to {@link AttemptControl.abort} (undefined before). */
  get reason(): unknown {
    return this.#reason;
  }

  /** The handler's `ctx.signal`: fires (or is already aborted) with the abort reason. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Stops the attempt: aborts the signal (if it was handed out) and makes {@link AttemptControl.race} reject. Only the first call counts. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const reject = this.#reject;
    this.#reject = undefined;
    reject?.(reason);
  }

  /** Settles like `handler`, or rejects with the abort reason as soon as the attempt is stopped, whichever comes first. */
  race<T>(handler: Promise<T>): Promise<T> {
    if (this.#aborted) {
      handler.catch(() => undefined); // the attempt is over; a late rejection is not an unhandled one
      return Promise.reject(this.#reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      handler.then(
        (value) => {
          this.#reject = undefined;
          resolve(value);
        },
        (err: unknown) => {
          this.#reject = undefined;
          reject(err);
        },
      );
    });
  }
}
