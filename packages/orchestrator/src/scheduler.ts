import type { Span, Tracer } from "@opentelemetry/api";
import { validateResult, type AgentError, type AgentResult, type AgentTask, type Artifact } from "@vltair/envelopes";
import { AttemptContext } from "./attempt-context.js";
import { AttemptControl } from "./attempt-control.js";
import { createSideEffectGateway } from "./side-effect-gateway.js";
import { AgentFailure, type Agent, type AgentContext, type AgentOutput } from "./agent.js";
import { BudgetLedger, type BudgetBreach } from "./budget.js";
import { setClockTimer, type Clock } from "./clock.js";
import { createContextView, type ContextStorePort } from "./context-view.js";
import { orderBatch } from "./dag.js";
import type { EventBody, EventLog } from "./event-log.js";
import { classifyFailure, type ClassifiedFailure } from "./failure.js";
import type { IdempotencyIndex } from "./idempotency-index.js";
import type { Logger } from "./logger.js";
import { MetricsCounters, type OrchestratorMetrics } from "./metrics.js";
import { OrchestratorError } from "./orchestrator-error.js";
import { PriorityQueue } from "./priority-queue.js";
import type { Redactor } from "./redaction.js";
import type { Registry } from "./registry.js";
import type { ReplaySource } from "./replay-source.js";
import { backoffDelay, type RetryPolicy } from "./retry-policy.js";
import { route } from "./router.js";
import { treeOutcome, type RunState } from "./run-state.js";
import { SeededRandom } from "./seeded-random.js";
import { endSpan, startAttemptSpan } from "./tracing.js";

/** A task outcome: the validated result or the error envelope. */
export type TaskOutcome = AgentResult | AgentError;

type TaskState = "waiting" | "queued" | "parked" | "running" | "retrying" | "children" | "succeeded" | "failed" | "cancelled";

interface TaskRecord {
  readonly task: AgentTask;
  readonly run: RunContext;
  readonly parent: TaskRecord | undefined;
  readonly depth: number;
  readonly priority: number;
  seq: number;
  state: TaskState;
  attempt: number;
  /** Counted against the queue capacity (admitted, not yet started). */
  counted: boolean;
  pendingDeps: number;
  dependents: TaskRecord[];
  openChildren: number;
  failedChildren: TaskRecord[];
  children: TaskRecord[];
  result: AgentResult | undefined;
  error: AgentError | undefined;
  callIndex: number;
  span: Span | undefined;
  /** Cancellation of the running attempt. */
  abort: AttemptControl | undefined;
  cancelTimer: (() => void) | undefined;
  retryRandom: SeededRandom | undefined;
  readonly done: Promise<TaskOutcome>;
  resolve: (o: TaskOutcome) => void;
}

/** The scheduler's view of one open run. */
export interface RunContext {
  readonly runId: string;
  readonly log: EventLog;
  readonly span: Span;
  readonly seed: number;
  readonly tasks: Map<string, TaskRecord>;
  /** Tasks admitted and not yet terminal. */
  open: number;
  idle: (() => void)[];
  /** Root tasks that did not succeed. */
  failedRoots: number;
  cancelled: number;
}

/** What the scheduler is built from (the orchestrator's resolved options). */
export interface SchedulerConfig {
  concurrency: number;
  perAgentConcurrency: number;
  queueCapacity: number;
  maxDepth: number;
  clock: Clock;
  retry: RetryPolicy;
  registry: Registry;
  redactor: Redactor;
  logger: Logger;
  tracer: Tracer;
  idempotency: IdempotencyIndex;
  contextStore: ContextStorePort | undefined;
  replay: ReplaySource | undefined;
}

const RESULT_ID_MAX = 256;

/**
 * Queue, workers and dispatch: admits tasks under backpressure, orders them by priority then submission,
 * routes them, runs attempts with timeouts and retries, fans out `newTasks`, gates `dependsOn`, and
 * journals every state change before it becomes observable.
 */
