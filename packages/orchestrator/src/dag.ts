import type { AgentTask } from "@vltair/envelopes";
import { OrchestratorError } from "./orchestrator-error.js";

/**
 * Orders a batch of tasks so every task comes after the batch members it depends on (stable: batch order
 * among independent tasks). A dependency must be in the batch or already known to the run. Throws
 * `DependencyCycle` naming the cycle (`a → b → a`), `UnknownDependency` or `DuplicateTask`.
 */
export function orderBatch(tasks: readonly AgentTask[], isKnown: (id: string) => boolean): AgentTask[] {
  if (tasks.length === 1) {
    // One task (every `submit`): nothing to order; only its id and dependencies need checking.
    const t = tasks[0] as AgentTask;
    if (isKnown(t.id)) throw new OrchestratorError("DuplicateTask", `task id "${t.id}" is already used in this run`, { taskId: t.id });
    for (const d of t.dependsOn ?? []) {
      if (d === t.id) throw new OrchestratorError("DependencyCycle", `dependency cycle: ${t.id} → ${t.id}`, { cycle: [t.id, t.id] });
      if (!isKnown(d)) throw new OrchestratorError("UnknownDependency", `task "${t.id}" depends on "${d}", which is neither in this batch nor submitted to the run`, { taskId: t.id, dependency: d });
    }
    return [t];
  }
  const byId = new Map<string, AgentTask>();
  for (const t of tasks) {
    if (byId.has(t.id) || isKnown(t.id)) throw new OrchestratorError("DuplicateTask", `task id "${t.id}" is already used in this run`, { taskId: t.id });
    byId.set(t.id, t);
  }
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    let n = 0;
    for (const d of t.dependsOn ?? []) {
      if (byId.has(d)) {
        n++;
        const list = dependents.get(d);
        if (list) list.push(t.id);
        else dependents.set(d, [t.id]);
      } else if (!isKnown(d)) {
        throw new OrchestratorError("UnknownDependency", `task "${t.id}" depends on "${d}", which is neither in this batch nor submitted to the run`, { taskId: t.id, dependency: d });
      }
    }
    indegree.set(t.id, n);
  }
  const out: AgentTask[] = [];
  // Ready tasks are emitted in batch order: a FIFO over batch positions.
  const ready: AgentTask[] = tasks.filter((t) => indegree.get(t.id) === 0);
  for (let i = 0; i < ready.length; i++) {
    const t = ready[i]!;
    out.push(t);
    for (const d of dependents.get(t.id) ?? []) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) ready.push(byId.get(d)!);
    }
  }
  if (out.length < tasks.length) {
    const cycle = findCycle(tasks.filter((t) => indegree.get(t.id)! > 0), byId);
    throw new OrchestratorError("DependencyCycle", `dependency cycle: ${cycle.join(" → ")}`, { cycle });
  }
  return out;
}

function findCycle(remaining: AgentTask[], byId: Map<string, AgentTask>): string[] {
  const state = new Map<string, 1 | 2>(); // 1 = on the DFS stack, 2 = done
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const d of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(d)) continue;
      if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (state.get(d) === undefined) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const t of remaining) {
    if (state.get(t.id) === undefined) {
      const c = visit(t.id);
      if (c) return c;
    }
  }
  return remaining.map((t) => t.id); // unreachable: Kahn left nodes only when a cycle exists
}
