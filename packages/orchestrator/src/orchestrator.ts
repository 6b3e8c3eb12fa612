import { promises as fs } from "node:fs";
import path from "node:path";
import type { Tracer } from "@opentelemetry/api";
import { EnvelopeValidationError, validateTask, type AgentError, type AgentTask, type Budget, type RunEvent } from "@vltair/envelopes";
import type { Agent } from "./agent.js";
import { systemClock, type Clock } from "./clock.js";
import { EventLog } from "./event-log.js";
import { IdempotencyIndex } from "./idempotency-index.js";
import { Journal, listRunDirs, readJournal } from "./journal/index.js";
import { silentLogger, type Logger } from "./logger.js";
import type { OrchestratorMetrics } from "./metrics.js";
import { OrchestratorError } from "./orchestrator-error.js";
import { createRedactor, type Redactor, type RedactorOptions } from "./redaction.js";
import { Registry, type AgentHealth } from "./registry.js";
import { replayRun } from "./replay.js";
import { replayHooks, type ReplayHooks, type ReplayOptions, type ReplayReport } from "./replay-types.js";
import type { OrchestratorOptions, OrchestratorStatus, ResumeReport, Run, RunSummary, StartRunOptions, SubmitOptions } from "./orchestrator-types.js";
import { defaultRetryPolicy, type RetryPolicy } from "./retry-policy.js";
import { buildRunState } from "./run-state.js";
import { runNode, Scheduler, type RunContext, type TaskOutcome } from "./scheduler.js";
import { SeededRandom } from "./seeded-random.js";
import { writeFileAtomic } from "@vltair/context-store/files";
import { defaultTracer, endSpan, startRunSpan } from "./tracing.js";

const RUN_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The orchestrator: register agents, submit tasks (alone, in runs, as DAGs), and get validated results
 * back — with backpressure, routing, retries, enforced budgets, idempotency, a durable journal, resume
 * after a crash and deterministic replay.
 */
export class Orchestrator {
  readonly #opts: OrchestratorOptions;
  readonly #clock: Clock;
  readonly #seed: number;
  readonly #redactor: Redactor;
  readonly #logger: Logger;
  readonly #tracer: Tracer;
  readonly #registry: Registry;
  readonly #idempotency = new IdempotencyIndex();
  readonly #scheduler: Scheduler;
  readonly #runIds: SeededRandom;
  readonly #listeners = new Set<(e: RunEvent) => void>();
  readonly #runs = new Map<string, { ctx: RunContext; handle: Run }>();
  readonly #replay: ReplayHooks | undefined;
  readonly #concurrency: number;
  readonly #perAgent: number;
  readonly #retry: RetryPolicy;
  #ready: Promise<void> | undefined;
  #defaultRun: Promise<Run> | undefined;
  #closed = false;

