/**
 * VLTAIR's orchestrator: a bounded priority queue with global and per-agent concurrency and
 * backpressure, a capability router, retries with seeded backoff, enforced budgets, idempotency, DAGs
 * and subtasks, a durable journal with resume after a crash, deterministic replay, redaction, structured
 * logs, metrics and OpenTelemetry spans.
 *
 * @packageDocumentation
 */

/** The orchestrator facade and its options, runs and reports. */
export { Orchestrator } from "./orchestrator.js";
export type {
  OrchestratorOptions,
  OrchestratorStatus,
  ResumeReport,
  FinishOptions,
  Run,
  RunSummary,
  StartRunOptions,
  SubmitOptions,
} from "./orchestrator-types.js";
/** The agent interface, the context agents get, and the error they throw to fail with a code. */
export {
  AgentFailure,
  type Agent,
  type AgentContext,
  type AgentFailureOptions,
  type AgentOutput,
  type BudgetRemaining,
  type BudgetView,
  type ModelRequest,
  type ModelResponse,
} from "./agent.js";
/** A task's outcome: its validated result or error envelope. */
export type { TaskOutcome } from "./scheduler.js";
/** Errors of the orchestrator's own API (not task outcomes). */
export { OrchestratorError, type OrchestratorErrorCode } from "./orchestrator-error.js";
/** Agent descriptors and health as `status()` and the CLI see them. */
export type { AgentDescriptor, AgentHealth } from "./registry.js";
/** Replay options and report. */
export type { ReplayDivergence, ReplayOptions, ReplayReport } from "./replay-types.js";
/** Backoff settings and the delay function. */
export { backoffDelay, defaultRetryPolicy, type RetryPolicy } from "./retry-policy.js";
/** Counters of `metrics()`. */
export type { OrchestratorMetrics } from "./metrics.js";
/** The scoped context-store view agents get, and the store shape it needs. */
export type { ContextDocumentInput, ContextStorePort, ContextView, ContextWriteResult } from "./context-view.js";
/** Rebuilding a run's state from its events (used by resume and replay; useful to inspect runs). */
export { buildRunState, treeOutcome, type RecordedPhase, type RecordedTask, type RunState } from "./run-state.js";
/** Topological ordering of a task batch with cycle detection. */
export { orderBatch } from "./dag.js";
/** Determinism primitives taken by injection. */
export { ManualClock, systemClock, VirtualClock, type Clock } from "./clock.js";
export { SeededRandom } from "./seeded-random.js";
/** JSON with sorted keys: equal values give equal text (replay comparison, request keys). */
export { canonicalJson } from "./canonical-json.js";
/** The durable run journal. */
export {
  Journal,
  JournalCorruptError,
  JournalError,
  JournalSequenceError,
  JournalLockedError,
  JournalClosedError,
  JournalNotFoundError,
  JournalIoError,
  JOURNAL_FILE_NAME,
  listRunDirs,
  readJournal,
  type Durability,
  type JournalErrorCode,
  type JournalOptions,
  type JournalRecovery,
  type JournalStats,
} from "./journal/index.js";
/** Atomic, durable file replacement (manifests, the registry, project config). */
export { writeFileAtomic } from "@vltair/context-store/files";
/** Redaction of secrets before anything is logged, journaled or stored. */
export { createRedactor, CIRCULAR_MARKER, REDACTED_FIELD, type Redactor, type RedactorOptions } from "./redaction.js";
/** The secret formats redaction knows, reusable for secret detection. */
export { SECRET_PATTERNS, findSecrets, compileSecretMatcher, type SecretPattern, type SecretMatch, type SecretMatcher } from "./secret-patterns.js";
/** Structured JSON logging. */
export { createJsonLogger, silentLogger, type Logger, type JsonLoggerOptions, type LogLevel } from "./logger.js";
