import type { RunEvent } from "@vltair/envelopes";
import type { Clock } from "./clock.js";
import type { Journal } from "./journal/index.js";
import type { Redactor } from "./redaction.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A run event before the log stamps it with run id, sequence number and time. */
export type EventBody = DistributiveOmit<RunEvent, "runId" | "seq" | "time">;

/**
 * The write-ahead path of one run: stamp, redact, journal, and only once the journal accepted the event
 * (durable per the run's policy) hand it to subscribers. Appends resolve in sequence order.
 */
export class EventLog {
  readonly runId: string;
  readonly #journal: Journal;
  readonly #clock: Clock;
  readonly #redactor: Redactor;
  readonly #emit: (event: RunEvent) => void;

  constructor(runId: string, journal: Journal, clock: Clock, redactor: Redactor, emit: (event: RunEvent) => void) {
    this.runId = runId;
    this.#journal = journal;
    this.#clock = clock;
    this.#redactor = redactor;
    this.#emit = emit;
  }

  /**
   * Journals `body` and resolves with the stored (redacted) event once it is durable. Takes ownership of
   * `body` (pass a fresh object): it is stamped in place, since copying an object of any of a dozen event
   * shapes with a spread costs microseconds. The event may share unchanged parts with `body` (copy-on-write
   * redaction; the journal serialises it at once, so nothing can change it in between): treat it as
   * read-only.
   */
  append(body: EventBody): Promise<RunEvent> {
    let event: RunEvent;
    try {
      const stamped = body as EventBody & { runId: string; seq: number; time: number };
      stamped.runId = this.runId;
      stamped.seq = this.#journal.lastSeq + 1;
      stamped.time = this.#clock.now();
      const r = this.#redactor;
      event = r.redactShared ? r.redactShared(stamped) : r.redact(stamped);
    } catch (err) {
      return Promise.reject(err);
    }
    // Not an async function: this runs for every event, and one promise reaction is all it needs.
    return this.#journal.append(event).then(() => {
      this.#emit(event);
      return event;
    });
  }

  /** The journal's last sequence number (-1 when empty). */
  get lastSeq(): number {
    return this.#journal.lastSeq;
  }

  close(): Promise<void> {
    return this.#journal.close();
  }
}
