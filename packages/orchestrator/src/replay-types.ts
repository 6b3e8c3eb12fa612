/** The shapes of deterministic replay, apart from its logic (`replay.ts`) and from the class it drives. */
import type { AgentResult, RunEvent } from "@vltair/envelopes";
import type { Agent } from "./agent.js";
import type { EventBody } from "./event-log.js";
import type { FinishOptions, Run, StartRunOptions } from "./orchestrator-types.js";
import type { Redactor } from "./redaction.js";
import type { ReplaySource } from "./replay-source.js";
import type { RetryPolicy } from "./retry-policy.js";

/** Options of `replay`. */
export interface ReplayOptions {
  /**
   * Agents to re-execute (their `ctx.effect`/`ctx.callModel` get the recorded outputs). Omitted: a
   * structural replay that feeds each attempt's recorded calls and outcome back through the scheduler.
   */
  agents?: readonly Agent[];
  /**
   * The caller's loop for runs it drove (submit, inspect, submit more): called with the replaying run.
   * Omitted: the recorded root submissions are re-submitted in order, each after the roots it waited for.
   */
  drive?: (run: Run) => Promise<void | FinishOptions>;
}

/** The first recorded event the replay did not reproduce. */
export interface ReplayDivergence {
  /** Sequence number of the recorded event (or of the produced one when the recording has none). */
  seq: number;
  taskId: string | undefined;
  /** Event type expected (or produced, when unexpected). */
  kind: string;
  /** The recorded event (without `time`), or null. */
  expected: unknown;
  /** The event the replay produced in its place (without `time`), or null. */
  actual: unknown;
}

/** What `replay` found. */
export interface ReplayReport {
  runId: string;
  identical: boolean;
  /** Recorded events compared. */
  steps: number;
  divergence?: ReplayDivergence;
}

/** @internal Settings of the original orchestrator the replay mirrors. */
export interface ReplaySettings extends ReplayOptions {
  redactor: Redactor;
  concurrency: number;
  perAgentConcurrency: number;
  retry: RetryPolicy;
  maxDepth: number;
}

/** @internal Hooks `replay` uses to drive a replaying orchestrator. */
export const replayHooks: unique symbol = Symbol("vltair.replay");

/** @internal */
export interface ReplayHooks {
  source: ReplaySource;
  seedIdempotency: [string, AgentResult][];
  /** Filled in by the orchestrator: journals an event on an open run. */
  journal?: (runId: string, body: EventBody) => Promise<unknown>;
}

/** @internal The part of a scratch `Orchestrator` a replay drives. */
export interface ReplayHost {
  on(listener: (event: RunEvent) => void): () => void;
  register(agent: Agent): void;
  startRun(options?: StartRunOptions): Promise<Run>;
  close(): Promise<void>;
}