export class Scheduler {
  readonly #cfg: SchedulerConfig;
  readonly #queue = new PriorityQueue<TaskRecord>();
  /** Tasks whose agent(s) had no free slot, by agent name ("" = routed by capability). */
  readonly #parked = new Map<string, PriorityQueue<TaskRecord>>();
  readonly #slotWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  readonly #counters = new MetricsCounters();
  readonly ledger: BudgetLedger;
  readonly deadLetters: AgentError[] = [];
  #admitted = 0;
  #running = 0;
  #seq = 0;
  #closing = false;

  constructor(cfg: SchedulerConfig) {
    this.#cfg = cfg;
    this.ledger = new BudgetLedger(cfg.clock);
  }

  /** Counters and gauges. */
  metrics(): OrchestratorMetrics {
    return {
      queued: this.#admitted,
      running: this.#running,
      workers: this.#cfg.concurrency,
      stopped: this.#closing,
      submitted: this.#counters.submitted,
      succeeded: this.#counters.succeeded,
      failed: this.#counters.failed,
      retried: this.#counters.retried,
      cancelled: this.#counters.cancelled,
      deadLettered: this.#counters.deadLettered,
      waitingSubmitters: this.#slotWaiters.length,
    };
  }

  /**
   * Admits `tasks` (one batch: dependencies may point inside it or at tasks already in the run) and
   * returns one outcome promise per task, in the given order. Admission waits for queue space unless
   * `wait` is false, in which case a full queue rejects with `QueueFull`.
   */
  async submitBatch(run: RunContext, tasks: readonly AgentTask[], wait: boolean): Promise<Promise<TaskOutcome>[]> {
    if (this.#closing) throw new OrchestratorError("Closed", "the orchestrator is closed; no new tasks are accepted");
    const outcomes = new Map<string, Promise<TaskOutcome>>();
    const fresh: AgentTask[] = [];
    for (const t of tasks) {
      const key = t.constraints?.idempotencyKey;
      const hit = key === undefined ? undefined : this.#cfg.idempotency.lookup(key);
      if (hit) outcomes.set(t.id, hit instanceof Promise ? hit : this.#reuse(run, t, hit));
      else fresh.push(t);
    }
    const ordered = orderBatch(fresh, (id) => run.tasks.has(id));
    if (!wait && this.#admitted + ordered.length > this.#cfg.queueCapacity) {
      throw new OrchestratorError(
        "QueueFull",
        `queue full: ${this.#admitted} of ${this.#cfg.queueCapacity} slots taken, ${ordered.length} more requested (submit with wait: true to wait for space)`,
        { capacity: this.#cfg.queueCapacity, queued: this.#admitted },
      );
    }
    for (const rec of await this.#admitAll(run, ordered, undefined)) outcomes.set(rec.task.id, rec.done);
    return tasks.map((t) => outcomes.get(t.id)!);
  }

  /** Resolves once every task of `run` is terminal. */
  settled(run: RunContext): Promise<void> {
    if (run.open === 0) return Promise.resolve();
    return new Promise((resolve) => run.idle.push(resolve));
  }

  /** Journals `body` on `run` (replay uses this to re-emit recorded budget refusals). */
  journal(run: RunContext, body: EventBody): Promise<unknown> {
    return run.log.append(body);
  }

  /** Rebuilds the tasks of a crashed run from its recorded state and continues it (see `resume`). */
  async restore(run: RunContext, state: RunState): Promise<{ rerun: string[]; interrupted: string[]; queued: string[]; finished: string[] }> {
    const report = { rerun: [] as string[], interrupted: [] as string[], queued: [] as string[], finished: [] as string[] };
    const actions: (() => Promise<void>)[] = [];
    for (const [id, rt] of state.tasks) {
      const parent = rt.parentId === undefined ? undefined : run.tasks.get(rt.parentId);
      const rec = this.#record(run, rt.task, parent);
      rec.attempt = rt.attempts;
      rec.result = rt.result;
      rec.error = rt.error;
      const usage = state.usage.get(id);
      if (usage) this.ledger.settle({ nodeId: id, tokens: 0, costUsd: 0 }, usage.tokens, usage.costUsd);
      const outcome = treeOutcome(state, id);
      if (outcome === "succeeded") {
        this.#markTerminal(rec, rec.result!, "succeeded");
        report.finished.push(id);
      } else if (outcome !== undefined) {
        this.#markTerminal(rec, rec.error ?? this.#error(rec, { code: "Cancelled", message: "cancelled", retryable: false }), outcome);
        report.finished.push(id);
      } else if (rt.phase === "succeeded") {
        rec.state = "children";
        const spawned = rt.result?.payload.newTasks ?? [];
        const missing = spawned.filter((c) => !state.tasks.has(c.id));
        rec.openChildren = spawned.length;
        actions.push(async () => {
          await this.#admitAll(run, missing.map((c) => ({ ...c, parentId: rec.task.id })), rec);
          if (rec.openChildren === 0) await this.#completeParent(rec);
        });
      } else {
        this.#count(rec);
        const idempotent = rt.task.constraints?.idempotencyKey !== undefined || rt.task.constraints?.deterministic === true;
        if (rt.phase === "running" && !idempotent) {
          report.interrupted.push(id);
          actions.push(() =>
            this.#failFinal(rec, { error: { code: "Internal", message: `task ${id} was interrupted by a crash; not idempotent, so it is not re-run`, retryable: false } }, true),
          );
        } else {
          (rt.phase === "running" ? report.rerun : report.queued).push(id);
          actions.push(async () => this.#gate(rec));
        }
      }
    }
    // Children already recorded count against their parent's open children only while still open.
    for (const rec of run.tasks.values()) {
      if (rec.parent && isTerminal(rec.state)) {
        rec.parent.openChildren--;
        if (rec.state !== "succeeded") rec.parent.failedChildren.push(rec);
      }
    }
    for (const a of actions) await a();
    return report;
  }

  /** Cancels everything not finished: queued tasks at once, running handlers through their signal. */
  async cancelAll(reason: string): Promise<void> {
    this.#closing = true;
    for (const w of this.#slotWaiters.splice(0)) w.reject(new OrchestratorError("Closed", `the orchestrator closed while this submission waited for queue space (${reason})`));
    const pending: Promise<unknown>[] = [];
    for (const rec of this.#allOpen()) {
      if (rec.state === "running") {
        rec.abort?.abort(new AgentFailure("Cancelled", `task ${rec.task.id} cancelled: ${reason}`));
        pending.push(rec.done);
      } else if (rec.state !== "children") {
        rec.cancelTimer?.();
        pending.push(this.#cancel(rec, reason));
      }
    }
    await Promise.all(pending);
    // Parents waiting on cancelled children complete through #settle; wait for them too.
    await Promise.all([...this.#allOpen()].map((r) => r.done));
  }

  *#allOpen(): Iterable<TaskRecord> {
    for (const run of this.#runs) for (const rec of run.tasks.values()) if (!isTerminal(rec.state)) yield rec;
  }

  readonly #runs = new Set<RunContext>();

  /** Makes `run` known to the scheduler (for cancellation on close). */
  attach(run: RunContext): void {
    this.#runs.add(run);
  }

  /** Forgets a finished run. */
  detach(run: RunContext): void {
    this.#runs.delete(run);
  }

  // ---- admission -------------------------------------------------------------------------------

  #record(run: RunContext, task: AgentTask, parent: TaskRecord | undefined): TaskRecord {
    let resolve!: (o: TaskOutcome) => void;
    const done = new Promise<TaskOutcome>((r) => (resolve = r));
    const rec: TaskRecord = {
      task,
      run,
      parent,
      depth: parent ? parent.depth + 1 : 0,
      priority: task.priority ?? 0,
      seq: this.#seq++,
      state: "waiting",
      attempt: 0,
      counted: false,
      pendingDeps: 0,
      dependents: [],
      openChildren: 0,
      failedChildren: [],
      children: [],
      result: undefined,
      error: undefined,
      callIndex: 0,
      span: undefined,
      abort: undefined,
      cancelTimer: undefined,
      retryRandom: undefined,
      done,
      resolve,
    };
    run.tasks.set(task.id, rec);
    run.open++;
    parent?.children.push(rec);
    this.ledger.add(task.id, parent ? parent.task.id : runNode(run), task.constraints?.budget);
    const key = task.constraints?.idempotencyKey;
    if (key !== undefined) this.#cfg.idempotency.begin(key, done);
    return rec;
  }

  /**
   * Admits `tasks` (already in dependency order) and resolves once each one's `TaskSubmitted` is journaled.
   * Every task is recorded and its event appended as soon as it has a queue slot, without waiting for the
   * previous one's event to be durable: the whole batch shares one group commit instead of one fsync per
   * task. Each task is gated (queued, parked on its dependencies, or failed) once its own event is durable;
   * appends resolve in sequence order, so gating keeps batch order and a dependency is always gated first.
   */
  async #admitAll(run: RunContext, tasks: readonly AgentTask[], parent: TaskRecord | undefined): Promise<TaskRecord[]> {
    const recs: TaskRecord[] = [];
    const journaled: Promise<void>[] = [];
    for (const task of tasks) {
      if (this.#admitted < this.#cfg.queueCapacity && this.#slotWaiters.length === 0) {
        this.#admitted++;
      } else {
        // The slot is handed over by #uncount, so a woken submitter does not re-check. Tasks admitted
        // before this point are already on their way (gated as their events become durable), so a batch
        // larger than the queue drains while it waits.
        await new Promise<void>((resolve, reject) => this.#slotWaiters.push({ resolve, reject }));
      }
      const rec = this.#record(run, task, parent);
      rec.counted = true;
      this.#counters.submitted++;
      const p = run.log.append({ type: "TaskSubmitted", taskId: task.id, task }).then(
        () => this.#gate(rec),
        (err: unknown) => {
          this.#abandon(rec, err);
          throw err;
        },
      );
      p.catch(() => undefined); // rethrown by Promise.all below; this only keeps a rejection during a slot wait from counting as unhandled
      journaled.push(p);
      recs.push(rec);
    }
    await Promise.all(journaled);
    return recs;
  }

  /** A task whose `TaskSubmitted` could not be journaled: it never runs; settle it so nothing waits on it forever. */
  #abandon(rec: TaskRecord, err: unknown): void {
    if (isTerminal(rec.state)) return;
    this.#uncount(rec);
    const message = `task ${rec.task.id} could not be journaled: ${err instanceof Error ? err.message : String(err)}`;
    this.#markTerminal(rec, this.#error(rec, { code: "Internal", message, retryable: false }), "failed");
    if (rec.run.open === 0) for (const f of rec.run.idle.splice(0)) f();
  }

  /** An idempotency hit: journal the reuse and hand back the recorded result without running. */
  async #reuse(run: RunContext, task: AgentTask, recorded: AgentResult): Promise<TaskOutcome> {
    const rec = this.#record(run, task, undefined);
    this.#counters.submitted++;
    await run.log.append({ type: "TaskSubmitted", taskId: task.id, task });
    await run.log.append({ type: "TaskSucceeded", taskId: task.id, result: recorded });
    this.#settle(rec, recorded, "succeeded");
    return recorded;
  }

  /** Queues a task whose dependencies are done, parks it on open ones, fails it on failed ones. */
  #gate(rec: TaskRecord): void {
    rec.state = "waiting";
    let failedDep: TaskRecord | undefined;
    for (const id of rec.task.dependsOn ?? []) {
      const dep = rec.run.tasks.get(id)!;
      if (dep.state === "succeeded") continue;
      if (isTerminal(dep.state)) failedDep ??= dep;
      else {
        rec.pendingDeps++;
        dep.dependents.push(rec);
      }
    }
    if (failedDep) void this.#failDependent(rec, failedDep);
    else if (rec.pendingDeps === 0) this.#enqueue(rec);
  }

  #count(rec: TaskRecord): void {
    if (rec.counted) return;
    rec.counted = true;
    this.#admitted++;
  }

  #uncount(rec: TaskRecord): void {
    if (!rec.counted) return;
    rec.counted = false;
    const next = this.#slotWaiters.shift();
    if (next) next.resolve();
    else this.#admitted--;
  }

  // ---- dispatch --------------------------------------------------------------------------------

  #enqueue(rec: TaskRecord): void {
    rec.state = "queued";
    this.#queue.push(rec);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#cfg.concurrency && this.#queue.size > 0 && !this.#closing) {
      const rec = this.#queue.pop()!;
      const decision = route(rec.task, this.#cfg.registry, this.#cfg.perAgentConcurrency);
      if (decision.kind === "busy") {
        rec.state = "parked";
        const key = rec.task.agent;
        let q = this.#parked.get(key);
        if (!q) this.#parked.set(key, (q = new PriorityQueue()));
        q.push(rec);
      } else if (decision.kind === "unavailable") {
        rec.state = "running"; // counted as an attempt that could not start
        rec.attempt++;
        void this.#afterFailure(rec, { error: { code: "AgentUnavailable", message: decision.message, retryable: true } }, undefined);
      } else {
        void this.#attempt(rec, decision.agent);
      }
    }
  }

  /** A slot of `agent` freed: move the best task parked on it (and on capability routing) back. */
  #freed(agentName: string): void {
    for (const key of [agentName, ""]) {
      const q = this.#parked.get(key);
      const rec = q?.pop();
      if (rec) {
        rec.state = "queued";
        this.#queue.push(rec);
      }
    }
    this.#pump();
  }

  // ---- one attempt -----------------------------------------------------------------------------

  async #attempt(rec: TaskRecord, agent: Agent): Promise<void> {
    const entry = this.#cfg.registry.local(agent.name)!;
    const { run, task } = rec;
    this.#running++;
    entry.running++;
    rec.state = "running";
    rec.attempt++;
    this.#uncount(rec);
    const control = new AttemptControl();
    rec.abort = control;
    let span: Span | undefined;
    let output: AgentResult | ClassifiedFailure;
    let wallStop: BudgetBreach | undefined;
    try {
      await run.log.append({ type: "TaskStarted", taskId: task.id, agent: agent.name, attempt: rec.attempt });
      span = startAttemptSpan(this.#cfg.tracer, rec.parent?.span ?? run.span, { runId: run.runId, taskId: task.id, agent: agent.name, attempt: rec.attempt });
      rec.span = span;
      if (control.aborted) throw control.reason;
      if (agent.validatePayload) {
        try {
          agent.validatePayload(task.payload);
        } catch (e) {
          const issues = (e as { issues?: unknown }).issues;
          throw new AgentFailure("ValidationFailure", `agent "${agent.name}" rejected the payload of task ${task.id}: ${(e as Error).message}`, {
            details: Array.isArray(issues) ? { issues } : {},
          });
        }
      }
      // Wall budgets are enforced, not only checked at model calls: an attempt does not start once the
      // task's (or an ancestor's, or the run's) wall budget is spent, and is stopped when it runs out.
      const spent = this.ledger.wallBreach(task.id);
      if (spent) {
        wallStop = spent;
        throw wallFailure(task.id, spent);
      }
      const timeoutMs = task.constraints?.timeoutMs;
      const wallLeft = this.ledger.remaining(task.id).wallMs;
      if (!this.#cfg.replay && wallLeft !== undefined && (timeoutMs === undefined || wallLeft < timeoutMs)) {
        rec.cancelTimer = setClockTimer(this.#cfg.clock, Math.max(0, wallLeft), () => {
          wallStop = this.ledger.wallBreach(task.id);
          control.abort(wallFailure(task.id, wallStop));
        });
      } else if (timeoutMs !== undefined && !this.#cfg.replay) {
        rec.cancelTimer = setClockTimer(this.#cfg.clock, timeoutMs, () =>
          control.abort(new AgentFailure("Timeout", `task ${task.id} timed out after ${timeoutMs} ms (attempt ${rec.attempt})`, { details: { timeoutMs } })),
        );
      }
      // Timers are armed before the handler starts (it may run synchronously for a while).
      const handler = agent.run(task, this.#context(rec, agent, control, span));
      // A handler that ignores its signal still loses the race against a timeout or cancellation.
      const raw = await control.race(handler);
      output = this.#complete(rec, agent, raw);
    } catch (e) {
      output = classifyFailure(control.aborted ? control.reason : e);
      if (wallStop) await run.log.append({ type: "BudgetExhausted", taskId: task.id, budget: "wallMs", limit: wallStop.limit, used: wallStop.used });
    } finally {
      rec.cancelTimer?.();
      rec.cancelTimer = undefined;
      rec.abort = undefined;
      this.#running--;
      entry.running--;
    }
    this.#freed(agent.name);
    if ("type" in output) {
      if (span) endSpan(span);
      await this.#afterSuccess(rec, output);
    } else {
      if (span) endSpan(span, output.error);
      await this.#afterFailure(rec, output, agent.name);
    }
  }

  /** Completes an agent's output into an `AgentResult` and validates it (invalid → `UnexpectedOutput`). */
  #complete(rec: TaskRecord, agent: Agent, raw: AgentOutput): AgentResult {
    if (raw === null || typeof raw !== "object" || typeof raw.payload !== "object" || raw.payload === null) {
      throw new AgentFailure("UnexpectedOutput", `agent "${agent.name}" returned ${describe(raw)} for task ${rec.task.id}; expected { payload, metrics? }`);
    }
    const result: AgentResult = {
      type: "AgentResult",
      id: `result:${rec.task.id}`.slice(0, RESULT_ID_MAX),
      parentId: rec.task.id,
      agent: agent.name,
      payload: raw.payload,
    };
    const used = this.ledger.used(rec.task.id);
    if (raw.metrics !== undefined) result.metrics = raw.metrics;
    else if (used.tokens > 0 || used.costUsd > 0) result.metrics = { tokensUsed: used.tokens, costUsd: used.costUsd };
    return validateResult(result);
  }

