import type { RunEvent } from "@vltair/envelopes";

/** One line of a run's timeline. */
export interface TimelineEntry {
  seq: number;
  /** Milliseconds since the run started. */
  atMs: number;
  type: string;
  taskId?: string;
  text: string;
}

/** A run's journal as a readable timeline: one entry per event, times relative to the run's start. */
export function timeline(events: readonly RunEvent[]): TimelineEntry[] {
  const start = events[0]?.time ?? 0;
  return events.map((event) => {
    const entry: TimelineEntry = { seq: event.seq, atMs: event.time - start, type: event.type, text: describe(event) };
    if ("taskId" in event && typeof event.taskId === "string") entry.taskId = event.taskId;
    return entry;
  });
}

/** The timeline as text, e.g. `+  1.204s  #12  TaskSucceeded  run-1/debug-1  patched src/money.js`. */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries
    .map((e) => `+${(e.atMs / 1000).toFixed(3).padStart(8)}s  #${String(e.seq).padEnd(4)} ${e.type.padEnd(16)} ${e.taskId ?? ""}${e.text ? `  ${e.text}` : ""}`)
    .join("\n");
}

function describe(event: RunEvent): string {
  switch (event.type) {
    case "RunStarted":
      {
      const workflow = (event.manifest as { extra?: { workflow?: unknown } }).extra?.workflow;
      return `workflow ${typeof workflow === "string" ? workflow : "-"}`;
    }
    case "RunFinished":
      return event.status;
    case "TaskSubmitted":
      return `agent ${event.task.agent || "(router)"}${event.task.dependsOn?.length ? ` after ${event.task.dependsOn.join(", ")}` : ""}`;
    case "TaskStarted":
      return `${event.agent}, attempt ${event.attempt}`;
    case "TaskRetried":
      return `attempt ${event.attempt} in ${event.delayMs} ms: ${event.error.code}`;
    case "TaskSucceeded": {
      const artifacts = event.result.payload.artifacts ?? [];
      const kinds = new Map<string, number>();
      for (const a of artifacts) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
      return [...kinds].map(([k, n]) => `${n} ${k}`).join(", ") || "done";
    }
    case "TaskFailed":
      return `${event.error.error.code}: ${event.error.error.message}`;
    case "TaskCancelled":
      return event.reason;
    case "TaskDeadLettered":
      return `dead-lettered: ${event.error.error.code}`;
    case "BudgetExhausted":
      return `${event.budget} ${event.used}/${event.limit}`;
    case "ContextWritten":
      return `${event.kind} ${event.key} v${event.version}${event.applied ? "" : " (no-op)"}`;
    case "ModelCalled":
      return `${event.model}: ${event.usage.promptTokens}+${event.usage.completionTokens} tokens`;
    case "ToolCalled":
      return event.tool;
    default:
      return "";
  }
}
