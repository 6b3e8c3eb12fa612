import type { AgentResult } from "@vltair/envelopes";
import { listRunDirs, readJournal } from "./journal/index.js";
import { buildRunState, treeOutcome } from "./run-state.js";
import { join } from "node:path";

/**
 * Completed idempotency keys → recorded results, plus keys in flight (a second submission joins the
 * first). Rebuilt on open from every run's journal — the journal stays the single source of truth.
 */
export class IdempotencyIndex {
  readonly #done = new Map<string, AgentResult>();
  readonly #inFlight = new Map<string, Promise<AgentResult | import("@vltair/envelopes").AgentError>>();

  /** Scans `<dir>/runs/*` for tasks that succeeded (with their whole subtree) under a key. */
  static async load(dir: string): Promise<IdempotencyIndex> {
    const index = new IdempotencyIndex();
    for (const runId of await listRunDirs(dir)) {
      let events;
      try {
        ({ events } = await readJournal(join(dir, "runs", runId)));
      } catch {
        continue; // a run without a readable journal has no completed keys; resume reports its damage
      }
      index.absorb(buildRunState(runId, events));
    }
    return index;
  }

  /** Adds the completed keys of a run state. */
  absorb(state: ReturnType<typeof buildRunState>): void {
    for (const [id, t] of state.tasks) {
      const key = t.task.constraints?.idempotencyKey;
      if (key !== undefined && t.result && treeOutcome(state, id) === "succeeded") this.#done.set(key, t.result);
    }
  }

  /** The recorded result of a completed key, the pending outcome of one in flight, or undefined. */
  lookup(key: string): AgentResult | Promise<AgentResult | import("@vltair/envelopes").AgentError> | undefined {
    return this.#done.get(key) ?? this.#inFlight.get(key);
  }

  begin(key: string, outcome: Promise<AgentResult | import("@vltair/envelopes").AgentError>): void {
    this.#inFlight.set(key, outcome);
  }

  /** A key's task ended: remember the result when it succeeded; a failed key may run again. */
  end(key: string, result: AgentResult | undefined): void {
    this.#inFlight.delete(key);
    if (result) this.#done.set(key, result);
  }

  /** Adds every completed key of `other`. */
  merge(other: IdempotencyIndex): void {
    for (const [k, v] of other.#done) this.#done.set(k, v);
  }

  /** Pre-seeds a completed key (replay of a run that reused a recorded result). */
  seed(key: string, result: AgentResult): void {
    this.#done.set(key, result);
  }
}
