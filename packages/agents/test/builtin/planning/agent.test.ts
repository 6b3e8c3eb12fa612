import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentError, AgentResult, AgentTask, TextArtifact } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import { AgentFailure, Orchestrator } from "@vltair/orchestrator";
import { afterAll, describe, expect, it } from "vitest";
import { createCodeGenAgent } from "../../../src/builtin/codegen/agent.js";
import { createFileDiff } from "../../../src/patching/patch-create.js";
import { templateForGoal } from "../../../src/builtin/planning/templates.js";
import { createPlanningAgent } from "../../../src/builtin/planning/agent.js";
import { findStepCycle, readModelPlan } from "../../../src/builtin/planning/model.js";
import { createStaticAnalysisAgent } from "../../../src/builtin/static-analysis/agent.js";
import { createTestExecAgent } from "../../../src/builtin/testexec/agent.js";
import { createTestGenAgent } from "../../../src/builtin/testgen/agent.js";
import { defineAgent } from "../../../src/sdk/define-agent.js";
import { MockModel } from "../../../src/model/mock-model.js";

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** What the stand-in agents saw, in the order they ran. */
interface Seen {
  id: string;
  agent: string;
  parentId: string | undefined;
  dependsOn: string[];
  payload: unknown;
  dependencyArtifacts: string[];
}

/**
 * Stand-ins registered under the built-in names: each validates its payload with the real envelope
 * schema and records what it got; `testexec` fails the steps listed in `failing` with TestFailure and
 * `debug` returns a patch, as the real ones do.
 */
function standIns(seen: Seen[], failing: ReadonlySet<string>) {
  const make = (name: "codegen" | "static-analysis" | "testgen" | "testexec" | "debug") =>
    defineAgent({
      name,
      version: "0.0.0-test",
      capabilities: [],
      payloadSchema: (p) => validatePayload(name, p),
      run: async (task, ctx) => {
        const dependencyArtifacts = [...ctx.dependencies.values()].flatMap((r) => (r.payload.artifacts ?? []).map((a) => `${r.parentId}:${a.kind}`));
        seen.push({ id: task.id, agent: name, parentId: task.parentId, dependsOn: task.dependsOn ?? [], payload: task.payload, dependencyArtifacts });
        if (name === "testexec" && failing.has(task.id)) throw new AgentFailure("TestFailure", "1 test failed", { partial: { artifacts: [{ kind: "test_result", test_name: "adds", status: "fail" }] } });
        if (name === "debug") return { payload: { artifacts: [{ kind: "patch", target: "src/math.js", diff: "--- a/src/math.js\n+++ b/src/math.js\n@@ -1 +1 @@\n-a - b\n+a + b\n" }] } };
        return { payload: { artifacts: [{ kind: "text", title: name, content: "ok" }] } };
      },
    });
  return [make("codegen"), make("static-analysis"), make("testgen"), make("testexec"), make("debug")];
}

async function plan(payload: Record<string, unknown>, options: { model?: MockModel; failing?: string[] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "vltair-plan-orch-"));
  temps.push(dir);
  const orchestrator = new Orchestrator({ dir });
  const seen: Seen[] = [];
  orchestrator.register(createPlanningAgent(options.model === undefined ? {} : { model: options.model }));
  for (const agent of standIns(seen, new Set(options.failing ?? []))) orchestrator.register(agent);
  const run = await orchestrator.startRun({ runId: "plan-run" });
  const task: AgentTask = { type: "AgentTask", id: "p", agent: "planning", payload };
  const outcome = await run.submit(task);
  await run.finish();
  const events = await orchestrator.readJournal("plan-run");
  await orchestrator.close();
  const planResult = events.flatMap((e) => (e.type === "TaskSucceeded" && e.taskId === "p" ? [e.result] : []))[0];
  return { outcome, seen, planResult };
}

const text = (r: AgentResult | AgentError | undefined): string => {
  const artifacts = r === undefined ? [] : r.type === "AgentResult" ? (r.payload.artifacts ?? []) : (r.partial?.artifacts ?? []);
  return artifacts.find((a): a is TextArtifact => a.kind === "text" && a.title.startsWith("plan"))?.content ?? "";
};

