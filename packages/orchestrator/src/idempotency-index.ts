import { createHash } from "node:crypto";
import { join } from "node:path";
import type { AgentError, AgentResult, AgentTask } from "@vltair/envelopes";
import { canonicalJson } from "./canonical-json.js";
import { listRunDirs, readJournal } from "./journal/index.js";
import { OrchestratorError } from "./orchestrator-error.js";
import type { Redactor } from "./redaction.js";
import { buildRunState, treeOutcome } from "./run-state.js";

/** What an idempotency key stands for: the task that first used it, its agent and its payload. */
interface Binding {
  taskId: string;
  /** The agent the task named (`""`: routed by capability). */
  agent: string;
  /** sha-256 of the canonical JSON of the redacted payload (the journal holds redacted payloads). */
  digest: string;
}

type Outcome = Promise<AgentResult | AgentError>;

/**
 * Completed idempotency keys → recorded results, plus keys in flight (a second submission joins the
 * first). Each key is bound to the (agent, payload digest) of the task that first used it: a task that
 * reuses the key for another agent or payload is refused with `IdempotencyConflict` instead of being
 * handed someone else's result. Rebuilt on open from every run's journal — the journal stays the single
 * source of truth, so the binding holds across restarts too.
 */
export class IdempotencyIndex {
  readonly #done = new Map<string, { result: AgentResult; binding: Binding }>();
  readonly #inFlight = new Map<string, { outcome: Outcome; binding: Binding }>();
  readonly #redactor: Redactor;

  /** `redactor` must be the journal's: digests of live tasks and of journaled (redacted) ones must agree. */
  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  /** Scans `<dir>/runs/*` for tasks that succeeded (with their whole subtree) under a key. */
  static async load(dir: string, redactor: Redactor): Promise<IdempotencyIndex> {
    const index = new IdempotencyIndex(redactor);
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
      if (key !== undefined && t.result && treeOutcome(state, id) === "succeeded") this.#done.set(key, { result: t.result, binding: this.#bind(t.task) });
    }
  }

  /**
   * The recorded result of a completed key, the pending outcome of one in flight, or undefined.
   *
   * @throws OrchestratorError `IdempotencyConflict` when the key is bound to another agent or payload
   */
  lookup(task: AgentTask): AgentResult | Outcome | undefined {
    const key = task.constraints?.idempotencyKey;
    if (key === undefined) return undefined;
    const hit = this.#done.get(key) ?? this.#inFlight.get(key);
    if (hit === undefined) return undefined;
    this.#check(key, hit.binding, task);
    return "result" in hit ? hit.result : hit.outcome;
  }

  /** A task with a key started: later submissions with the key join `outcome`. */
  begin(task: AgentTask, outcome: Outcome): void {
    const key = task.constraints?.idempotencyKey;
    if (key !== undefined) this.#inFlight.set(key, { outcome, binding: this.#bind(task) });
  }

  /** A key's task ended: remember the result when it succeeded; a failed key may run again. */
  end(task: AgentTask, result: AgentResult | undefined): void {
    const key = task.constraints?.idempotencyKey;
    if (key === undefined) return;
    this.#inFlight.delete(key);
    if (result) this.#done.set(key, { result, binding: this.#bind(task) });
  }

  /** Adds every completed key of `other`. */
  merge(other: IdempotencyIndex): void {
    for (const [k, v] of other.#done) this.#done.set(k, v);
  }

  /** Pre-seeds a completed key (replay of a run that reused a recorded result). */
  seed(task: AgentTask, result: AgentResult): void {
    const key = task.constraints?.idempotencyKey;
    if (key !== undefined) this.#done.set(key, { result, binding: this.#bind(task) });
  }

  #bind(task: AgentTask): Binding {
    const payload = canonicalJson(this.#redactor.redact(task.payload) ?? null);
    return { taskId: task.id, agent: task.agent, digest: createHash("sha256").update(payload).digest("hex") };
  }

  #check(key: string, bound: Binding, task: AgentTask): void {
    const mine = this.#bind(task);
    if (mine.agent === bound.agent && mine.digest === bound.digest) return;
    const what = mine.agent !== bound.agent ? `agent ${JSON.stringify(task.agent)} instead of ${JSON.stringify(bound.agent)}` : "a different payload";
    throw new OrchestratorError(
      "IdempotencyConflict",
      `task ${task.id} reuses idempotencyKey ${JSON.stringify(key)} with ${what}: the key is bound to task ${bound.taskId} ` +
        `(agent ${JSON.stringify(bound.agent)}, payload sha256:${bound.digest.slice(0, 12)}); a key may only repeat the same task — use a new key for a new task`,
      { idempotencyKey: key, taskId: task.id, boundTo: bound.taskId, agent: task.agent, boundAgent: bound.agent, payloadDigest: mine.digest, boundPayloadDigest: bound.digest },
    );
  }
}
