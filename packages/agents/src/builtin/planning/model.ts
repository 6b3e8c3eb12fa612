/**
 * The model path of Planning: read a JSON plan out of the model's answer and check it (known agents,
 * step references, no cycles, payloads valid for their agent) before anything is scheduled.
 */
import { EnvelopeValidationError, validatePayload } from "@vltair/envelopes";
import { PLAN_STEP_AGENTS, type PlanStep, type PlanStepAgent } from "./templates.js";

/** At most this many steps in a model plan. */
export const MAX_PLAN_STEPS = 12;

/** A model plan: its steps, or every reason it was rejected. */
export type ModelPlan = { readonly ok: true; readonly steps: PlanStep[] } | { readonly ok: false; readonly issues: string[] };

const FENCED_JSON = /```(?:json)?[^\n]*\n([\s\S]*?)```/;

function isStepAgent(value: unknown): value is PlanStepAgent {
  return typeof value === "string" && (PLAN_STEP_AGENTS as readonly string[]).includes(value);
}

/** The first cycle among the steps' `dependsOn` (1-based numbers, `a → b → a`), if any. */
export function findStepCycle(steps: readonly { dependsOn: readonly number[] }[]): number[] | undefined {
  const state = new Map<number, "open" | "done">();
  const stack: number[] = [];
  const visit = (n: number): number[] | undefined => {
    state.set(n, "open");
    stack.push(n);
    for (const d of steps[n - 1]?.dependsOn ?? []) {
      if (state.get(d) === "open") return [...stack.slice(stack.indexOf(d)), d];
      if (state.get(d) === undefined) {
        const cycle = visit(d);
        if (cycle !== undefined) return cycle;
      }
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (let n = 1; n <= steps.length; n += 1) {
    if (state.get(n) !== undefined) continue;
    const cycle = visit(n);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

function readStep(raw: unknown, n: number, count: number, workspace: string, issues: string[]): PlanStep | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    issues.push(`step ${n}: not an object`);
    return undefined;
  }
  const { agent, payload = {}, dependsOn = [], purpose = "" } = raw as Record<string, unknown>;
  const before = issues.length;
  if (!isStepAgent(agent)) issues.push(`step ${n}: unknown agent ${JSON.stringify(agent)} (known: ${PLAN_STEP_AGENTS.join(", ")})`);
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) issues.push(`step ${n}: payload must be an object`);
  const deps = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  for (const d of deps) {
    if (!Number.isInteger(d) || (d as number) < 1 || (d as number) > count || d === n) {
      issues.push(`step ${n}: dependsOn ${JSON.stringify(d)} is not another step's number (1..${count})`);
    }
  }
  if (issues.length > before || !isStepAgent(agent)) return undefined;
  const own = { ...(payload as Record<string, unknown>) };
  delete own["workspace"]; // the plan's workspace wins: a model must not move work elsewhere
  try {
    validatePayload(agent, { ...own, workspace });
  } catch (error) {
    if (!(error instanceof EnvelopeValidationError)) throw error;
    issues.push(...error.issues.map((i) => `step ${n} (${agent}): payload${i.pointer} ${i.message}`));
    return undefined;
  }
  return { agent, payload: own, dependsOn: [...new Set(deps as number[])].sort((a, b) => a - b), purpose: typeof purpose === "string" ? purpose : "" };
}

/**
 * Reads `{ "steps": [{ "agent", "payload", "dependsOn": [1-based step numbers], "purpose" }] }` (bare or in
 * a ```json block) and checks it against the built-in agents' payload schemas, with `workspace` set.
 */
export function readModelPlan(answer: string, workspace: string): ModelPlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(FENCED_JSON.exec(answer)?.[1] ?? answer);
  } catch (error) {
    return { ok: false, issues: [`the answer is not JSON: ${(error as Error).message}`] };
  }
  const steps = (parsed as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > MAX_PLAN_STEPS) {
    return { ok: false, issues: [`"steps" must be an array of 1 to ${MAX_PLAN_STEPS} steps`] };
  }
  const issues: string[] = [];
  const read = steps.map((raw, i) => readStep(raw, i + 1, steps.length, workspace, issues));
  if (issues.length > 0) return { ok: false, issues };
  const plan = read as PlanStep[];
  const cycle = findStepCycle(plan);
  if (cycle !== undefined) return { ok: false, issues: [`dependency cycle between steps ${cycle.join(" → ")}`] };
  return { ok: true, steps: plan };
}
