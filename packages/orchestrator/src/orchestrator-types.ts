/** The orchestrator's options, runs and reports (apart from the class, so modules that only need the shapes — replay — do not import it). */
import type { Tracer } from "@opentelemetry/api";
import type { AgentTask, Budget } from "@vltair/envelopes";
import type { Clock } from "./clock.js";
import type { ContextStorePort } from "./context-view.js";
import type { Durability } from "./journal/index.js";
import type { Logger } from "./logger.js";
import type { OrchestratorMetrics } from "./metrics.js";
import type { Redactor, RedactorOptions } from "./redaction.js";
import type { AgentDescriptor } from "./registry.js";
import type { RetryPolicy } from "./retry-policy.js";
import type { TaskOutcome } from "./scheduler.js";

/** Options of `Orchestrator`. */
export interface OrchestratorOptions {
  /** State directory: `runs/<runId>/{journal.log,manifest.json}` and `registry.json`. */
  dir: string;
  /** Handlers running at once overall (default 4). */
  concurrency?: number;
  /** Handlers running at once per agent (default: `concurrency`). */
  perAgentConcurrency?: number;
  /** Tasks admitted and not yet started before `submit` waits or rejects (default 10 000). */
  queueCapacity?: number;
  /** Time source (default the system clock); timeouts and backoff use its timers when it has them. */
  clock?: Clock;
  /** Seed of run ids, retry jitter and agents' `ctx.random` (default 0). */
  seed?: number;
  /** Context store behind `ctx.context` (any object with the `ContextStore` put/get/search methods). */
  contextStore?: ContextStorePort;
  /** Journal fsync policy (default `commit`). */
  durability?: Durability;
  /** Journal group-commit window in ms (default 0). */
  groupCommitMs?: number;
  /** A redactor, or options for `createRedactor` (default: built-in patterns + environment). */
  redaction?: Redactor | RedactorOptions;
  /** Structured logger (default silent). */
  logger?: Logger;
  /** Deepest allowed level of `newTasks` children (default 8). */
  maxDepth?: number;
  /** Backoff settings (default 3 attempts, 100 ms base, 30 s cap). */
  retry?: Partial<RetryPolicy>;
  /** OpenTelemetry tracer (default the global provider's, a no-op without an SDK). */
  tracer?: Tracer;
  /** Embedder id recorded in run manifests. */
  embedder?: string;
  /** Workspace digest recorded in run manifests. */
  workspaceDigest?: string;
}

/** Options of `Orchestrator.startRun`. */
export interface StartRunOptions {
  /** Caller-chosen run id (letters, digits, `.`, `_`, `-`); default `run-<seeded hex>`. */
  runId?: string;
  /** Budget of the whole run, shared by all its task trees. */
  budget?: Budget;
  /** Extra manifest fields (model ids, tool versions, …). */
  manifest?: Record<string, unknown>;
}

/** Options of `Orchestrator.submit`. */
export interface SubmitOptions {
  /** Wait for queue space when full (default true); false rejects with `QueueFull`. */
  wait?: boolean;
  /** Submit into this open run instead of the default one. */
  runId?: string;
}

/** How a run ended. */
export interface RunSummary {
  runId: string;
  status: "succeeded" | "failed" | "cancelled";
  tasks: number;
  failedRoots: number;
  cancelled: number;
}

/** One open run: submit into it, then `finish()` it. */
export interface Run {
  readonly runId: string;
  /** Submits one task; resolves with its outcome once it and its subtasks are done. */
  submit(task: AgentTask, options?: { wait?: boolean }): Promise<TaskOutcome>;
  /** Submits a batch (a DAG: `dependsOn` may point inside it); resolves with the outcomes in order. */
  submitAll(tasks: readonly AgentTask[], options?: { wait?: boolean }): Promise<TaskOutcome[]>;
  /** Resolves once every task submitted so far is done. */
  settled(): Promise<void>;
  /**
   * Waits for all tasks, journals `RunFinished` and closes the run's journal. The status defaults to
   * `failed` when a root task failed (`cancelled` when any was cancelled); a caller that drives the run
   * (a workflow for which a failing first step is expected) states its own verdict with `status`.
   */
  finish(options?: FinishOptions): Promise<RunSummary>;
}

/** Options of {@link Run.finish}. */
export interface FinishOptions {
  /** The run's verdict, overriding the one derived from its root tasks. */
  status?: "succeeded" | "failed" | "cancelled";
}

/** What `resume` found and did. */
export interface ResumeReport {
  run: Run;
  /** Tasks already finished (kept, not re-run). */
  finished: string[];
  /** In-flight idempotent tasks re-run. */
  rerun: string[];
  /** In-flight non-idempotent tasks failed as interrupted. */
  interrupted: string[];
  /** Tasks that had not started (or were waiting to retry), queued again. */
  queued: string[];
}

/** What `status()` reports. */
export interface OrchestratorStatus {
  agents: AgentDescriptor[];
  openRuns: string[];
  metrics: OrchestratorMetrics;
  deadLetters: number;
}
