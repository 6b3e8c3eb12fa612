import type { AgentResult, AgentTask, Artifact, ErrorCode } from "@vltair/envelopes";
import type { Clock } from "./clock.js";
import type { ContextView } from "./context-view.js";
import type { Logger } from "./logger.js";
import type { SeededRandom } from "./seeded-random.js";

/** What an agent hands back: the orchestrator completes it into a validated `AgentResult`. */
export interface AgentOutput {
  payload: AgentResult["payload"];
  metrics?: AgentResult["metrics"];
}

/** A model call as agents describe it; `callModel` reserves budget for it before it runs. */
export interface ModelRequest {
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  temperature: number;
  seed?: number;
  maxTokens?: number;
  pricing?: { inputPerMTokUsd: number; outputPerMTokUsd: number };
}

/** A model's answer and what it consumed. */
export interface ModelResponse {
  content: string;
  model: string;
  finishReason?: string;
  usage: { promptTokens: number; completionTokens: number };
}

/** Remaining budget of a task: the tightest of its own and every ancestor's (and the run's). */
export interface BudgetRemaining {
  tokens?: number;
  costUsd?: number;
  wallMs?: number;
}

/** Budget accounting as an agent sees it. */
export interface BudgetView {
  /** What is left, over the task and all its ancestors; absent fields are unlimited. */
  remaining(): BudgetRemaining;
}

/** Everything an agent gets for one attempt at one task. */
export interface AgentContext {
  readonly task: AgentTask;
  readonly runId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Fired on timeout, cancellation or shutdown; its `reason` says which. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Seeded from the run seed and the task id: the same run draws the same numbers. */
  readonly random: SeededRandom;
  /** True while `replay` re-executes a recorded run. */
  readonly replaying: boolean;
  /** The OpenTelemetry span of this attempt. */
  readonly trace: { traceId: string; spanId: string };
  /** Results of the tasks named in `dependsOn`. */
  readonly dependencies: ReadonlyMap<string, AgentResult>;
  /** The context store, scoped to the task, redacted and journaled (absent without a store). */
  readonly context?: ContextView;
  readonly budget: BudgetView;
  /**
   * Runs a side effect (sandbox run, file read/write, …) and journals it as `ToolCalled`; in replay the
   * recorded output comes back instead and `run` is never called.
   */
  effect<T>(tool: string, input: unknown, run: () => Promise<T>): Promise<T>;
  /**
   * Calls a model through `invoke` after reserving its budget (estimate: chars/4 + maxTokens tokens);
   * charges the actual usage to the task and all its ancestors and journals `ModelCalled`. Throws
   * {@link AgentFailure} `BudgetExhausted` when the reservation does not fit. In replay the recorded
   * response is returned and `invoke` is never called.
   */
  callModel(request: ModelRequest, invoke: (request: ModelRequest) => Promise<ModelResponse>): Promise<ModelResponse>;
  /**
   * sha-256 (hex) of `text` as the journal records it — after redaction. Use it where an effect's input
   * identifies content (a file written, sources checked): a replay sees file contents only as recorded,
   * redacted, and their digests agree with the recording's, where digests of the raw text would not.
   */
  digest(text: string): string;
}

/** An agent: a name, what it can do, and a handler. */
export interface Agent {
  readonly name: string;
  readonly version?: string;
  readonly capabilities: readonly string[];
  /** The model the agent uses, recorded in the run manifest (addition to the contract). */
  readonly model?: { id: string; params?: Record<string, unknown> };
  /** Throwing here fails the task with `ValidationFailure` (never retried). */
  validatePayload?(payload: unknown): void;
  run(task: AgentTask, ctx: AgentContext): Promise<AgentOutput>;
}

/** Options of an {@link AgentFailure}. */
export interface AgentFailureOptions {
  retryable?: boolean;
  details?: Record<string, unknown>;
  partial?: { artifacts?: Artifact[] };
  cause?: unknown;
}

/**
 * The error an agent throws to fail a task with a specific code. Only `retryable: true` failures are
 * retried.
 */
export class AgentFailure extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly partial: { artifacts?: Artifact[] } | undefined;

  constructor(code: ErrorCode, message: string, options: AgentFailureOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AgentFailure";
    this.code = code;
    this.retryable = options.retryable === true;
    this.details = options.details;
    this.partial = options.partial;
  }
}
