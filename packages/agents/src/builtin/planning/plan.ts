/**
 * A chosen plan as the Planning agent emits it: child `AgentTask`s with deterministic ids and the text
 * that describes the plan and what its outcome will mean.
 */
import type { AgentTask } from "@vltair/envelopes";
import { AgentFailure } from "@vltair/orchestrator";
import type { PlanStep, PlanTemplateName } from "./templates.js";

/** Where a plan came from, for its description. */
export type PlanSource =
  | { readonly kind: "template"; readonly template: PlanTemplateName; readonly reason: string }
  | { readonly kind: "model"; readonly model: string };

/** The longest task id the envelopes allow. */
const MAX_ID_LENGTH = 256;

/** The id of step `n` of the plan made by task `parentId`: `<parentId>/<n>-<agent>`. */
export function stepTaskId(parentId: string, n: number, step: Pick<PlanStep, "agent">): string {
  return `${parentId}/${n}-${step.agent}`;
}

/**
 * The steps as child tasks of `parent`: ids `<parent.id>/<n>-<agent>`, `parentId` = the planning task,
 * `dependsOn` mapped to those ids, and `workspace` added to every payload.
 *
 * @throws AgentFailure `ValidationFailure` when the parent id is too long to derive child ids from.
 */
export function planTasks(parent: AgentTask, steps: readonly PlanStep[], workspace: string): AgentTask[] {
  const ids = steps.map((s, i) => stepTaskId(parent.id, i + 1, s));
  const tooLong = ids.find((id) => id.length > MAX_ID_LENGTH);
  if (tooLong !== undefined) {
    throw new AgentFailure("ValidationFailure", `planning: the task id is too long to derive step ids from (${tooLong.length} > ${MAX_ID_LENGTH} characters)`);
  }
  return steps.map((step, i) => {
    const task: AgentTask = { type: "AgentTask", id: ids[i] as string, agent: step.agent, parentId: parent.id, payload: { workspace, ...step.payload } };
    if (step.dependsOn.length > 0) task.dependsOn = step.dependsOn.map((n) => ids[n - 1] as string);
    return task;
  });
}

function sourceLine(source: PlanSource): string {
  return source.kind === "model" ? `source: model ${source.model}` : `source: template ${source.template} (${source.reason})`;
}

/** What the planning task's final outcome will mean, so a reader of the result knows how to judge it. */
function outcomeLines(parentId: string, steps: readonly PlanStep[], source: PlanSource): string[] {
  const lines = [
    `outcome: this planning task completes when its ${steps.length} subtasks do; if any subtask fails, the orchestrator fails it with DependencyFailed and lists them in error.details.failedChildren (subtasks after a failed one fail with DependencyFailed too).`,
  ];
  if (source.kind === "template" && source.template === "fix-failing-test") {
    const reproduce = stepTaskId(parentId, 1, { agent: "testexec" });
    const confirm = stepTaskId(parentId, 4, { agent: "testexec" });
    lines.push(
      `fix-failing-test: step 1 (${reproduce}) reproduces the failure and is expected to fail with TestFailure, so this task ends as DependencyFailed even when the fix works.`,
      `The fix worked when failedChildren is exactly [${reproduce}] (${confirm} passed); any other failed child means it did not.`,
    );
  }
  return lines;
}

/** The plan as text: goal, source, one line per step (id, agent, waits-for, purpose) and the outcome's meaning. */
export function describePlan(parent: AgentTask, goal: string, steps: readonly PlanStep[], source: PlanSource, workspace: string | undefined): string {
  const lines = [`goal: ${goal}`, sourceLine(source), `workspace: ${workspace ?? "(none: the plan is described, not scheduled)"}`, "steps:"];
  steps.forEach((step, i) => {
    const after = step.dependsOn.length === 0 ? "starts at once" : `after ${step.dependsOn.map((n) => stepTaskId(parent.id, n, steps[n - 1] as PlanStep)).join(", ")}`;
    const extra = Object.keys(step.payload).length === 0 ? "" : ` ${JSON.stringify(step.payload)}`;
    lines.push(`  ${i + 1}. ${stepTaskId(parent.id, i + 1, step)} (${step.agent}${extra}) ${after}: ${step.purpose || "(no purpose given)"}`);
  });
  if (workspace !== undefined) lines.push(...outcomeLines(parent.id, steps, source));
  return lines.join("\n");
}
