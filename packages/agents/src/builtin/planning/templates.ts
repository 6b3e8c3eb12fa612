/**
 * The Planning agent's offline plans: the two workflow templates, and how a goal's keywords choose one.
 */
import type { PlanningPayload } from "@vltair/envelopes";

/** A template name, as `PlanningPayload.template` allows it. */
export type PlanTemplateName = NonNullable<PlanningPayload["template"]>;

/** The agents a plan step may use (never `planning` itself: a plan does not plan again). */
export type PlanStepAgent = "codegen" | "static-analysis" | "testgen" | "testexec" | "debug";

/** Every agent a step may name, sorted. */
export const PLAN_STEP_AGENTS: readonly PlanStepAgent[] = Object.freeze(["codegen", "debug", "static-analysis", "testexec", "testgen"]);

/** One step of a plan, before it becomes a task. */
export interface PlanStep {
  readonly agent: PlanStepAgent;
  /** The step's payload without `workspace` (the planning payload's workspace is added). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** 1-based numbers of the steps this one waits for. */
  readonly dependsOn: readonly number[];
  /** What the step is for, for the plan's description. */
  readonly purpose: string;
}

/** Every template name, sorted. */
export const PLAN_TEMPLATES: readonly PlanTemplateName[] = Object.freeze(["feature-add", "fix-failing-test"]);

/** The steps of a template for a goal. */
export function templateSteps(name: PlanTemplateName, goal: string): PlanStep[] {
  if (name === "feature-add") {
    return [
      { agent: "codegen", payload: { instructions: goal }, dependsOn: [], purpose: "make the change (instructions need a model on the codegen agent)" },
      { agent: "static-analysis", payload: {}, dependsOn: [1], purpose: "check the changed workspace (findings never fail the step)" },
      { agent: "testgen", payload: {}, dependsOn: [2], purpose: "generate tests from the modules' @example blocks" },
      { agent: "testexec", payload: {}, dependsOn: [3], purpose: "run the whole suite" },
    ];
  }
  // Step 2 deliberately does NOT wait for step 1: step 1 reproduces the failure, so it fails with
  // TestFailure, and the orchestrator fails every dependent of a failed task with DependencyFailed.
  return [
    { agent: "testexec", payload: {}, dependsOn: [], purpose: "reproduce the failure (expected to fail with TestFailure)" },
    { agent: "debug", payload: {}, dependsOn: [], purpose: "localise the fault and propose a verified patch (runs the tests itself)" },
    { agent: "codegen", payload: { fromDependencies: true }, dependsOn: [2], purpose: "apply the debug patch to the workspace" },
    { agent: "testexec", payload: {}, dependsOn: [3], purpose: "confirm the suite passes" },
  ];
}

// Checked in this order: a goal such as "fix the failing add test" names both kinds of words.
const KEYWORDS: readonly (readonly [PlanTemplateName, RegExp])[] = [
  ["fix-failing-test", /\b(fix|fixes|fixing|failing|fails|failure|bug|bugs|broken)\b/i],
  ["feature-add", /\b(add|adds|adding|implement|implements|feature|create|creates)\b/i],
];

/** The template a goal's keywords select, with the keyword that did; `undefined` when none matches. */
export function templateForGoal(goal: string): { template: PlanTemplateName; keyword: string } | undefined {
  for (const [template, pattern] of KEYWORDS) {
    const match = pattern.exec(goal);
    if (match !== null) return { template, keyword: (match[1] as string).toLowerCase() };
  }
  return undefined;
}
