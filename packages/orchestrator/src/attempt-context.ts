import type { AgentResult, AgentTask } from "@vltair/envelopes";
import type { AgentContext, BudgetView, ModelRequest, ModelResponse } from "./agent.js";
import type { AttemptControl } from "./attempt-control.js";
import type { Clock } from "./clock.js";
import type { ContextView } from "./context-view.js";
import type { Logger } from "./logger.js";
import { SeededRandom } from "./seeded-random.js";

/** What an {@link AttemptContext} is built from; the scheduler supplies the journaled operations. */
export interface AttemptContextInit {
  task: AgentTask;
  runId: string;
  attempt: number;
  agentName: string;
  control: AttemptControl;
  logger: Logger;
  clock: Clock;
  /** Seed of `random` (already mixed with the task id). */
  randomSeed: number;
  replaying: boolean;
  trace: { traceId: string; spanId: string };
  /** The run's tasks, for `dependencies`. */
  tasks: ReadonlyMap<string, { readonly result: AgentResult | undefined }>;
  budget: BudgetView;
  effect: AgentContext["effect"];
  callModel: (request: ModelRequest, invoke: (request: ModelRequest) => Promise<ModelResponse>) => Promise<ModelResponse>;
}

/**
 * The `AgentContext` of one attempt. A class rather than an object literal: accessors in a literal are
 * defined one by one at run time (about half a microsecond each), while here they live on the prototype.
 * `signal`, `logger`, `random` and `dependencies` are built on first read and then kept — most handlers
 * never touch them, and the `AbortController` behind `signal` alone costs more than a no-op attempt.
 * Each is built from the same inputs whenever it is read, so an agent cannot tell. Being accessors on the
 * prototype, they are not copied by an object spread (`{ ...ctx }`); wrap a context by delegating, as the
 * agents SDK does.
 */
export class AttemptContext implements AgentContext {
  readonly task: AgentTask;
  readonly runId: string;
  readonly attempt: number;
  readonly clock: Clock;
  readonly replaying: boolean;
  readonly trace: { traceId: string; spanId: string };
  readonly budget: BudgetView;
  readonly effect: AgentContext["effect"];
  readonly callModel: AgentContext["callModel"];
  context?: ContextView;
  readonly #init: AttemptContextInit;
  #logger: Logger | undefined;
  #random: SeededRandom | undefined;
  #dependencies: Map<string, AgentResult> | undefined;

  constructor(init: AttemptContextInit) {
    this.#init = init;
    this.task = init.task;
    this.runId = init.runId;
    this.attempt = init.attempt;
    this.clock = init.clock;
    this.replaying = init.replaying;
    this.trace = init.trace;
    this.budget = init.budget;
    this.effect = init.effect;
    this.callModel = init.callModel;
  }

  get signal(): AbortSignal {
    return this.#init.control.signal;
  }

  get logger(): Logger {
    const i = this.#init;
    return (this.#logger ??= i.logger.child({ runId: i.runId, taskId: i.task.id, agent: i.agentName, attempt: i.attempt }));
  }

  get random(): SeededRandom {
    return (this.#random ??= new SeededRandom(this.#init.randomSeed));
  }

  get dependencies(): ReadonlyMap<string, AgentResult> {
    if (this.#dependencies === undefined) {
      const deps = new Map<string, AgentResult>();
      for (const id of this.task.dependsOn ?? []) {
        const r = this.#init.tasks.get(id)?.result;
        if (r) deps.set(id, r);
      }
      this.#dependencies = deps;
    }
    return this.#dependencies;
  }
}