describe("planning agent in a real Orchestrator", () => {
  it("plans feature-add as codegen → static-analysis → testgen → testexec children that the orchestrator runs", async () => {
    const { outcome, seen, planResult } = await plan({ goal: "Add a subtract function", workspace: "/repo" });
    expect(outcome.type).toBe("AgentResult");
    expect(seen.map((s) => [s.id, s.parentId, s.dependsOn])).toEqual([
      ["p/1-codegen", "p", []],
      ["p/2-static-analysis", "p", ["p/1-codegen"]],
      ["p/3-testgen", "p", ["p/2-static-analysis"]],
      ["p/4-testexec", "p", ["p/3-testgen"]],
    ]);
    expect(seen[0]?.payload).toEqual({ workspace: "/repo", instructions: "Add a subtract function" });
    expect(seen.slice(1).map((s) => s.payload)).toEqual([{ workspace: "/repo" }, { workspace: "/repo" }, { workspace: "/repo" }]);
    expect(planResult?.payload.newTasks?.map((t) => t.id)).toEqual(["p/1-codegen", "p/2-static-analysis", "p/3-testgen", "p/4-testexec"]);
    const description = text(planResult);
    expect(description).toContain('source: template feature-add (the goal says "add")');
    expect(description).toContain("  2. p/2-static-analysis (static-analysis) after p/1-codegen: check the changed workspace");
  });

  it("plans fix-failing-test so the fix still runs after the reproducing step fails, and says how to read the outcome", async () => {
    const { outcome, seen, planResult } = await plan({ goal: "the add test is failing", workspace: "/repo" }, { failing: ["p/1-testexec"] });
    expect(seen.map((s) => s.id)).toEqual(["p/1-testexec", "p/2-debug", "p/3-codegen", "p/4-testexec"]);
    expect(seen[1]?.dependsOn).toEqual([]);
    expect(seen[2]).toMatchObject({ payload: { workspace: "/repo", fromDependencies: true }, dependsOn: ["p/2-debug"], dependencyArtifacts: ["p/2-debug:patch"] });
    expect(outcome).toMatchObject({ type: "AgentError", error: { code: "DependencyFailed", details: { failedChildren: ["p/1-testexec"] } } });
    const description = text(outcome);
    expect(description).toBe(text(planResult));
    expect(description).toContain("The fix worked when failedChildren is exactly [p/1-testexec] (p/4-testexec passed)");
  });

  it("reports a fix that did not work: the confirming step fails too", async () => {
    const { outcome } = await plan({ goal: "fix it", workspace: "/repo", template: "fix-failing-test" }, { failing: ["p/1-testexec", "p/4-testexec"] });
    expect(outcome).toMatchObject({ type: "AgentError", error: { code: "DependencyFailed", details: { failedChildren: ["p/1-testexec", "p/4-testexec"] } } });
  });

  it("chooses by template first, then by keywords, and fails with the template list when nothing fits", async () => {
    expect(templateForGoal("Fix the broken parser")).toEqual({ template: "fix-failing-test", keyword: "fix" });
    expect(templateForGoal("implement caching")).toEqual({ template: "feature-add", keyword: "implement" });
    expect(templateForGoal("fix the failing test we added")?.template).toBe("fix-failing-test");
    expect(templateForGoal("make it faster")).toBeUndefined();
    const requested = await plan({ goal: "make it faster", template: "feature-add" });
    expect(requested.outcome.type).toBe("AgentResult");
    const none = await plan({ goal: "make it faster", workspace: "/repo" });
    expect(none.outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure", details: { templates: ["feature-add", "fix-failing-test"] } } });
    expect((none.outcome as AgentError).error.message).toMatch(/name a template \(feature-add, fix-failing-test\)/);
    expect(none.seen).toEqual([]);
    const bad = await plan({ goal: "" });
    expect(bad.outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure" } });
  });

  it("only describes the plan when there is no workspace", async () => {
    const { outcome, seen } = await plan({ goal: "add a flag" });
    expect(seen).toEqual([]);
    const result = outcome as AgentResult;
    expect(result.payload.newTasks).toBeUndefined();
    expect(text(result)).toContain("workspace: (none: the plan is described, not scheduled)");
    expect(text(result)).not.toContain("outcome:");
  });

  it("schedules a valid model plan, overriding the workspace the model names", async () => {
    const answer = "```json\n" + JSON.stringify({
      steps: [
        { agent: "static-analysis", payload: { rules: ["typescript"], workspace: "/elsewhere" }, purpose: "find type errors" },
        { agent: "codegen", payload: { instructions: "fix them" }, dependsOn: [1] },
      ],
    }) + "\n```";
    const model = new MockModel([answer], { id: "planner-1" });
    const { outcome, seen, planResult } = await plan({ goal: "tidy the types", workspace: "/repo" }, { model });
    expect(outcome.type).toBe("AgentResult");
    expect(model.requests[0]?.messages[0]?.content).toContain("- fix-failing-test: testexec → debug → codegen → testexec");
    expect(seen.map((s) => [s.id, s.payload, s.dependsOn])).toEqual([
      ["p/1-static-analysis", { workspace: "/repo", rules: ["typescript"] }, []],
      ["p/2-codegen", { workspace: "/repo", instructions: "fix them" }, ["p/1-static-analysis"]],
    ]);
    expect(text(planResult)).toContain("source: model planner-1");
    expect(text(planResult)).toContain("  2. p/2-codegen (codegen {\"instructions\":\"fix them\"}) after p/1-static-analysis: (no purpose given)");
  });

  it("falls back to the template on an invalid model plan and says why", async () => {
    const model = new MockModel([JSON.stringify({ steps: [{ agent: "deploy" }, { agent: "testexec", payload: { command: "npm test" } }] })]);
    const { outcome, seen, planResult } = await plan({ goal: "add a flag", workspace: "/repo" }, { model });
    expect(outcome.type).toBe("AgentResult");
    expect(seen.map((s) => s.agent)).toEqual(["codegen", "static-analysis", "testgen", "testexec"]);
    const description = text(planResult);
    expect(description).toContain("the model's plan was rejected, so the template is used instead");
    expect(description).toContain('step 1: unknown agent "deploy"');
    expect(description).toContain("step 2 (testexec): payload/command must be array");
    const hopeless = await plan({ goal: "make it faster", workspace: "/repo" }, { model: new MockModel(["no idea"]) });
    expect((hopeless.outcome as AgentError).error.message).toMatch(/the model's plan was rejected: the answer is not JSON/);
  });

  it("rejects model plans with bad references, cycles or no steps", () => {
    const steps = (s: unknown[]) => JSON.stringify({ steps: s });
    expect(readModelPlan(steps([]), "/r")).toEqual({ ok: false, issues: ['"steps" must be an array of 1 to 12 steps'] });
    expect(readModelPlan(steps([{ agent: "testexec", dependsOn: [1] }]), "/r")).toMatchObject({ ok: false, issues: ["step 1: dependsOn 1 is not another step's number (1..1)"] });
    expect(readModelPlan(steps([{ agent: "testexec", dependsOn: [2] }, { agent: "testgen", dependsOn: 1 }]), "/r")).toEqual({ ok: false, issues: ["dependency cycle between steps 1 → 2 → 1"] });
    expect(readModelPlan(steps(["x", { agent: "debug", payload: [] }]), "/r")).toMatchObject({ ok: false, issues: ["step 1: not an object", "step 2: payload must be an object"] });
    expect(findStepCycle([{ dependsOn: [] }, { dependsOn: [1] }])).toBeUndefined();
  });

  it("derives no step id longer than the envelopes allow", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vltair-plan-orch-"));
    temps.push(dir);
    const orchestrator = new Orchestrator({ dir });
    orchestrator.register(createPlanningAgent());
    const outcome = await orchestrator.submit({ type: "AgentTask", id: "x".repeat(250), agent: "planning", payload: { goal: "add x", workspace: "/repo" } }, { wait: true });
    await orchestrator.close();
    expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure", message: expect.stringMatching(/too long to derive step ids from \(260 > 256/) } });
  });
});

describe("planning with the real built-in agents", () => {
  it("runs feature-add end to end on a temp JS repo: the change, analysis, generated tests and a passing suite", async () => {
    const root = await mkdtemp(join(tmpdir(), "vltair-plan-e2e-"));
    temps.push(root);
    await mkdir(join(root, "src"));
    await writeFile(join(root, "package.json"), '{ "type": "module", "scripts": { "test": "node --test" } }\n');
    const after = "/**\n * @example\n * sub(5, 3) // => 2\n */\nexport function sub(a, b) {\n  return a - b;\n}\n";
    const model = new MockModel(["```diff\n" + createFileDiff("src/sub.js", undefined, after) + "```"]);
    const dir = await mkdtemp(join(tmpdir(), "vltair-plan-orch-"));
    temps.push(dir);
    const orchestrator = new Orchestrator({ dir });
    for (const agent of [createPlanningAgent(), createCodeGenAgent({ model }), createStaticAnalysisAgent(), createTestGenAgent(), createTestExecAgent()]) orchestrator.register(agent);
    try {
      const run = await orchestrator.startRun({ runId: "e2e" });
      const outcome = await run.submit({ type: "AgentTask", id: "goal", agent: "planning", payload: { goal: "add a sub function", workspace: root } });
      await run.finish();
      expect(outcome.type).toBe("AgentResult");
      const succeeded = (await orchestrator.readJournal("e2e")).flatMap((e) => (e.type === "TaskSucceeded" ? [e.result] : []));
      expect(succeeded.map((r) => r.parentId)).toEqual(["goal", "goal/1-codegen", "goal/2-static-analysis", "goal/3-testgen", "goal/4-testexec"]);
      const tests = succeeded.at(-1)?.payload.artifacts?.flatMap((a) => (a.kind === "test_result" ? [`${a.test_name} ${a.status}`] : []));
      expect(tests).toEqual(["sub: documented examples pass"]);
      expect(await readFile(join(root, "src/sub.js"), "utf8")).toBe(after);
      expect(await readFile(join(root, "test/sub.generated.test.js"), "utf8")).toContain("assert.deepStrictEqual(await (sub(5, 3)), 2);");
    } finally {
      await orchestrator.close();
    }
  });
});
