/**
 * `PlanningAgent` (`planning`): turns a goal into a DAG of built-in agent tasks, returned as `newTasks`
 * (the orchestrator runs them as children) plus a `text` artifact describing the plan. Offline it uses a
 * template; with a model it asks for a JSON plan and falls back to the template when the plan is invalid.
 */
import type { AgentTask, PlanningPayload } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import { AgentFailure, type AgentOutput } from "@vltair/orchestrator";
import type { AgentKitContext } from "../../sdk/agent-kit-context.js";
import { defineAgent, type DefinedAgent } from "../../sdk/define-agent.js";
import type { BuiltinAgentOptions } from "../options.js";
import { PLAN_TEMPLATES, templateForGoal, templateSteps, type PlanStep } from "./templates.js";
import { readModelPlan } from "./model.js";
import { describePlan, planTasks, type PlanSource } from "./plan.js";

/** Payloads of model steps are validated with this workspace when the planning payload has none. */
const PLACEHOLDER_WORKSPACE = ".";

/** The template named by the payload, else by the goal's keywords; `undefined` when neither names one. */
function chooseTemplate(payload: PlanningPayload): Extract<PlanSource, { kind: "template" }> | undefined {
  if (payload.template !== undefined) return { kind: "template", template: payload.template, reason: "requested" };
  const byGoal = templateForGoal(payload.goal);
  return byGoal === undefined ? undefined : { kind: "template", template: byGoal.template, reason: `the goal says "${byGoal.keyword}"` };
}

function noTemplate(goal: string, modelIssues: readonly string[] | undefined): AgentFailure {
  const model = modelIssues === undefined ? "" : `; the model's plan was rejected: ${modelIssues.join("; ")}`;
  return new AgentFailure(
    "ValidationFailure",
    `planning: no plan for the goal ${JSON.stringify(goal)}: name a template (${PLAN_TEMPLATES.join(", ")}) or use its keywords (fix/failing/bug/broken → fix-failing-test; add/implement/feature/create → feature-add)${model}`,
    { details: { templates: [...PLAN_TEMPLATES] } },
  );
}

/** Asks the model for a plan; returns the checked steps or the reasons they were rejected. */
async function askModel(ctx: AgentKitContext<PlanningPayload>): Promise<{ steps: PlanStep[] } | { issues: string[] }> {
  const model = ctx.model;
  /* v8 ignore next -- the caller checks for a model */
  if (model === undefined) return { issues: ["no model"] };
  const prompt = ctx.prompts.load("planning");
  const templates = PLAN_TEMPLATES.map((t) => `- ${t}: ${templateSteps(t, ctx.payload.goal).map((s) => s.agent).join(" → ")}`).join("\n");
  const answer = await model.chat(prompt.render({ goal: ctx.payload.goal, templates }), { promptId: prompt.id });
  const plan = readModelPlan(answer.content, ctx.payload.workspace ?? PLACEHOLDER_WORKSPACE);
  return plan.ok ? { steps: plan.steps } : { issues: plan.issues };
}

async function runPlanning(task: AgentTask, ctx: AgentKitContext<PlanningPayload>): Promise<AgentOutput> {
  const { goal, workspace } = ctx.payload;
  const template = chooseTemplate(ctx.payload);
  let steps: PlanStep[];
  let source: PlanSource;
  let note = "";
  if (ctx.model !== undefined && ctx.payload.template === undefined) {
    const fromModel = await askModel(ctx);
    if ("steps" in fromModel) {
      steps = fromModel.steps;
      source = { kind: "model", model: ctx.model.modelId };
    } else {
      if (template === undefined) throw noTemplate(goal, fromModel.issues);
      steps = templateSteps(template.template, goal);
      source = template;
      note = `\nthe model's plan was rejected, so the template is used instead: ${fromModel.issues.join("; ")}`;
    }
  } else {
    if (template === undefined) throw noTemplate(goal, undefined);
    steps = templateSteps(template.template, goal);
    source = template;
  }
  const title = source.kind === "model" ? "plan: model" : `plan: ${source.template}`;
  const content = describePlan(task, goal, steps, source, workspace) + note;
  const artifacts = [{ kind: "text" as const, title, content }];
  if (workspace === undefined) return { payload: { artifacts } };
  return { payload: { artifacts, newTasks: planTasks(task, steps, workspace) } };
}

/**
 * Creates the `planning` agent (capability `plan`). The plan's steps become child tasks
 * `<taskId>/<n>-<agent>` of the planning task, wired with `dependsOn`; without a `workspace` the plan is
 * only described. With the `fix-failing-test` template, step 1 reproduces the failure and fails with
 * `TestFailure` by design, so the planning task ends as `DependencyFailed` with `failedChildren` naming
 * exactly that step when the fix worked (see the plan's text artifact).
 *
 * @example
 * ```ts
 * orchestrator.register(createPlanningAgent());
 * await orchestrator.submit(createTask({ agent: "planning", payload: { goal: "fix the failing test", workspace: "examples/fix-me" } }));
 * ```
 */
export function createPlanningAgent(options: BuiltinAgentOptions = {}): DefinedAgent<PlanningPayload> {
  return defineAgent<PlanningPayload>({
    name: "planning",
    version: "1.0.0",
    capabilities: ["plan"],
    payloadSchema: (payload) => validatePayload("planning", payload),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.prompts === undefined ? {} : { prompts: options.prompts }),
    run: runPlanning,
  });
}
