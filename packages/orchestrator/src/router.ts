import type { AgentTask } from "@vltair/envelopes";
import type { Agent } from "./agent.js";
import type { Registry } from "./registry.js";

/** Where a task goes: an agent with a free slot, nowhere yet (all candidates busy), or nowhere at all. */
export type RouteDecision =
  | { kind: "agent"; agent: Agent }
  | { kind: "busy"; agents: string[] }
  | { kind: "unavailable"; message: string };

/**
 * Picks the agent for a task. A named agent must be registered here and healthy; `agent: ""` chooses among
 * healthy agents whose capabilities cover the task's, idle first, then least loaded, ties by name.
 */
export function route(task: AgentTask, registry: Registry, perAgentConcurrency: number): RouteDecision {
  if (task.agent !== "") {
    const entry = registry.local(task.agent);
    if (!entry) {
      const why = registry.isRemote(task.agent) ? "is registered as a remote agent with no handler in this process" : "is not registered";
      return { kind: "unavailable", message: `agent "${task.agent}" ${why} (task ${task.id})` };
    }
    if (entry.status !== "healthy") return { kind: "unavailable", message: `agent "${task.agent}" is ${entry.status} (task ${task.id})` };
    if (entry.running >= perAgentConcurrency) return { kind: "busy", agents: [task.agent] };
    return { kind: "agent", agent: entry.agent };
  }
  const needed = task.capabilities ?? [];
  const candidates = registry
    .localEntries()
    .filter((e) => e.status === "healthy" && needed.every((c) => e.agent.capabilities.includes(c)));
  if (candidates.length === 0) {
    return { kind: "unavailable", message: `no healthy agent has capabilities [${needed.join(", ")}] (task ${task.id})` };
  }
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) {
    if (c.running >= perAgentConcurrency) continue;
    // Idle beats busy, then lower load; candidates come in name order, so the first of equals wins.
    if (!best || (c.running === 0 && best.running > 0) || c.running < best.running) best = c;
  }
  if (!best) return { kind: "busy", agents: candidates.map((c) => c.agent.name) };
  return { kind: "agent", agent: best.agent };
}
