import type { RunEvent } from "@vltair/envelopes";

/** A run as the journal tells it: what finished, what was in flight when the journal ends. */
export interface RunSummary {
  runId: string;
  /** `unfinished`: no RunFinished yet (running now, or interrupted — `vltair resume` tells which). */
  status: "succeeded" | "failed" | "cancelled" | "unfinished";
  workflow?: string;
  tasks: { queued: number; running: number; succeeded: number; failed: number; cancelled: number };
  events: number;
  startedAt?: number;
  finishedAt?: number;
}

/** Folds a run's events into its summary. */
export function summarizeRun(runId: string, events: readonly RunEvent[]): RunSummary {
  const state = new Map<string, "queued" | "running" | "succeeded" | "failed" | "cancelled">();
  let status: RunSummary["status"] = "unfinished";
  let workflow: string | undefined;
  for (const e of events) {
    switch (e.type) {
      case "RunStarted": {
        const w = (e.manifest as { extra?: { workflow?: unknown } }).extra?.workflow;
        if (typeof w === "string") workflow = w;
        break;
      }
      case "RunFinished":
        status = e.status;
        break;
      case "TaskSubmitted":
        state.set(e.taskId, "queued");
        break;
      case "TaskStarted":
        state.set(e.taskId, "running");
        break;
      case "TaskRetried":
        state.set(e.taskId, "queued");
        break;
      case "TaskSucceeded":
        state.set(e.taskId, "succeeded");
        break;
      case "TaskFailed":
        state.set(e.taskId, "failed");
        break;
      case "TaskCancelled":
        state.set(e.taskId, "cancelled");
        break;
      default:
        break;
    }
  }
  const tasks = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const s of state.values()) tasks[s]++;
  const summary: RunSummary = { runId, status, tasks, events: events.length };
  if (workflow !== undefined) summary.workflow = workflow;
  if (events.length > 0) {
    summary.startedAt = events[0]!.time;
    if (status !== "unfinished") summary.finishedAt = events[events.length - 1]!.time;
  }
  return summary;
}
