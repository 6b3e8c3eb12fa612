import type { AgentTask, TestResultArtifact } from "@vltair/envelopes";
import type { TaskOutcome } from "@vltair/orchestrator";
import type { WorkflowOutcome, WorkflowStep } from "./workflow-types.js";

/** A finished task as a workflow step with a one-line summary. */
export function toStep(task: AgentTask, outcome: TaskOutcome): WorkflowStep {
  return { taskId: task.id, agent: task.agent, ok: outcome.type === "AgentResult", summary: summarize(outcome), envelope: outcome };
}

function summarize(outcome: TaskOutcome): string {
  if (outcome.type === "AgentError") return `${outcome.error.code}: ${outcome.error.message}`;
  const artifacts = outcome.payload.artifacts ?? [];
  const tests = artifacts.filter((a): a is TestResultArtifact => a.kind === "test_result");
  if (tests.length > 0) return `${tests.filter((t) => t.status === "pass").length} of ${tests.length} tests passed`;
  const patched = artifacts.flatMap((a) => (a.kind === "patch" ? [a.target] : []));
  if (patched.length > 0) return `patched ${patched.join(", ")}`;
  const text = artifacts.find((a) => a.kind === "text");
  return text?.kind === "text" ? text.title : `${artifacts.length} artifacts`;
}

/** Names of the failing tests in a TestExec result or `TestFailure` error, sorted. */
export function failingTests(outcome: TaskOutcome): string[] {
  const artifacts = outcome.type === "AgentError" ? (outcome.partial?.artifacts ?? []) : (outcome.payload.artifacts ?? []);
  return artifacts
    .filter((a): a is TestResultArtifact => a.kind === "test_result" && a.status !== "pass" && a.status !== "skipped")
    .map((a) => a.test_name)
    .sort();
}

/** The unified diff a CodeGen or TestGen result applied (its delta), if any. */
export function appliedDiff(outcome: TaskOutcome): string | undefined {
  return outcome.type === "AgentResult" ? outcome.payload.delta?.diff : undefined;
}

/** The diffs a workflow applied, in order; builds the outcome that carries them. */
export class Patches {
  readonly #diffs: string[] = [];

  add(diff: string | undefined): void {
    if (diff) this.#diffs.push(diff);
  }

  outcome(status: WorkflowOutcome["status"], reason: string, iterations: number): WorkflowOutcome {
    const outcome: WorkflowOutcome = { status, reason, iterations };
    if (this.#diffs.length > 0) outcome.patch = this.#diffs.join("\n");
    return outcome;
  }
}
