import type { AgentError, AgentResult, AgentTask, RunEvent } from "@vltair/envelopes";

/** Where a recorded task got to. `succeeded` is the handler's own success; see {@link treeOutcome}. */
export type RecordedPhase = "submitted" | "running" | "retrying" | "succeeded" | "failed" | "cancelled";

/** One task as the journal tells it. */
export interface RecordedTask {
  task: AgentTask;
  /** The run task that spawned it through `newTasks`, if any. */
  parentId: string | undefined;
  phase: RecordedPhase;
  /** Attempts started. */
  attempts: number;
  result?: AgentResult;
  error?: AgentError;
  /** Children spawned through `newTasks`, in submission order. */
  children: string[];
  /** True when it succeeded without ever starting (an idempotency hit). */
  reused: boolean;
}

/** A run rebuilt from its events: the single source of truth for resume, replay and idempotency. */
export interface RunState {
  runId: string;
  manifest: Record<string, unknown> | undefined;
  finished: "succeeded" | "failed" | "cancelled" | undefined;
  /** Tasks in submission order. */
  tasks: Map<string, RecordedTask>;
  /** Tasks submitted by the caller (not spawned), in submission order. */
  roots: AgentTask[];
  /** Model usage charged per task. */
  usage: Map<string, { tokens: number; costUsd: number }>;
  lastSeq: number;
}

/** Folds `events` (in sequence order) into a {@link RunState}. */
export function buildRunState(runId: string, events: readonly RunEvent[]): RunState {
  const state: RunState = { runId, manifest: undefined, finished: undefined, tasks: new Map(), roots: [], usage: new Map(), lastSeq: -1 };
  for (const e of events) {
    state.lastSeq = e.seq;
    switch (e.type) {
      case "RunStarted":
        state.manifest = e.manifest;
        break;
      case "RunFinished":
        state.finished = e.status;
        break;
      case "TaskSubmitted": {
        const parentId = e.task.parentId !== undefined && state.tasks.has(e.task.parentId) ? e.task.parentId : undefined;
        state.tasks.set(e.taskId, { task: e.task, parentId, phase: "submitted", attempts: 0, children: [], reused: false });
        if (parentId) state.tasks.get(parentId)!.children.push(e.taskId);
        else state.roots.push(e.task);
        break;
      }
      case "TaskStarted":
        withTask(state, e.taskId, (t) => {
          t.phase = "running";
          t.attempts = e.attempt;
        });
        break;
      case "TaskRetried":
        withTask(state, e.taskId, (t) => (t.phase = "retrying"));
        break;
      case "TaskSucceeded":
        withTask(state, e.taskId, (t) => {
          t.reused = t.attempts === 0;
          t.phase = "succeeded";
          t.result = e.result;
        });
        break;
      case "TaskFailed":
        withTask(state, e.taskId, (t) => {
          t.phase = "failed";
          t.error = e.error;
        });
        break;
      case "TaskCancelled":
        withTask(state, e.taskId, (t) => (t.phase = "cancelled"));
        break;
      case "ModelCalled": {
        const u = state.usage.get(e.taskId) ?? { tokens: 0, costUsd: 0 };
        u.tokens += e.usage.promptTokens + e.usage.completionTokens;
        u.costUsd += e.costUsd ?? 0;
        state.usage.set(e.taskId, u);
        break;
      }
      default:
        break;
    }
  }
  return state;
}

function withTask(state: RunState, id: string | undefined, f: (t: RecordedTask) => void): void {
  const t = id === undefined ? undefined : state.tasks.get(id);
  if (t) f(t);
}

/**
 * The outcome of a task with its whole subtree: `succeeded` only when it and every descendant succeeded,
 * `failed`/`cancelled` when it ended so, `undefined` while anything is still open.
 */
export function treeOutcome(state: RunState, id: string): "succeeded" | "failed" | "cancelled" | undefined {
  const t = state.tasks.get(id);
  if (!t) return undefined;
  if (t.phase === "failed" || t.phase === "cancelled") return t.phase;
  if (t.phase !== "succeeded") return undefined;
  const spawned = t.result?.payload.newTasks?.length ?? 0;
  if (t.children.length < spawned) return undefined;
  for (const c of t.children) if (treeOutcome(state, c) !== "succeeded") return undefined;
  return "succeeded";
}