  constructor(options: OrchestratorOptions & { [replayHooks]?: ReplayHooks }) {
    if (!options || typeof options.dir !== "string" || options.dir === "") {
      throw new OrchestratorError("InvalidOption", "new Orchestrator({ dir }): `dir` must be a non-empty path");
    }
    this.#opts = options;
    this.#concurrency = positiveInt(options.concurrency ?? 4, "concurrency");
    this.#perAgent = positiveInt(options.perAgentConcurrency ?? this.#concurrency, "perAgentConcurrency");
    const capacity = positiveInt(options.queueCapacity ?? 10_000, "queueCapacity");
    const maxDepth = positiveInt(options.maxDepth ?? 8, "maxDepth");
    this.#retry = { ...defaultRetryPolicy, ...options.retry };
    positiveInt(this.#retry.maxAttempts, "retry.maxAttempts");
    this.#clock = options.clock ?? systemClock;
    this.#seed = options.seed ?? 0;
    if (!Number.isSafeInteger(this.#seed)) throw new OrchestratorError("InvalidOption", `seed must be a safe integer, got ${options.seed}`);
    const r = options.redaction;
    this.#redactor = r && typeof (r as Redactor).redact === "function" ? (r as Redactor) : createRedactor(r as RedactorOptions | undefined);
    this.#logger = options.logger ?? silentLogger;
    this.#tracer = options.tracer ?? defaultTracer();
    this.#registry = new Registry(options.dir);
    this.#runIds = new SeededRandom(this.#seed);
    this.#replay = options[replayHooks];
    for (const [k, v] of this.#replay?.seedIdempotency ?? []) this.#idempotency.seed(k, v);
    if (this.#replay) {
      this.#replay.journal = (runId, body) => this.#scheduler.journal(this.#runs.get(runId)!.ctx, body);
    }
    this.#scheduler = new Scheduler({
      concurrency: this.#concurrency,
      perAgentConcurrency: this.#perAgent,
      queueCapacity: capacity,
      maxDepth,
      clock: this.#clock,
      retry: this.#retry,
      registry: this.#registry,
      redactor: this.#redactor,
      logger: this.#logger,
      tracer: this.#tracer,
      idempotency: this.#idempotency,
      contextStore: options.contextStore,
      replay: this.#replay?.source,
    });
  }

  /** The state directory. */
  get dir(): string {
    return this.#opts.dir;
  }

  /** Registers a local agent. Throws `InvalidAgent` for a malformed agent or a duplicate name. */
  register(agent: Agent): void {
    this.#assertOpen();
    this.#registry.registerLocal(agent);
  }

  /** Persists a remote agent's descriptor (`vltair register`); it survives restarts and shows in `status()`. */
  async registerRemote(desc: { name: string; capabilities: readonly string[]; version?: string }): Promise<void> {
    await this.#init();
    await this.#registry.registerRemote(desc);
  }

  /** Records an agent's self-reported health/load (`vltair update`); persisted for remote agents. */
  async updateAgent(name: string, report: { status?: AgentHealth; load?: number }): Promise<void> {
    await this.#init();
    await this.#registry.update(name, report);
  }

  /** Subscribes to run events (after they are journaled); returns the unsubscribe function. */
  on(listener: (event: RunEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens a new run: its directory, manifest and `RunStarted` event. */
  async startRun(options: StartRunOptions = {}): Promise<Run> {
    this.#assertOpen();
    await this.#init();
    const runId = options.runId ?? (await this.#freshRunId());
    if (!RUN_ID.test(runId)) throw new OrchestratorError("InvalidOption", `run id ${JSON.stringify(runId)} must be 1–128 letters, digits, '.', '_' or '-'`);
    if (this.#runs.has(runId) || (await exists(this.#runDir(runId)))) {
      throw new OrchestratorError("InvalidOption", `run ${runId} already exists under ${this.#opts.dir}; use resume(${JSON.stringify(runId)}) to continue it`);
    }
    const manifest = this.#manifest(runId, options);
    await fs.mkdir(this.#runDir(runId), { recursive: true });
    await writeFileAtomic(path.join(this.#runDir(runId), "manifest.json"), JSON.stringify(this.#redactor.redact(manifest), null, 2));
    const ctx = await this.#openRun(runId, this.#seed, options.budget);
    await ctx.log.append({ type: "RunStarted", manifest });
    return this.#runs.get(runId)!.handle;
  }

  /**
   * Submits a task (into the default run, or `runId`) and resolves with its validated `AgentResult` or
   * `AgentError` once it and its subtasks are done. Rejects only for an invalid task (`InvalidTask`), a
   * full queue with `wait: false` (`QueueFull`), a closed orchestrator, or an unknown run.
   */
  async submit(task: AgentTask, options: SubmitOptions = {}): Promise<TaskOutcome> {
    const run = options.runId !== undefined ? this.#openRunHandle(options.runId) : await this.#default();
    return run.submit(task, options.wait === undefined ? {} : { wait: options.wait });
  }

  /**
   * Continues a run after a crash: finished tasks keep their results, in-flight tasks re-run when
   * idempotent (`idempotencyKey` or `constraints.deterministic`) and otherwise fail as interrupted,
   * queued ones run.
   */
  async resume(runId: string): Promise<ResumeReport> {
    this.#assertOpen();
    await this.#init();
    if (this.#runs.has(runId)) throw new OrchestratorError("InvalidOption", `run ${runId} is open in this orchestrator; nothing to resume`);
    const { events } = await this.#read(runId);
    const state = buildRunState(runId, events);
    if (state.finished) throw new OrchestratorError("RunFinished", `run ${runId} already finished (${state.finished}); nothing to resume`);
    const seed = typeof state.manifest?.seed === "number" ? state.manifest.seed : this.#seed;
    const budget = state.manifest?.budget as Budget | undefined;
    const ctx = await this.#openRun(runId, seed, budget);
    const report = await this.#scheduler.restore(ctx, state);
    this.#logger.info("run resumed", { runId, ...counts(report) });
    return { run: this.#runs.get(runId)!.handle, ...report };
  }

  /**
   * Re-executes a recorded run in a scratch orchestrator with recorded model/tool outputs and reports the
   * first event that differs from the recording. Never writes to the original run, never calls a model
   * or tool. See {@link ReplayOptions}.
   */
  async replay(runId: string, options: ReplayOptions = {}): Promise<ReplayReport> {
    await this.#init();
    const { events } = await this.#read(runId);
    return replayRun(runId, events, {
      redactor: this.#redactor,
      concurrency: this.#concurrency,
      perAgentConcurrency: this.#perAgent,
      retry: this.#retry,
      maxDepth: this.#opts.maxDepth ?? 8,
      ...options,
    }, (scratch) => new Orchestrator(scratch));
  }

  /** The recorded events of a run (a torn last frame is left out). */
  async readJournal(runId: string): Promise<RunEvent[]> {
    return (await this.#read(runId)).events;
  }

  /** Run ids under `<dir>/runs/`, sorted. */
  listRuns(): Promise<string[]> {
    return listRunDirs(this.#opts.dir);
  }

  /** Final failures (retries exhausted or not retryable) seen by this process, in order. */
  deadLetters(): readonly AgentError[] {
    return this.#scheduler.deadLetters;
  }

  /** Queue and task counters. */
  metrics(): OrchestratorMetrics {
    return this.#scheduler.metrics();
  }

  /** Agents (local and persisted remote ones), open runs and counters. */
  async status(): Promise<OrchestratorStatus> {
    await this.#init();
    return {
      agents: this.#registry.list(this.#perAgent),
      openRuns: [...this.#runs.keys()].sort(),
      metrics: this.metrics(),
      deadLetters: this.#scheduler.deadLetters.length,
    };
  }

  /** Cancels unfinished tasks (journaled `TaskCancelled`), finishes open runs and closes their journals. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#scheduler.cancelAll("the orchestrator was closed");
    for (const { handle } of [...this.#runs.values()]) await handle.finish();
  }

  // ---------------------------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new OrchestratorError("Closed", "the orchestrator is closed");
  }

  #init(): Promise<void> {
    this.#ready ??= (async () => {
      await fs.mkdir(path.join(this.#opts.dir, "runs"), { recursive: true });
      await this.#registry.load();
      if (!this.#replay) {
        const loaded = await IdempotencyIndex.load(this.#opts.dir);
        this.#idempotency.merge(loaded);
      }
    })();
    return this.#ready;
  }

  #runDir(runId: string): string {
    return path.join(this.#opts.dir, "runs", runId);
  }

  async #read(runId: string): Promise<{ events: RunEvent[] }> {
    if (!RUN_ID.test(runId)) throw new OrchestratorError("UnknownRun", `run id ${JSON.stringify(runId)} is not a valid run id`);
    if (!(await exists(path.join(this.#runDir(runId), "journal.log")))) {
      throw new OrchestratorError("UnknownRun", `no run ${runId} under ${this.#opts.dir} (no ${path.join(this.#runDir(runId), "journal.log")})`);
    }
    const { events } = await readJournal(this.#runDir(runId));
    return { events: events };
  }

  async #freshRunId(): Promise<string> {
    for (;;) {
      const hex = this.#runIds.nextUint32().toString(16).padStart(8, "0") + this.#runIds.nextUint32().toString(16).padStart(8, "0");
      const id = `run-${hex}`;
      if (!this.#runs.has(id) && !(await exists(this.#runDir(id)))) return id;
    }
  }

  #manifest(runId: string, options: StartRunOptions): Record<string, unknown> {
    const agents = this.#registry.localEntries().map(({ agent }) => {
      const a: Record<string, unknown> = { name: agent.name, capabilities: [...agent.capabilities] };
      if (agent.version !== undefined) a.version = agent.version;
      if (agent.model !== undefined) a.model = agent.model;
      return a;
    });
    const m: Record<string, unknown> = {
      runId,
      seed: this.#seed,
      clockStart: this.#clock.now(),
      node: process.version,
      agents,
      scheduler: { concurrency: this.#concurrency, perAgentConcurrency: this.#perAgent, maxDepth: this.#opts.maxDepth ?? 8, retry: this.#retry },
    };
    if (options.budget) m.budget = options.budget;
    // Agents see `ctx.context` only with a store; replay must offer one exactly when the run had it.
    m.contextStore = this.#opts.contextStore !== undefined;
    if (this.#opts.embedder !== undefined) m.embedder = this.#opts.embedder;
    if (this.#opts.workspaceDigest !== undefined) m.workspaceDigest = this.#opts.workspaceDigest;
    if (options.manifest) m.extra = options.manifest;
    return m;
  }

  async #openRun(runId: string, seed: number, budget: Budget | undefined): Promise<RunContext> {
    const journal = await Journal.open(this.#runDir(runId), {
      durability: this.#opts.durability ?? "commit",
      ...(this.#opts.groupCommitMs === undefined ? {} : { groupCommitMs: this.#opts.groupCommitMs }),
    });
    const log = new EventLog(runId, journal, this.#clock, this.#redactor, (e) => this.#emit(e));
    const ctx: RunContext = { runId, log, span: startRunSpan(this.#tracer, runId), seed, tasks: new Map(), open: 0, idle: [], failedRoots: 0, cancelled: 0 };
    this.#scheduler.ledger.add(runNode(ctx), undefined, budget);
    this.#scheduler.attach(ctx);
    let finishing: Promise<RunSummary> | undefined;
    const handle: Run = {
      runId,
      submit: async (task, o = {}) => {
        if (finishing) throw new OrchestratorError("RunFinished", `run ${runId} is finishing; it accepts no more tasks`);
        const [outcome] = await this.#scheduler.submitBatch(ctx, [this.#validate(task, 0)], o.wait ?? true);
        return outcome!;
      },
      submitAll: async (tasks, o = {}) => {
        if (finishing) throw new OrchestratorError("RunFinished", `run ${runId} is finishing; it accepts no more tasks`);
        if (!Array.isArray(tasks)) throw new OrchestratorError("InvalidTask", "submitAll(tasks): expected an array of tasks");
        const outcomes = await this.#scheduler.submitBatch(ctx, (tasks as readonly AgentTask[]).map((t, i) => this.#validate(t, i)), o.wait ?? true);
        return Promise.all(outcomes);
      },
      settled: () => this.#scheduler.settled(ctx),
      finish: (options = {}) =>
        (finishing ??= (async () => {
          await this.#scheduler.settled(ctx);
          const status = options.status ?? (ctx.cancelled > 0 ? "cancelled" : ctx.failedRoots > 0 ? "failed" : "succeeded");
          const summary: RunSummary = { runId, status, tasks: ctx.tasks.size, failedRoots: ctx.failedRoots, cancelled: ctx.cancelled };
          await log.append({ type: "RunFinished", status, summary: { tasks: summary.tasks, failedRoots: summary.failedRoots, cancelled: summary.cancelled } });
          endSpan(ctx.span, status === "succeeded" ? undefined : { code: status, message: `run ${status}` });
          await log.close();
          this.#scheduler.detach(ctx);
          this.#runs.delete(runId);
          return summary;
        })()),
    };
    this.#runs.set(runId, { ctx, handle });
    return ctx;
  }

  #openRunHandle(runId: string): Run {
    const r = this.#runs.get(runId);
    if (!r) throw new OrchestratorError("UnknownRun", `run ${runId} is not open in this orchestrator (startRun or resume it first)`);
    return r.handle;
  }

  #default(): Promise<Run> {
    this.#assertOpen();
    this.#defaultRun ??= this.startRun();
    return this.#defaultRun;
  }

  #validate(task: AgentTask, index: number): AgentTask {
    try {
      return validateTask(task);
    } catch (e) {
      if (e instanceof EnvelopeValidationError) {
        const id = typeof (task as { id?: unknown })?.id === "string" ? ` ${(task as { id: string }).id}` : ` #${index}`;
        throw new OrchestratorError("InvalidTask", `task${id} is not a valid AgentTask: ${e.message}`, { issues: e.issues });
      }
      throw e;
    }
  }

  #emit(event: RunEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (e) {
        this.#logger.warn("event listener threw", { error: e as Error, eventType: event.type });
      }
    }
  }
}

function positiveInt(n: number, name: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new OrchestratorError("InvalidOption", `${name} must be a positive integer, got ${n}`);
  return n;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}


function counts(r: { rerun: string[]; interrupted: string[]; queued: string[]; finished: string[] }): Record<string, number> {
  return { rerun: r.rerun.length, interrupted: r.interrupted.length, queued: r.queued.length, finished: r.finished.length };
}