  #context(rec: TaskRecord, agent: Agent, control: AttemptControl, span: Span): AgentContext {
    const { run, task } = rec;
    const cfg = this.#cfg;
    const sc = span.spanContext();
    const { effect, callModel } = createSideEffectGateway({ taskId: task.id, log: run.log, ledger: this.ledger, replay: cfg.replay, control, calls: rec });
    const ledger = this.ledger;
    const ctx = new AttemptContext({
      task,
      runId: run.runId,
      attempt: rec.attempt,
      agentName: agent.name,
      control,
      logger: cfg.logger,
      clock: cfg.clock,
      randomSeed: mixSeed(run.seed, task.id, "agent"),
      replaying: cfg.replay !== undefined,
      trace: { traceId: sc.traceId, spanId: sc.spanId },
      tasks: run.tasks,
      budget: { remaining: () => ledger.remaining(task.id) },
      effect,
      callModel,
    });
    if (cfg.contextStore) {
      const own = task.scope ?? `task:${task.id}`;
      ctx.context = createContextView({
        taskId: task.id,
        scopes: own === "global" ? ["global"] : [own, "global"],
        store: cfg.contextStore,
        redactor: cfg.redactor,
        effect,
        recordWrite: async (w) => {
          await run.log.append({ type: "ContextWritten", taskId: task.id, ...w });
        },
      });
    }
    return ctx;
  }

  // ---- outcomes --------------------------------------------------------------------------------

  async #afterSuccess(rec: TaskRecord, result: AgentResult): Promise<void> {
    const spawned = result.payload.newTasks ?? [];
    let children: AgentTask[] = [];
    if (spawned.length > 0) {
      if (rec.depth + 1 > this.#cfg.maxDepth) {
        return this.#afterFailure(rec, { error: { code: "UnexpectedOutput", message: `task ${rec.task.id} returned newTasks at depth ${rec.depth + 1}, beyond the limit of ${this.#cfg.maxDepth}`, retryable: false, details: { maxDepth: this.#cfg.maxDepth } } }, result.agent);
      }
      try {
        children = orderBatch(spawned.map((c) => ({ ...c, parentId: rec.task.id })), (id) => rec.run.tasks.has(id));
      } catch (e) {
        return this.#afterFailure(rec, { error: { code: "UnexpectedOutput", message: `task ${rec.task.id} returned invalid newTasks: ${(e as Error).message}`, retryable: false, details: (e as OrchestratorError).details ?? {} } }, result.agent);
      }
    }
    await rec.run.log.append({ type: "TaskSucceeded", taskId: rec.task.id, result });
    rec.result = result;
    if (children.length === 0) return this.#settle(rec, result, "succeeded");
    rec.state = "children";
    rec.openChildren = children.length;
    if (this.#closing) rec.openChildren = 0; // closing: children are not started
    else await this.#admitAll(rec.run, children, rec);
    if (rec.openChildren === 0) await this.#completeParent(rec);
  }

  async #afterFailure(rec: TaskRecord, failure: ClassifiedFailure, agentName: string | undefined): Promise<void> {
    const { error } = failure;
    const max = rec.task.constraints?.maxAttempts ?? this.#cfg.retry.maxAttempts;
    if (error.code === "Cancelled" && this.#closing) return this.#cancel(rec, error.message);
    if (error.retryable && error.code !== "Timeout" && rec.attempt < max && !this.#closing) {
      rec.retryRandom ??= new SeededRandom(mixSeed(rec.run.seed, rec.task.id, "retry"));
      const delayMs = backoffDelay(this.#cfg.retry, rec.attempt, rec.retryRandom);
      await rec.run.log.append({ type: "TaskRetried", taskId: rec.task.id, attempt: rec.attempt, delayMs, error });
      this.#counters.retried++;
      rec.state = "retrying";
      this.#count(rec);
      rec.cancelTimer = setClockTimer(this.#cfg.clock, delayMs, () => {
        rec.cancelTimer = undefined;
        if (rec.state === "retrying") this.#enqueue(rec);
      });
      return;
    }
    return this.#failFinal(rec, failure, true, agentName);
  }

  /** Journals a final failure (and its dead-letter record) and settles the task. */
  async #failFinal(rec: TaskRecord, failure: ClassifiedFailure, deadLetter: boolean, agentName?: string): Promise<void> {
    const err = this.#error(rec, failure.error, agentName);
    if (failure.partial) err.partial = failure.partial;
    await rec.run.log.append({ type: "TaskFailed", taskId: rec.task.id, error: err });
    if (deadLetter) {
      await rec.run.log.append({ type: "TaskDeadLettered", taskId: rec.task.id, error: err });
      this.deadLetters.push(err);
      this.#counters.deadLettered++;
    }
    this.#settle(rec, err, "failed");
  }

  #error(rec: TaskRecord, error: AgentError["error"], agentName?: string): AgentError {
    return { type: "AgentError", id: `error:${rec.task.id}`.slice(0, RESULT_ID_MAX), parentId: rec.task.id, agent: agentName ?? rec.task.agent, error };
  }

  async #failDependent(rec: TaskRecord, dep: TaskRecord): Promise<void> {
    if (isTerminal(rec.state)) return;
    this.#uncount(rec);
    const code = dep.error?.error.code ?? "Cancelled";
    await this.#failFinal(
      rec,
      { error: { code: "DependencyFailed", message: `task ${rec.task.id} depends on ${dep.task.id}, which ${dep.state === "cancelled" ? "was cancelled" : `failed (${code})`}`, retryable: false, details: { dependency: dep.task.id, dependencyCode: code } } },
      false,
    );
  }

  async #cancel(rec: TaskRecord, reason: string): Promise<void> {
    if (isTerminal(rec.state)) return;
    this.#uncount(rec);
    rec.state = "cancelled";
    await rec.run.log.append({ type: "TaskCancelled", taskId: rec.task.id, reason });
    this.#counters.cancelled++;
    rec.run.cancelled++;
    this.#settle(rec, this.#error(rec, { code: "Cancelled", message: `task ${rec.task.id} cancelled: ${reason}`, retryable: false }), "cancelled");
  }

  /** A parent whose children are all terminal: succeeds with its own result, or fails with theirs. */
  async #completeParent(rec: TaskRecord): Promise<void> {
    if (rec.failedChildren.length === 0) return this.#settle(rec, rec.result!, "succeeded");
    const budget = rec.failedChildren.some((c) => c.error?.error.code === "BudgetExhausted");
    const artifacts: Artifact[] = [];
    const collect = (r: TaskRecord): void => {
      if (r.result?.payload.artifacts) artifacts.push(...r.result.payload.artifacts);
      else if (r.error?.partial?.artifacts) artifacts.push(...r.error.partial.artifacts);
      for (const c of r.children) collect(c);
    };
    collect(rec);
    const failed = rec.failedChildren.map((c) => c.task.id).sort();
    const err = this.#error(rec, {
      code: budget ? "BudgetExhausted" : "DependencyFailed",
      message: `task ${rec.task.id}: ${failed.length} of its subtasks did not succeed (${failed.join(", ")})`,
      retryable: false,
      details: { failedChildren: failed },
    }, rec.result?.agent);
    if (artifacts.length > 0) err.partial = { artifacts };
    await rec.run.log.append({ type: "TaskFailed", taskId: rec.task.id, error: err });
    this.#settle(rec, err, "failed");
  }

  #markTerminal(rec: TaskRecord, outcome: TaskOutcome, state: "succeeded" | "failed" | "cancelled"): void {
    rec.state = state;
    if (outcome.type === "AgentError") rec.error = outcome;
    rec.run.open--;
    const key = rec.task.constraints?.idempotencyKey;
    if (key !== undefined) this.#cfg.idempotency.end(key, state === "succeeded" ? (outcome as AgentResult) : undefined);
    rec.resolve(outcome);
  }

  #settle(rec: TaskRecord, outcome: TaskOutcome, state: "succeeded" | "failed" | "cancelled"): void {
    this.#uncount(rec);
    this.#markTerminal(rec, outcome, state);
    if (state === "succeeded") this.#counters.succeeded++;
    else if (state === "failed") this.#counters.failed++;
    if (!rec.parent && state !== "succeeded") rec.run.failedRoots++;
    for (const d of rec.dependents) {
      if (isTerminal(d.state)) continue;
      if (state === "succeeded") {
        if (--d.pendingDeps === 0 && d.state === "waiting") this.#enqueue(d);
      } else {
        void this.#failDependent(d, rec);
      }
    }
    rec.dependents = [];
    const parent = rec.parent;
    if (parent && parent.state === "children") {
      if (state !== "succeeded") parent.failedChildren.push(rec);
      if (--parent.openChildren === 0) void this.#completeParent(parent);
    }
    if (rec.run.open === 0) for (const f of rec.run.idle.splice(0)) f();
  }
}

/** The budget-ledger node of a run. */
export function runNode(run: { runId: string }): string {
  return `run:${run.runId}`;
}

function isTerminal(s: TaskState): boolean {
  return s === "succeeded" || s === "failed" || s === "cancelled";
}

/** A 32-bit FNV-1a hash of the run seed, a task id and a purpose: per-task RNG streams independent of interleaving. */
export function mixSeed(seed: number, id: string, purpose: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const s = `${purpose}:${id}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return `an object without a \`payload\` object (keys: ${Object.keys(x).join(", ") || "none"})`;
}


/** The failure of a task whose wall budget (its own, an ancestor's or the run's) ran out. */
function wallFailure(taskId: string, breach: BudgetBreach | undefined): AgentFailure {
  const where = breach === undefined ? "a" : breach.nodeId === taskId ? "the task's" : breach.nodeId.startsWith("run:") ? "the run's" : `ancestor ${breach.nodeId}'s`;
  return new AgentFailure("BudgetExhausted", `${where} wall budget ran out${breach ? ` (limit ${breach.limit} ms, used ${breach.used} ms)` : ""} (task ${taskId})`, {
    details: breach ? { budget: "wallMs", limit: breach.limit, used: breach.used } : { budget: "wallMs" },
  });
}
