import { describe, expect, it } from "vitest";
import type { AgentTask } from "@vltair/envelopes";
import { Orchestrator, orderBatch, OrchestratorError } from "../src/index.js";
import { agent, echoAgent, task, tempDir } from "./helpers.js";

describe("DAGs", () => {
  it("orders a batch by dependsOn and gives each task its dependencies' results", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 4 });
    const order: string[] = [];
    const seen: Record<string, string[]> = {};
    orch.register(agent("echo", async (t, ctx) => {
      order.push(t.id);
      seen[t.id] = [...ctx.dependencies.keys()].sort();
      return { payload: { artifacts: [{ kind: "text", title: t.id, content: "" }] } };
    }));
    const run = await orch.startRun();
    const outs = await run.submitAll([task("d", { dependsOn: ["b", "c"] }), task("b", { dependsOn: ["a"] }), task("c", { dependsOn: ["a"] }), task("a")]);
    expect(outs.map((o) => o.parentId)).toEqual(["d", "b", "c", "a"]);
    expect(order[0]).toBe("a");
    expect(order.at(-1)).toBe("d");
    expect(seen.d).toEqual(["b", "c"]);
    // A later submission may depend on an earlier one.
    expect(await run.submit(task("e", { dependsOn: ["d"] }))).toMatchObject({ type: "AgentResult" });
    await orch.close();
  });

  it("detects cycles, naming them, and unknown dependencies, before anything is stored", async () => {
    expect(() => orderBatch([task("a", { dependsOn: ["b"] }), task("b", { dependsOn: ["c"] }), task("c", { dependsOn: ["a"] })], () => false)).toThrow(
      /dependency cycle: a → b → c → a/,
    );
    expect(() => orderBatch([task("s", { dependsOn: ["s"] })], () => false)).toThrow(/s → s/);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(echoAgent());
    const run = await orch.startRun();
    const err = await run.submitAll([task("x", { dependsOn: ["y"] }), task("y", { dependsOn: ["x"] })]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrchestratorError);
    expect((err as OrchestratorError).code).toBe("DependencyCycle");
    await expect(run.submit(task("z", { dependsOn: ["nope"] }))).rejects.toMatchObject({ code: "UnknownDependency" });
    expect(orch.metrics().submitted).toBe(0);
    await orch.close();
  });

  it("fails dependents of a failed task with DependencyFailed (journaled, transitively)", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(agent("boom", async () => { throw new Error("broken"); }));
    orch.register(echoAgent());
    const run = await orch.startRun();
    const [a, b, c] = await run.submitAll([task("a", { agent: "boom" }), task("b", { dependsOn: ["a"] }), task("c", { dependsOn: ["b"] })]);
    expect(a).toMatchObject({ error: { code: "ExecutionError" } });
    expect(b).toMatchObject({ error: { code: "DependencyFailed", details: { dependency: "a", dependencyCode: "ExecutionError" } } });
    expect(c).toMatchObject({ error: { code: "DependencyFailed", details: { dependency: "b" } } });
    // A dependent submitted after its dependency failed fails too.
    expect(await run.submit(task("late", { dependsOn: ["a"] }))).toMatchObject({ error: { code: "DependencyFailed" } });
    await run.finish();
    const failed = (await orch.readJournal(run.runId)).filter((e) => e.type === "TaskFailed").map((e) => e.taskId);
    expect(failed).toEqual(["a", "b", "c", "late"]);
    await orch.close();
  });
});

describe("newTasks", () => {
  const planner = (depthLimitTest = false) =>
    agent("plan", async (t) => {
      const level = (t.payload.level as number | undefined) ?? 0;
      if (level >= 2 && !depthLimitTest) return { payload: { artifacts: [{ kind: "text", title: t.id, content: "leaf" }] } };
      const child = (n: number): AgentTask => ({ type: "AgentTask", id: `${t.id}.${n}`, agent: "plan", payload: { level: level + 1 } });
      return { payload: { newTasks: [child(1), { ...child(2), dependsOn: [`${t.id}.1`] }] } };
    });

  it("schedules children, and the parent completes only when all of them did", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 3 });
    orch.register(planner());
    const run = await orch.startRun();
    const r = await run.submit(task("root", { agent: "plan" }));
    expect(r).toMatchObject({ type: "AgentResult", parentId: "root" });
    await run.finish();
    const ev = await orch.readJournal(run.runId);
    const succeeded = ev.filter((e) => e.type === "TaskSucceeded").map((e) => e.taskId);
    expect(succeeded).toHaveLength(7); // root, 2 children, 4 grandchildren
    const rootDone = ev.findIndex((e) => e.type === "TaskSucceeded" && e.taskId === "root");
    const children = ev.filter((e) => e.type === "TaskSubmitted" && (e as { task: AgentTask }).task.parentId === "root");
    expect(children.map((e) => e.taskId)).toEqual(["root.1", "root.2"]);
    expect(ev.findIndex((e) => e.type === "TaskSubmitted" && e.taskId === "root.1")).toBeGreaterThan(rootDone);
    await orch.close();
  });

  it("refuses children beyond the depth limit with a clear error", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", maxDepth: 2 });
    orch.register(planner(true));
    const r = await orch.submit(task("root", { agent: "plan" }));
    expect(r).toMatchObject({ type: "AgentError", error: { code: "DependencyFailed" } });
    const deep = orch.deadLetters().find((d) => d.error.code === "UnexpectedOutput");
    expect(deep?.error.message).toMatch(/beyond the limit of 2/);
    await orch.close();
  });

  it("a parent fails when a child fails, carrying the completed artifacts as partial results", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(agent("parent", async () => ({
      payload: {
        artifacts: [{ kind: "text", title: "plan", content: "p" }],
        newTasks: [task("ok", { agent: "echo" }), task("bad", { agent: "boom" })],
      },
    })));
    orch.register(agent("echo", async (t) => ({ payload: { artifacts: [{ kind: "text", title: t.id, content: "done" }] } })));
    orch.register(agent("boom", async () => { throw new Error("nope"); }));
    const r = await orch.submit(task("p", { agent: "parent" }));
    expect(r).toMatchObject({ type: "AgentError", error: { code: "DependencyFailed", details: { failedChildren: ["bad"] } } });
    expect((r as { partial: { artifacts: { title: string }[] } }).partial.artifacts.map((a) => a.title)).toEqual(["plan", "ok"]);
    await orch.close();
  });
});
