import type { Agent } from "@vltair/orchestrator";
import { builtinAgents, loadPlugins, modelFromEnv, WORKFLOW_NAMES, type ModelProvider, type WorkflowManifest, type WorkflowName } from "@vltair/agents";
import type { RunEvent } from "@vltair/envelopes";

/** A run manifest as the orchestrator records it: its own fields plus the caller's under `extra`. */
interface RecordedManifest {
  agents?: { name: string; model?: { id: string; params?: Record<string, unknown> } }[];
  extra?: Partial<WorkflowManifest>;
}

/** The manifest of a run's `RunStarted` event. */
export function runManifest(events: readonly RunEvent[]): RecordedManifest {
  const started = events.find((e) => e.type === "RunStarted");
  return (started?.type === "RunStarted" ? started.manifest : {});
}

/** The workflow a run drove, with what it needs to be driven again, or undefined for other runs. */
export function recordedWorkflow(events: readonly RunEvent[]): (WorkflowManifest & { workflow: WorkflowName }) | undefined {
  const extra = runManifest(events).extra;
  if (!extra?.workflow || !(WORKFLOW_NAMES as readonly string[]).includes(extra.workflow) || !extra.workspace) return undefined;
  return extra as WorkflowManifest & { workflow: WorkflowName };
}

/**
 * Stands in for the model a recorded run used when none is configured now: in a replay every model call
 * is answered from the journal, so `chat` is never reached — if it is, the replay has diverged.
 */
class JournalOnlyModel implements ModelProvider {
  constructor(readonly id: string) {}

  chat(): never {
    throw new Error(`model ${this.id} is not configured; in a replay its answers come from the journal only`);
  }
}

/**
 * The agents a replay re-executes: the built-ins and the project's plugins, with a model exactly when
 * the recorded run had one (the configured provider, or a journal-only stand-in), so each agent takes the
 * same path it took.
 */
export async function replayAgents(events: readonly RunEvent[], env: Record<string, string | undefined>, cwd: string): Promise<Agent[]> {
  const recordedModel = runManifest(events).agents?.find((a) => a.model)?.model;
  const model = recordedModel ? (modelFromEnv(env) ?? new JournalOnlyModel(recordedModel.id)) : undefined;
  const plugins = await loadPlugins({ cwd });
  return [...builtinAgents(model ? { model } : {}), ...plugins.agents];
}
